"""Settings come from the environment: load the settings file afresh with a given env."""

import importlib.util
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

import saylau.site.settings as live_settings
from saylau.site import env

SETTINGS_FILE = Path(live_settings.__file__)


def load(monkeypatch, **environ):
    for name in (
        "SAYLAU_DEBUG",
        "SAYLAU_SECRET_KEY",
        "SAYLAU_ALLOWED_HOSTS",
        "DATABASE_URL",
        "SAYLAU_TRUSTED_PROXIES",
        "SAYLAU_LANGUAGE",
        "SAYLAU_VAR_DIR",
    ):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.spec_from_file_location("saylau_settings_under_test", SETTINGS_FILE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_defaults_are_safe(monkeypatch, tmp_path):
    s = load(monkeypatch, SAYLAU_VAR_DIR=str(tmp_path))
    assert s.DEBUG is False
    assert s.ALLOWED_HOSTS == []
    assert s.SAYLAU_SECRET_KEY_FROM_ENV is False
    assert s.SECRET_KEY.startswith("ephemeral-")
    assert s.SESSION_COOKIE_SECURE and s.CSRF_COOKIE_SECURE
    db = s.DATABASES["default"]
    assert db["ENGINE"] == "django.db.backends.sqlite3"
    assert db["NAME"] == str(tmp_path / "saylau.sqlite3")
    assert db["ATOMIC_REQUESTS"] is True
    assert s.LANGUAGE_CODE == "kk"
    assert [code for code, _ in s.LANGUAGES] == ["kk", "ru", "en"]
    assert "django.middleware.locale.LocaleMiddleware" in s.MIDDLEWARE


def test_debug_development(monkeypatch):
    s = load(monkeypatch, SAYLAU_DEBUG="1")
    assert s.DEBUG is True
    assert "localhost" in s.ALLOWED_HOSTS
    assert not s.SESSION_COOKIE_SECURE
    assert "insecure" in s.SECRET_KEY


def test_production_environment(monkeypatch):
    s = load(
        monkeypatch,
        SAYLAU_SECRET_KEY="k" * 50,
        SAYLAU_ALLOWED_HOSTS="primaries.example.kz, www.primaries.example.kz",
        SAYLAU_TRUSTED_PROXIES="10.0.0.0/8,::1",
        DATABASE_URL="postgres://saylau:pw@db.internal:5432/saylau",
        SAYLAU_LANGUAGE="ru",
    )
    assert s.SECRET_KEY == "k" * 50 and s.SAYLAU_SECRET_KEY_FROM_ENV
    assert s.ALLOWED_HOSTS == ["primaries.example.kz", "www.primaries.example.kz"]
    assert [str(n) for n in s.SAYLAU_TRUSTED_PROXIES] == ["10.0.0.0/8", "::1/128"]
    db = s.DATABASES["default"]
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["HOST"], db["PORT"], db["NAME"], db["USER"]) == (
        "db.internal",
        5432,
        "saylau",
        "saylau",
    )
    assert s.LANGUAGE_CODE == "ru"


@pytest.mark.parametrize(
    ("name", "value"),
    [("SAYLAU_DEBUG", "maybe"), ("SAYLAU_TRUSTED_PROXIES", "not-an-ip"), ("SAYLAU_LANGUAGE", "de")],
)
def test_bad_values_are_refused(monkeypatch, name, value):
    with pytest.raises(ImproperlyConfigured):
        load(monkeypatch, **{name: value})


def test_env_helpers():
    environ = {"A": " yes ", "B": "0", "N": "12", "F": "2.5", "L": "a, b  c,,"}
    assert env.env_bool("A", environ=environ) is True
    assert env.env_bool("B", True, environ=environ) is False
    assert env.env_bool("missing", True, environ=environ) is True
    assert env.env_int("N", 0, environ=environ) == 12
    assert env.env_float("F", 0, environ=environ) == 2.5
    assert env.env_list("L", environ=environ) == ["a", "b", "c"]
    with pytest.raises(ImproperlyConfigured):
        env.env_int("L", 0, environ=environ)
