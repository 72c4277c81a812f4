"""``saylau observers …``: the observer network's day-of tasks.

saylau observers promote-absent [--every 60]   replace absent primaries by their reserves
"""

from __future__ import annotations

import time
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from saylau.cli.database import server_django
from saylau.cli.language import Lang

app = typer.Typer(name="observers", help="Observer network: day-of tasks.", no_args_is_help=True)


@app.command("promote-absent")
def promote_absent(
    every: Annotated[int, typer.Option(min=0, help="Repeat every this many seconds (0: once)")] = 0,
    lang: Lang = None,
) -> None:
    """Make the first reserve the primary wherever an active primary's window has started
    and they have not checked in (decision 0038); safe to run again and again."""
    server_django(lang)
    from django.utils import timezone
    from django.utils.translation import gettext as _

    from saylau.observation.accreditation import promote_absent as promote

    console = Console()
    while True:
        promoted = promote(timezone.now())
        console.print(
            escape(
                _("%(count)s reserves promoted in place of absent primaries")
                % {"count": len(promoted)}
            )
        )
        if not every:
            return
        time.sleep(every)
