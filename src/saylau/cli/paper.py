"""``saylau paper …``: paper precincts from the command line, without a database.

saylau paper check-protocols FILE.csv --columns MAP.yaml [--json] [--all] [--failing-csv OUT]

Exit code 0 when every protocol passes every control relation, 1 when some fail or some rows
cannot be read, 2 when the map or the file cannot be used (docs/paper-csv.md).
"""

from __future__ import annotations

import csv
import json
import os
import sys
from pathlib import Path
from typing import Annotated, TextIO

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from saylau.cli.language import Lang
from saylau.i18n import _, activate
from saylau.paper.column_map import ColumnMapError, load_map
from saylau.paper.csv_check import (
    RELATION_NAMES,
    CheckReport,
    CsvFileError,
    StationFailure,
    UnreadableRow,
    check_csv,
)
from saylau.protocol.paper_protocol import RELATION_CODES

app = typer.Typer(
    name="paper",
    help="Paper precincts: check the protocols in a commission's CSV export.",
    no_args_is_help=True,
)

FAILING_HEADER = ("row", "station", "relation", "code", "message", "params")


def _refuse(message: str) -> typer.Exit:
    Console(stderr=True, soft_wrap=True).print(f"[red]{escape(message)}[/red]")
    return typer.Exit(2)


class FailingCsv:
    """`--failing-csv OUT`: every failing protocol (one line per relation it breaks) and every
    unreadable row, written as found to OUT.partial, which becomes OUT when the check ends."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.partial = path.with_name(path.name + ".partial")
        try:
            # utf-8-sig: a spreadsheet then reads the Cyrillic station names right.
            self._file: TextIO = self.partial.open("w", encoding="utf-8-sig", newline="")
        except OSError as e:
            raise self._refused(e) from None
        self._out = csv.writer(self._file)
        self._write(FAILING_HEADER)

    def _refused(self, e: OSError) -> typer.Exit:
        return _refuse(
            _("The file %(path)s could not be written: %(detail)s")
            % {"path": self.path, "detail": e.strerror or str(e)}
        )

    def _write(self, row: tuple[object, ...]) -> None:
        try:
            self._out.writerow(row)
        except OSError as e:
            raise self._refused(e) from None

    def failure(self, item: StationFailure) -> None:
        params = json.dumps(item.failure.params, ensure_ascii=False)
        row = (item.row, item.station, item.failure.relation, item.failure.code)
        self._write((*row, item.message(_), params))

    def unreadable(self, item: UnreadableRow) -> None:
        message = "; ".join(r.message(_) for r in item.reasons)
        params = json.dumps(
            [{"code": r.code, **r.params} for r in item.reasons], ensure_ascii=False
        )
        self._write((item.row, "", "unreadable", item.reasons[0].code, message, params))

    def finish(self, keep: bool) -> None:
        """Rename OUT.partial to OUT (`keep`), or remove it (the check did not end)."""
        try:
            self._file.close()
            if keep:
                os.replace(self.partial, self.path)
        except OSError as e:
            keep = False
            raise self._refused(e) from None
        finally:
            if not keep:
                self.partial.unlink(missing_ok=True)


def _progress(enabled: bool) -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        disable=not enabled,
        transient=False,
    )


@app.command("check-protocols")
def check_protocols(
    file: Annotated[Path, typer.Argument(help="The commission's CSV export (UTF-8, , or ;).")],
    columns: Annotated[
        Path, typer.Option("--columns", help="MAP.yaml: which columns hold which protocol line.")
    ],
    as_json: Annotated[
        bool,
        typer.Option(
            "--json", help='Print {"protocols", "failures", "unreadable_rows"} as JSON instead.'
        ),
    ] = False,
    show_all: Annotated[
        bool, typer.Option("--all", help="List every failing station, not the first 20.")
    ] = False,
    failing_csv: Annotated[
        Path | None,
        typer.Option("--failing-csv", help="Write every failing and unreadable row to this CSV."),
    ] = None,
    progress: Annotated[bool, typer.Option(help="Show a progress bar (on a terminal).")] = True,
    lang: Lang = None,
) -> None:
    """Check every protocol in a CSV export against the control relations."""
    activate(lang)
    try:
        column_map = load_map(columns)
    except ColumnMapError as e:
        raise _refuse(e.message_in(_)) from None
    out = FailingCsv(failing_csv) if failing_csv is not None else None
    finished = False
    try:
        with _progress(progress and not as_json and sys.stderr.isatty()) as bar:
            task = bar.add_task(_("reading %(file)s") % {"file": file.name}, total=None)
            report = check_csv(
                file,
                column_map,
                keep=None if show_all else 20,
                on_failure=out.failure if out else None,
                on_unreadable=out.unreadable if out else None,
                on_progress=lambda done, total: bar.update(task, completed=done, total=total),
            )
        finished = True
    except (ColumnMapError, CsvFileError) as e:
        raise _refuse(e.message_in(_)) from None
    finally:
        if out is not None:
            out.finish(keep=finished)  # on an error, the one already raised is shown
    if as_json:
        sys.stdout.write(json.dumps(report.to_json(), ensure_ascii=False) + "\n")
    else:
        print_report(Console(soft_wrap=True), report, failing_csv)
    raise typer.Exit(0 if report.ok else 1)


def print_report(console: Console, report: CheckReport, failing_csv: Path | None = None) -> None:
    """Protocols checked, failures per relation, the failing stations, the unreadable rows."""
    console.print(_("Protocols checked: %(count)s") % {"count": report.protocols})
    console.print(_("Unreadable rows: %(count)s") % {"count": len(report.unreadable_rows)})
    table = Table(title=_("Control relations"))
    table.add_column(_("relation"))
    table.add_column(_("code"))
    table.add_column(_("failing"), justify="right")
    for code in RELATION_CODES:
        count = report.failures[code]
        style = "red" if count else "green"
        table.add_row(escape(_(RELATION_NAMES[code])), code, f"[{style}]{count}[/]")
    console.print(table)
    for code in RELATION_CODES:
        if not report.failures[code]:
            continue
        console.print(
            f"[bold red]{escape(_(RELATION_NAMES[code]))}[/] ({code}): {report.failures[code]}"
        )
        for item in report.failing[code]:
            line = _("row %(row)s, station %(station)s: %(message)s") % {
                "row": item.row,
                "station": item.station,
                "message": item.message(_),
            }
            console.print("  " + line, markup=False, highlight=False)
        _more(console, report.failures[code] - len(report.failing[code]))
    if report.unreadable_rows:
        console.print(
            "[bold red]"
            + escape(_("Unreadable rows (numbered as in a spreadsheet: the header is row 1):"))
            + "[/]"
        )
        for bad in report.unreadable:
            reasons = "; ".join(r.message(_) for r in bad.reasons)
            line = _("row %(row)s: %(reasons)s") % {"row": bad.row, "reasons": reasons}
            console.print("  " + line, markup=False, highlight=False)
        _more(console, len(report.unreadable_rows) - len(report.unreadable))
    if report.ok:
        console.print(
            "[bold green]" + escape(_("Every protocol passes every control relation.")) + "[/]"
        )
    if failing_csv is not None:
        console.print(_("The failing rows are in %(path)s") % {"path": failing_csv}, markup=False)


def _more(console: Console, count: int) -> None:
    if count > 0:
        console.print(
            "  " + _("… and %(count)s more (--all lists every one)") % {"count": count},
            markup=False,
        )
