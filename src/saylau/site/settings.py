"""Django settings for saylau, read from the environment.

Environment variables (all optional on a developer's machine):

``SAYLAU_DEBUG``            1/0 (default 0). Never 1 in production.
``SAYLAU_SECRET_KEY``       required when DEBUG is off (``manage check`` and wsgi refuse
                            to run without it); a fixed development key is used otherwise.
``SAYLAU_ALLOWED_HOSTS``    comma-separated host names (default: localhost names if DEBUG).
``SAYLAU_TRUSTED_PROXIES``  comma-separated IPs/CIDRs whose X-Forwarded-For/-Proto we believe.
``SAYLAU_CSRF_TRUSTED_ORIGINS`` comma-separated origins (``https://primaries.example.kz``).
``SAYLAU_API_ALLOWED_ORIGINS`` origins whose pages may POST to /api/ (default: the CSRF ones).
``DATABASE_URL``            default ``sqlite:///<SAYLAU_VAR_DIR>/saylau.sqlite3``;
                            ``postgres://user@host:5432/name`` uses psycopg 3.
``SAYLAU_DB_CONN_MAX_AGE``  persistent connection lifetime in seconds (default 0).
``SAYLAU_VAR_DIR``          runtime data (SQLite file, collected static), default ``./var``.
``SAYLAU_LANGUAGE``         default language: kk, ru or en (default kk).
``SAYLAU_LOG_LEVEL``        default INFO.
``SAYLAU_SECURE_COOKIES``   default: on unless DEBUG.
``SAYLAU_HSTS_SECONDS``     default one year (sent on HTTPS answers only); ``manage check
                            --deploy`` fails on 0.
``SAYLAU_SMS_BACKEND``      ``outbox`` (default), ``http`` or a dotted class path.
``SAYLAU_SMS_URL``, ``SAYLAU_SMS_TOKEN``, ``SAYLAU_SMS_TIMEOUT``, ``SAYLAU_SMS_SENDER``:
                            the generic HTTP SMS provider.
``SAYLAU_OTP_SMS_MODE``     ``background`` (default: the code's SMS is sent after the answer,
                            so the answer takes as long whether or not the IIN is on the roll)
                            or ``inline`` (tests, development).
``SAYLAU_OTP_TTL``, ``SAYLAU_OTP_MAX_FAILURES``, ``SAYLAU_OTP_LOCKOUT``, ``SAYLAU_OTP_RESEND``,
``SAYLAU_OTP_PER_HOUR``, ``SAYLAU_SIGNIN_PER_NETWORK_PER_HOUR``, ``SAYLAU_VOTER_SESSION_TTL``:
                            sign-in limits in seconds / counts (see saylau.voting.signin).
``SAYLAU_DEV_OUTBOX``      1/0 (default 0): serve the development outbox at /dev/outbox.
``SAYLAU_SERVER_TIMING``    1/0 (default 0): Server-Timing headers with each request's CPU time.
``SAYLAU_HOTLINE_ADDRESS``  the complaints' e-mail address (``saylau smtp-intake`` takes mail
                            to it; replies come from it), default ``hotline@saylau.local``.
``SAYLAU_EMAIL_HOST``, ``SAYLAU_EMAIL_PORT``, ``SAYLAU_EMAIL_BACKEND``: where Django sends
                            e-mail (default localhost:25 by SMTP).
``SAYLAU_BOARD_LOCK_TIMEOUT_MS`` how long any statement waits for a lock (the board's, on
                            every cast) before a 503 (PostgreSQL ``lock_timeout`` of every
                            connection; default 5000).
"""

from __future__ import annotations

import secrets
from pathlib import Path

import dj_database_url

from saylau.site.env import (
    env_bool,
    env_float,
    env_int,
    env_list,
    env_str,
    parse_networks,
)

SITE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(env_str("SAYLAU_VAR_DIR") or Path.cwd() / "var")

DEBUG = env_bool("SAYLAU_DEBUG", False)

# --- secrets and hosts -------------------------------------------------------------------
_DEV_SECRET_KEY = "django-insecure-saylau-development-key-not-for-production"  # noqa: S105
SAYLAU_SECRET_KEY_FROM_ENV = bool(env_str("SAYLAU_SECRET_KEY"))
SECRET_KEY = env_str("SAYLAU_SECRET_KEY") or (
    _DEV_SECRET_KEY if DEBUG else "ephemeral-" + secrets.token_urlsafe(48)
)

