"""``saylau stations …``: polling stations, their commissions, paper voters, voter lists.

saylau stations import SLUG stations.csv [--report rejected.csv]
saylau stations commission SLUG commission.csv
saylau stations assign SLUG paper-voters.csv
saylau stations list SLUG [--district KZ-75]
saylau stations voter-list SLUG CODE --lang kk --out voters.pdf

The files' columns: docs/stations-csv.md. An import keeps every good row and lists the bad
ones with their line numbers; it exits 1 when a row was rejected, 2 when the file or the
election could not be used at all.
"""

from __future__ import annotations

import csv
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, BinaryIO

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from saylau.cli.database import server_django
from saylau.cli.language import Lang

if TYPE_CHECKING:
    from saylau.stations.report import ImportReport

app = typer.Typer(
    name="stations",
    help="Polling stations: import stations, commissions and paper voters; print voter lists.",
    no_args_is_help=True,
)
errors = Console(stderr=True, soft_wrap=True)
ACTOR = "cli:" + (os.environ.get("USER") or "organiser")
SHOWN = 50

Report = Annotated[Path | None, typer.Option(help="Write every rejected row to this CSV file.")]


def _out() -> Console:
    return Console(highlight=False, soft_wrap=True)


def _refuse(message: str) -> typer.Exit:
    errors.print(f"[red]{escape(message)}[/red]")
    return typer.Exit(2)


def _election(slug: str) -> Any:
    from saylau.elections import services as elections
    from saylau.elections.errors import ElectionError

    try:
        return elections.get_election(slug)
    except ElectionError as error:
        raise _refuse(str(error)) from None


def _run_import(
    slug: str,
    file: Path,
    action: str,
    run: Callable[[Any, BinaryIO | bytes], ImportReport],
    report: Path | None,
) -> None:
    from django.utils.translation import gettext as _

    from saylau.elections.audit import audit
    from saylau.errors import UserError

    election = _election(slug)
    started = time.perf_counter()
    try:
        with file.open("rb") as stream:
            result = run(election, stream)
    except OSError:
        raise _refuse(_("The file %(path)s cannot be read.") % {"path": file}) from None
    except UserError as error:
        raise _refuse(str(error)) from None
    audit(election, ACTOR, action, file=file.name, **result.counts())
    _print_report(result, time.perf_counter() - started)
    if report is not None:
        _write_report(report, result)
    if result.rejected:
        raise typer.Exit(1)


def _print_report(result: ImportReport, seconds: float) -> None:
    from django.utils.translation import gettext as _

    out = _out()
    out.print(
        _(
            "Rows accepted: %(accepted)d (new %(created)d, changed %(updated)d, the same "
            "%(unchanged)d); rejected: %(rejected)d (%(seconds).1f s)."
        )
        % {**result.counts(), "accepted": result.accepted, "seconds": seconds},
        markup=False,
    )
    if not result.rejected:
        return
    table = Table(_("Line"), _("Problem"))
    for row in result.rejected[:SHOWN]:
        table.add_row(str(row.line), escape(row.reason))
    out.print(table)
    if len(result.rejected) > SHOWN:
        out.print(
            _("Rejected lines not shown: %(n)d (use --report for all of them).")
            % {"n": len(result.rejected) - SHOWN},
            markup=False,
        )
    errors.print(
        escape(
            _(
                "%(rejected)d rows were rejected; the other rows are saved. Correct the "
                "rejected rows and import the file again."
            )
            % {"rejected": len(result.rejected)}
        )
    )


def _write_report(path: Path, result: ImportReport) -> None:
    from django.utils.translation import gettext as _

    try:
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["line", "problem"])
            writer.writerows([row.line, row.reason] for row in result.rejected)
    except OSError:
        raise _refuse(
            _("The report %(path)s could not be written; the import itself is done.")
            % {"path": path}
        ) from None
    _out().print(_("Rejected lines written to %(path)s") % {"path": path}, markup=False)


