"""Django for the organiser's commands on the server (`saylau roll …`, `saylau election …`):
set up, in the chosen language, on a database that is reachable and migrated — else one
clear sentence instead of a traceback."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.markup import escape


def server_django(lang: str | None, *, database: bool = True) -> None:
    """`database=False`: a command that needs Django's settings and languages only."""
    from saylau.web.bootstrap import setup_django

    setup_django()
    from django.conf import settings
    from django.db import DatabaseError, connection
    from django.db.migrations.executor import MigrationExecutor
    from django.utils import translation
    from django.utils.translation import gettext as _

    translation.activate(lang or settings.LANGUAGE_CODE)
    if not database:
        return
    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as error:
        message = _("The database cannot be reached (%(reason)s).") % {
            "reason": type(error).__name__
        }
        raise _refuse(message) from None
    if pending:
        raise _refuse(
            _(
                "The database is not ready: %(count)s migrations are not applied. "
                "Run `saylau manage migrate` first."
            )
            % {"count": len(pending)}
        )


def _refuse(message: str) -> typer.Exit:
    Console(stderr=True, soft_wrap=True).print(f"[red]{escape(message)}[/red]")
    return typer.Exit(2)