ALLOWED_HOSTS = env_list(
    "SAYLAU_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env_list("SAYLAU_CSRF_TRUSTED_ORIGINS")
# Other sites' pages whose scripts may call the API's state-changing operations (site.api_guard).
SAYLAU_API_ALLOWED_ORIGINS = env_list("SAYLAU_API_ALLOWED_ORIGINS", CSRF_TRUSTED_ORIGINS)
SAYLAU_TRUSTED_PROXIES = parse_networks(env_list("SAYLAU_TRUSTED_PROXIES"))
# Only set by TrustedProxyMiddleware for connections from a trusted proxy.
SECURE_PROXY_SSL_HEADER = ("SAYLAU_FORWARDED_PROTO", "https")

_SECURE_COOKIES = env_bool("SAYLAU_SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_SECURE = _SECURE_COOKIES
CSRF_COOKIE_SECURE = _SECURE_COOKIES
LANGUAGE_COOKIE_SECURE = _SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env_int("SAYLAU_HSTS_SECONDS", 365 * 24 * 3600)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- applications ------------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",
    "saylau.site",
    "saylau.registry",
    "saylau.notify",
    "saylau.stations",
    "saylau.board",
    "saylau.elections",
    "saylau.voting",
    "saylau.paper",
    "saylau.complaints",
    "saylau.observation",
    "saylau.exitpoll",
    "saylau.analysis",
]

MIDDLEWARE = [
    "saylau.site.debug_guard.LoopbackWhenDebugMiddleware",  # DEBUG: this computer only
    "saylau.web.proxy.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "saylau.site.errors.OverloadMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.locale.LocaleMiddleware",  # (Django's LocaleMiddleware reads no session)
    "django.middleware.common.CommonMiddleware",  # ALLOWED_HOSTS is checked here
    "saylau.site.api_guard.ApiRequestGuardMiddleware",  # JSON bodies, browsers' Origin
    # The cast's short way (decision 0013): what comes after this, a cast does not need.
    "saylau.voting.shortcut.CastShortcutMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
# Server-Timing headers with the CPU time of each request (for benchmarks: web/timing.py).
SAYLAU_SERVER_TIMING = env_bool("SAYLAU_SERVER_TIMING", False)
if SAYLAU_SERVER_TIMING:
    MIDDLEWARE.insert(0, "saylau.web.timing.ServerTimingMiddleware")
# A strict Content-Security-Policy on every answer (site/csp.py, decision 0022).
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "saylau.site.csp.ContentSecurityPolicyMiddleware",
)

ROOT_URLCONF = "saylau.site.urls"
# The NinjaAPI the apps' routers are mounted in; the cast's short way answers through it.
SAYLAU_API = "saylau.site.api.api"
WSGI_APPLICATION = "saylau.site.wsgi.application"
CSRF_FAILURE_VIEW = "saylau.site.errors.csrf_failure"
DEFAULT_EXCEPTION_REPORTER_FILTER = "saylau.site.reporting.SaylauReporterFilter"
# /dev/outbox (the development SMS outbox page): only when asked for; the demo sets it.
SAYLAU_DEV_OUTBOX = env_bool("SAYLAU_DEV_OUTBOX", False)

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- database ----------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'saylau.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL, conn_max_age=env_int("SAYLAU_DB_CONN_MAX_AGE", 0)
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # Take the write lock at BEGIN: no "database is locked" on lock upgrade.
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
# A request that fails changes nothing (the API's error handlers roll back too).
DATABASES["default"]["ATOMIC_REQUESTS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- languages ---------------------------------------------------------------------------
LANGUAGES = [
    ("kk", "Қазақша"),
    ("ru", "Русский"),
    ("en", "English"),
]
LANGUAGE_CODE = env_str("SAYLAU_LANGUAGE", "kk")
if LANGUAGE_CODE not in {code for code, _ in LANGUAGES}:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("SAYLAU_LANGUAGE must be one of kk, ru, en")
LOCALE_PATHS = [SITE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Almaty"

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("SAYLAU_STATIC_ROOT") or VAR_DIR / "static")

# --- logging: every handler redacts IINs and phone numbers -------------------------------
LOG_LEVEL = env_str("SAYLAU_LOG_LEVEL", "INFO").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "saylau.registry.redact.RedactingFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["redact"],
            "formatter": "plain",
        },
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Replace Django's default handlers (console, mail_admins): everything goes
        # through the redacting root handler.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {"handlers": [], "level": "INFO", "propagate": True},
        "saylau": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
    },
}

# --- notifications -----------------------------------------------------------------------
SAYLAU_SMS_BACKEND = env_str("SAYLAU_SMS_BACKEND", "outbox")
SAYLAU_SMS_URL = env_str("SAYLAU_SMS_URL")
SAYLAU_SMS_TOKEN = env_str("SAYLAU_SMS_TOKEN")
SAYLAU_SMS_TIMEOUT = env_float("SAYLAU_SMS_TIMEOUT", 10.0)
SAYLAU_SMS_SENDER = env_str("SAYLAU_SMS_SENDER", "saylau")
SAYLAU_HOTLINE_ADDRESS = env_str("SAYLAU_HOTLINE_ADDRESS", "hotline@saylau.local")
EMAIL_BACKEND = env_str("SAYLAU_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("SAYLAU_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("SAYLAU_EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = SAYLAU_HOTLINE_ADDRESS

# --- voting: sign-in limits and the board (saylau.voting) --------------------------------
SAYLAU_OTP_SMS_MODE = env_str("SAYLAU_OTP_SMS_MODE", "background")
SAYLAU_OTP_TTL = env_int("SAYLAU_OTP_TTL", 300)
SAYLAU_OTP_MAX_FAILURES = env_int("SAYLAU_OTP_MAX_FAILURES", 5)
SAYLAU_OTP_LOCKOUT = env_int("SAYLAU_OTP_LOCKOUT", 1800)
SAYLAU_OTP_RESEND = env_int("SAYLAU_OTP_RESEND", 60)
SAYLAU_OTP_PER_HOUR = env_int("SAYLAU_OTP_PER_HOUR", 5)
SAYLAU_SIGNIN_PER_NETWORK_PER_HOUR = env_int("SAYLAU_SIGNIN_PER_NETWORK_PER_HOUR", 500)
SAYLAU_VOTER_SESSION_TTL = env_int("SAYLAU_VOTER_SESSION_TTL", 1800)
SAYLAU_BOARD_LOCK_TIMEOUT_MS = env_int("SAYLAU_BOARD_LOCK_TIMEOUT_MS", 5000)
