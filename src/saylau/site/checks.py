"""Deployment checks (``manage check --deploy``); wsgi/asgi refuse to start on an Error."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Warning, register
from django.core.exceptions import ImproperlyConfigured


@register("saylau", deploy=True)
def check_production_settings(app_configs: Any = None, **_kwargs: Any) -> list[Any]:
    problems: list[Any] = []
    if settings.DEBUG:
        return problems
    if not getattr(settings, "SAYLAU_SECRET_KEY_FROM_ENV", True):
        problems.append(
            Error(
                "SAYLAU_SECRET_KEY is not set.",
                hint="Set SAYLAU_SECRET_KEY to a long random string (or SAYLAU_DEBUG=1 "
                "on a development machine).",
                id="saylau.E001",
            )
        )
    if not settings.ALLOWED_HOSTS:
        problems.append(
            Warning(
                "SAYLAU_ALLOWED_HOSTS is empty: every request will be refused.",
                id="saylau.W001",
            )
        )
    if getattr(settings, "SAYLAU_SMS_BACKEND", "outbox") == "outbox":
        problems.append(
            Warning(
                "SMS goes to the development outbox: nobody receives a message.",
                hint="Set SAYLAU_SMS_BACKEND=http with SAYLAU_SMS_URL and SAYLAU_SMS_TOKEN.",
                id="saylau.W002",
            )
        )
    return problems


def require_production_settings() -> None:
    """Raise when the site must not serve (called by the WSGI/ASGI entry points)."""
    errors = [problem for problem in check_production_settings() if isinstance(problem, Error)]
    if errors:
        raise ImproperlyConfigured("; ".join(f"{e.id}: {e.msg}" for e in errors))
