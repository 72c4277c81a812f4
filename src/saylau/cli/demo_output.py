"""What the demo commands print: the verified results, the consolidation, failures."""

from __future__ import annotations

from typing import Any

import typer
from rich.console import Console
from rich.markup import escape

from saylau.i18n import _

console = Console(highlight=False, soft_wrap=True)
errors = Console(stderr=True, highlight=False, soft_wrap=True)


def fail(message: str, code: int = 2) -> typer.Exit:
    errors.print(f"[red]{escape(message)}[/red]")
    return typer.Exit(code)


def print_results(report: Any) -> None:
    for district, result in sorted((report.results or {}).items()):
        counted = _("%(district)s: ballots counted: %(count)s") % {
            "district": district,
            "count": result.get("ballots_counted", "?"),
        }
        console.print(f"  {counted}", markup=False)
        for contest, options in result.get("contests", {}).items():
            marks = "  ".join(
                f"{option.removeprefix(contest + '-')}: {n}" for option, n in options.items()
            )
            console.print(f"     {contest}  {marks}", markup=False)


def print_consolidation(report: Any) -> None:
    """Per district and contest: online + paper = total votes, and the winners."""
    consolidation = report.consolidation
    if consolidation is None:
        return
    console.print(_("Online and paper together (the consolidation):"), markup=False)
    for district, entry in sorted(consolidation["districts"].items()):
        for contest, found in entry["contests"].items():
            online, paper = sum(found["online"].values()), sum(found["paper"].values())
            winners = ", ".join(w.removeprefix(contest + "-") for w in found["winners"]) or "—"
            line = _(
                "%(district)s %(contest)s: votes online %(online)s + paper %(paper)s = "
                "%(total)s; winners: %(winners)s"
            ) % {
                "district": district,
                "contest": contest,
                "online": online,
                "paper": paper,
                "total": online + paper,
                "winners": winners,
            }
            if found["recount"]:
                line += " " + _("(recount flagged: margin %(margin)s)") % {
                    "margin": found["margin"]
                }
            console.print(f"  {line}", markup=False)


def print_failures(report: Any) -> None:
    from saylau.cli.verify import failure_message

    for failure in report.failures:
        line = f"✗ [{failure.check}] {failure.item}: {failure_message(failure)}"
        errors.print(f"[red]{escape(line)}[/red]")
