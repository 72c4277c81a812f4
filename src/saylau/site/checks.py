"""Deployment checks (``manage check --deploy``); wsgi/asgi refuse to start on an Error.
The database's own (``manage check --database default``, and every ``migrate``) need a
connection, so the entry points do not run them."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
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


@register("saylau", deploy=True)
def check_hsts(app_configs: Any = None, **_kwargs: Any) -> list[Any]:
    """HTTPS only, remembered by browsers: an Error on `check --deploy` (not at start-up:
    a site behind a TLS proxy on a test bench may serve without it)."""
    if settings.DEBUG or getattr(settings, "SECURE_HSTS_SECONDS", 0) > 0:
        return []
    return [
        Error(
            "SAYLAU_HSTS_SECONDS is 0: browsers are not told to use HTTPS only.",
            hint="Leave SAYLAU_HSTS_SECONDS unset (one year) once the site is on HTTPS.",
            id="saylau.E004",
        )
    ]


def require_production_settings() -> None:
    """Raise when the site must not serve (called by the WSGI/ASGI entry points)."""
    errors = [problem for problem in check_production_settings() if isinstance(problem, Error)]
    if errors:
        raise ImproperlyConfigured("; ".join(f"{e.id}: {e.msg}" for e in errors))


@register(Tags.database)
def check_durable_board(databases: Any = None, **_kwargs: Any) -> list[Any]:
    """What `voting.board.make_durable` needs of PostgreSQL (decision 0011): commits that wait
    for their flush by default, and the right to write the logical message that flushes."""
    from django.db import connections

    problems: list[Any] = []
    for alias in databases or ():
        connection = connections[alias]
        if connection.vendor != "postgresql":
            continue
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT current_setting('synchronous_commit'),"
                " has_function_privilege('pg_logical_emit_message(boolean,text,text)', 'EXECUTE')"
            )
            synchronous_commit, may_emit = cursor.fetchone()
        if synchronous_commit == "off":
            problems.append(
                Error(
                    f"synchronous_commit is off for the database {alias!r}: a receipt could "
                    "leave before its ballot is on disk.",
                    hint="Keep PostgreSQL's default (on) for the application's role "
                    "(ALTER ROLE … RESET synchronous_commit).",
                    id="saylau.E002",
                )
            )
        if not may_emit:
            problems.append(
                Error(
                    f"The role of the database {alias!r} may not call "
                    "pg_logical_emit_message: no cast could be confirmed.",
                    hint="GRANT EXECUTE ON FUNCTION pg_logical_emit_message(boolean, text, "
                    "text) TO the application's role.",
                    id="saylau.E003",
                )
            )
    return problems