@app.command("import")
def import_stations(
    slug: Annotated[str, typer.Argument(help="The election's id.")],
    file: Annotated[Path, typer.Argument(help="CSV: code, number, district, address, …")],
    report: Report = None,
    lang: Lang = None,
) -> None:
    """Create or update the election's polling stations from a CSV file."""
    server_django(lang)
    from saylau.stations import services

    _run_import(slug, file, "stations.import", services.import_stations, report)


@app.command("commission")
def import_commission(
    slug: Annotated[str, typer.Argument(help="The election's id.")],
    file: Annotated[Path, typer.Argument(help="CSV: station, name, role.")],
    report: Report = None,
    lang: Lang = None,
) -> None:
    """Add the stations' commission members (chair, deputy, secretary, member)."""
    server_django(lang)
    from saylau.stations import services

    _run_import(slug, file, "stations.commission", services.import_commission, report)


@app.command("assign")
def assign(
    slug: Annotated[str, typer.Argument(help="The election's id.")],
    file: Annotated[Path, typer.Argument(help="CSV: iin, station.")],
    report: Report = None,
    lang: Lang = None,
) -> None:
    """Put members of the election's roll on the lists of paper stations."""
    server_django(lang)
    from saylau.stations import services

    _run_import(slug, file, "stations.assign", services.assign_paper_voters, report)


@app.command("list")
def list_stations(
    slug: Annotated[str, typer.Argument(help="The election's id.")],
    district: Annotated[str | None, typer.Option(help="Only this district's stations.")] = None,
    lang: Lang = None,
) -> None:
    """The election's stations: number, code, district, address, electors, paper voters, chair."""
    server_django(lang)
    from django.db.models import Count
    from django.utils.translation import gettext as _

    from saylau.stations import services
    from saylau.stations.models import CommissionMember, PaperAssignment

    election = _election(slug)
    stations = list(services.stations_of(election, district))
    voters = dict(
        PaperAssignment.objects.filter(election_id=election.pk)
        .values("station")
        .annotate(n=Count("id"))
        .values_list("station", "n")
    )
    chairs = dict(
        CommissionMember.objects.filter(
            station__election_id=election.pk, role=CommissionMember.Role.CHAIR
        ).values_list("station_id", "name")
    )
    table = Table(
        _("No."),
        _("Code"),
        _("District"),
        _("Address"),
        _("Electors"),
        _("Paper voters"),
        _("Chair"),
    )
    for s in stations:
        table.add_row(
            str(s.number),
            escape(s.code),
            s.district,
            escape(s.address),
            "—" if s.voters is None else str(s.voters),
            str(voters.get(s.code, 0)),
            escape(chairs.get(s.pk, "")),
        )
    out = _out()
    out.print(table)
    out.print(_("Stations: %(count)d") % {"count": len(stations)}, markup=False)


@app.command("voter-list")
def voter_list(
    slug: Annotated[str, typer.Argument(help="The election's id.")],
    code: Annotated[str, typer.Argument(help="The station's code.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="The PDF file to write.")],
    lang: Annotated[str, typer.Option("--lang", help="The list's language: kk or ru.")] = "kk",
) -> None:
    """Write a station's printable voter list (PDF, in Kazakh or Russian)."""
    server_django(lang if lang in {"kk", "ru", "en"} else None)
    from django.utils.translation import gettext as _

    from saylau.stations import services

    election = _election(slug)
    try:
        station = services.station_by_code(election, code)
        content = services.voter_list_pdf(election, station, lang)
    except services.StationError as error:
        raise _refuse(str(error)) from None
    try:
        out.write_bytes(content)
    except OSError:
        raise _refuse(_("The file %(path)s could not be written.") % {"path": out}) from None
    _out().print(
        _("Voter list of station %(code)s (%(count)d voters) written to %(path)s")
        % {"code": code, "count": len(services.paper_voters(election, station)), "path": out},
        markup=False,
    )
