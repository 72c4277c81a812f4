"""``saylau roll …``: a typer sub-app, mounted by the main CLI (``app.add_typer(roll.app)``).

saylau roll generate --members 835000 --out members.csv [--seed 1] [--defects 40]
saylau roll import members.csv [--dry-run] [--report rejected.csv]
saylau roll open primaries-2020 --freeze-date 2020-09-11
saylau roll close primaries-2020
saylau roll counts primaries-2020
"""

from __future__ import annotations

import csv
import datetime as dt
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from saylau.cli.database import server_django

if TYPE_CHECKING:
    from saylau.registry.importing import ImportReport

app = typer.Typer(
    name="roll",
    help="Member roll: generate, import, open, close and publish election rolls.",
    no_args_is_help=True,
)
console = Console()
errors = Console(stderr=True, soft_wrap=True)  # paths and tokens never broken


def _progress() -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=False,
    )


def _refuse(message: str) -> typer.Exit:
    errors.print(f"[red]{escape(message)}[/red]")
    return typer.Exit(2)


def _date(value: str, option: str) -> dt.date:
    from django.utils.translation import gettext as _

    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise _refuse(_("%(option)s must be a date like 2020-09-11") % {"option": option}) from None


Lang = Annotated[str | None, typer.Option("--lang", help="Language of messages: kk, ru or en.")]


@app.command("generate")
def generate(
    members: Annotated[int, typer.Option("--members", "-n", min=1, help="How many members.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output file: .csv or .xlsx.")],
    seed: Annotated[int, typer.Option(help="Random seed: the same seed, the same roll.")] = 0,
    as_of: Annotated[str, typer.Option(help="Latest join date.")] = "2020-09-10",
    defects: Annotated[int, typer.Option(min=0, help="Extra bad lines an import must reject.")] = 0,
    lang: Lang = None,
) -> None:
    """Write a realistic synthetic roll (valid IINs, Kazakh and Russian names, +7 7xx)."""
    server_django(lang, database=False)
    from django.utils.translation import gettext as _

    from saylau.registry import synth

    if out.suffix.lower() not in {".csv", ".xlsx"}:
        raise _refuse(_("--out must end in .csv or .xlsx"))
    started = time.perf_counter()
    total = members + defects
    with _progress() as progress:
        task = progress.add_task(f"generate → {out.name}", total=total)

        def tick(done: int) -> None:
            if done % 5000 == 0 or done == total:
                progress.update(task, completed=done)

        as_of_date = _date(as_of, "--as-of")
        try:
            written = synth.write_file(
                out, members, seed=seed, as_of=as_of_date, defects=defects, on_row=tick
            )
        except OSError:
            raise _refuse(_("The file %(path)s could not be written.") % {"path": out}) from None
    console.print(
        _("%(lines)d lines written to %(path)s in %(seconds).1f s")
        % {"lines": written, "path": out, "seconds": time.perf_counter() - started}
    )


@app.command("import")
def import_file(
    file: Annotated[Path, typer.Argument(help="The members file (.csv or .xlsx).")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check only.")] = False,
    report: Annotated[
        Path | None, typer.Option(help="Write every rejected line to this CSV file.")
    ] = None,
    lang: Lang = None,
) -> None:
    """Import members from a CSV or XLSX file (columns: docs/members-csv.md); rejected lines
    are listed, the rest go in. Exits 1 when any line was rejected, 2 when nothing could be
    imported."""
    server_django(lang)
    from django.utils.translation import gettext as _

    from saylau.registry import services
    from saylau.registry.files import read_named_file

    started = time.perf_counter()
    with _progress() as progress:
        tasks: dict[str, TaskID] = {}
        labels = {"check": _("Checking lines"), "write": _("Writing members")}

        def on_progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = progress.add_task(labels.get(stage, stage), total=total)
            progress.update(tasks[stage], completed=done, total=total)

        try:
            result = services.import_members(
                read_named_file(file), source_name=file.name, dry_run=dry_run, progress=on_progress
            )
        except services.RegistryError as error:
            raise _refuse(str(error)) from None
    elapsed = time.perf_counter() - started
    _print_report(result, elapsed)
    if report is not None:
        _write_report(report, result)
    if result.rejected_count:
        raise typer.Exit(_rejected_verdict(result))


def _write_report(path: Path, result: ImportReport) -> None:
    """Every rejected line to `path` (CSV); a file that cannot be written is said so."""
    from django.utils.translation import gettext as _

    try:
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["line", "field", "code", "message"])
            for rejected in result.rejected:
                for problem in rejected.problems:
                    writer.writerow([rejected.line, problem.field, problem.code, problem.message])
    except OSError:
        raise _refuse(
            _("The report %(path)s could not be written; the import itself is done.")
            % {"path": path}
        ) from None
    console.print(_("Rejected lines written to %(path)s") % {"path": path})


def _rejected_verdict(result: ImportReport) -> int:
    """Say on stderr how many lines were rejected and what became of the rest; exit code 1."""
    from django.utils.translation import gettext as _

    if result.dry_run:
        verdict = _(
            "%(rejected)d lines would be rejected; the other %(accepted)d would be imported."
        )
    else:
        verdict = _(
            "%(rejected)d lines were rejected and not imported; the other %(accepted)d are "
            "imported. Correct the rejected lines and import just them again."
        )
    counts = {"rejected": result.rejected_count, "accepted": result.accepted}
    errors.print(f"[red]{escape(verdict % counts)}[/red]")
    return 1


def _print_report(result: ImportReport, elapsed: float) -> None:
    from django.utils.translation import gettext as _

    if result.dry_run:
        summary = _(
            "Lines: %(total)d; would be imported: %(accepted)d; rejected: %(rejected)d "
            "(%(seconds).1f s)."
        )
    else:
        summary = _(
            "Lines: %(total)d; imported: %(accepted)d; rejected: %(rejected)d (%(seconds).1f s)."
        )
    console.print(
        summary
        % {
            "total": result.total_lines,
            "accepted": result.accepted,
            "rejected": result.rejected_count,
            "seconds": elapsed,
        }
    )
    if result.rejected:
        table = Table(_("Line"), _("Column"), _("Problem"))
        for rejected in result.rejected[:20]:
            for problem in rejected.problems:
                table.add_row(str(rejected.line), problem.field, problem.message)
        console.print(table)
        if result.rejected_count > 20:
            console.print(
                _("Rejected lines not shown: %(n)d (use --report for all of them).")
                % {"n": result.rejected_count - 20}
            )


@app.command("open")
def open_roll(
    election: str,
    freeze_date: Annotated[str, typer.Option(help="Members who joined on or after it are out.")],
    lang: Lang = None,
) -> None:
    """Open an election's roll with its membership freeze date."""
    server_django(lang)
    from saylau.registry import services

    try:
        roll = services.open_roll(election, _date(freeze_date, "--freeze-date"))
    except services.RegistryError as error:
        raise _refuse(str(error)) from None
    console.print(f"{roll.election}: {roll.freeze_date.isoformat()}")


@app.command("close")
def close_roll(election: str, lang: Lang = None) -> None:
    """Close an election's roll: fix the list of members and publish the counts."""
    server_django(lang)
    from saylau.registry import services

    try:
        services.close_roll(election)
    except services.RegistryError as error:
        raise _refuse(str(error)) from None
    counts(election, lang)


@app.command("counts")
def counts(election: str, lang: Lang = None) -> None:
    """Show the per-district counts of a roll (a preview while it is open)."""
    server_django(lang)
    from django.utils.translation import gettext as _

    from saylau.registry import services

    try:
        roll = services.get_roll(election)
        districts = services.preview_counts(election)
    except services.RegistryError as error:
        raise _refuse(str(error)) from None
    table = Table(_("Code"), _("District"), _("Members"), title=roll.election)
    for district in districts:
        table.add_row(district.code, district.name, str(district.count))
    table.add_row("", _("Total"), str(sum(d.count for d in districts)))
    console.print(table)
    if roll.is_closed:
        console.print(f"SHA-256: {roll.digest}")
