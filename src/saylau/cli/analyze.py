"""``saylau analyze RESULTS.csv --columns MAP.yaml --out DIR``: election forensics on a
commission's CSV export; ``saylau analyze --election SLUG --out DIR``: the report on
saylau's own results (the stations' protocols, the online ballots and the online signals,
read from the server's database) (docs/forensics.md).

Exit code 0 when the report is written (a flag is a signal, not an error), 2 when the map,
the file or the output folder cannot be used or too few stations remain.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from saylau.analysis.texts import CAVEATS, NAMES, SIGNAL
from saylau.cli.language import Lang
from saylau.cli.paper import _progress, _refuse
from saylau.cli.progress import StageProgress
from saylau.i18n import _, activate
from saylau.paper.column_map import ColumnMapError, load_map
from saylau.paper.csv_check import CsvFileError

if TYPE_CHECKING:
    from saylau.analysis.load import Loaded
    from saylau.analysis.run import Settings
    from saylau.forensics.result import TestResult

SHOWN = 20


def analyze(
    file: Annotated[
        Path | None, typer.Argument(help="The commission's CSV export (UTF-8, , or ;).")
    ] = None,
    columns: Annotated[
        Path | None,
        typer.Option("--columns", help="MAP.yaml: the protocol lines, options and region."),
    ] = None,
    out: Annotated[Path, typer.Option("--out", help="The folder for report.json/html/pdf.")] = Path(
        "report"
    ),
    election: Annotated[
        str | None,
        typer.Option("--election", help="An election of this server: its own results."),
    ] = None,
    seed: Annotated[
        int, typer.Option(help="The random seed: the same seed, the same report.")
    ] = 2011,
    draws: Annotated[
        int, typer.Option(min=20, help="Monte-Carlo draws of the integer test.")
    ] = 400,
    show_all: Annotated[bool, typer.Option("--all", help="List every row left out.")] = False,
    progress: Annotated[bool, typer.Option(help="Show progress bars (on a terminal).")] = True,
    lang: Lang = None,
) -> None:
    """Forensic tests on precinct results: integer percentages, digits, the fingerprint,
    Shpilkin's estimate and the control relations, by region; with --election, on this
    server's election, with the online signals."""
    chosen = activate(lang)
    show = progress and sys.stderr.isatty()
    if election is not None:
        _analyze_election(election, out, _settings(seed, draws), chosen, show)
        return
    if file is None or columns is None:
        raise _refuse(_("Give RESULTS.csv with --columns MAP.yaml, or --election SLUG."))
    # numpy, scipy and matplotlib load here, not with every `saylau` command
    from saylau.analysis.load import load_csv
    from saylau.analysis.report_files import write_report
    from saylau.analysis.run import MIN_STATIONS, TooFewStations, report_json, run_tests

    try:
        column_map = load_map(columns)
    except ColumnMapError as e:
        raise _refuse(e.message_in(_)) from None
    try:
        with _progress(show) as bar:
            task = bar.add_task(_("reading %(file)s") % {"file": file.name}, total=None)
            loaded = load_csv(
                file, column_map, lambda done, total: bar.update(task, completed=done, total=total)
            )
    except (ColumnMapError, CsvFileError) as e:
        raise _refuse(e.message_in(_)) from None
    console = Console(soft_wrap=True)
    _print_left_out(console, loaded, show_all)
    settings = _settings(seed, draws)
    try:
        with StageProgress(Console(stderr=True), enabled=show) as stages:
            results = run_tests(loaded.precincts, loaded.failing, settings, stages)
    except TooFewStations as e:
        raise _refuse(
            _("Only %(count)s stations can be analysed; the tests need at least %(minimum)s.")
            % {"count": e.stations, "minimum": MIN_STATIONS}
        ) from None
    report = report_json(results, settings, _meta(file, loaded, chosen))
    try:
        write_report(out, loaded.precincts, results, report, chosen, _)
    except OSError as e:
        raise _not_written(out, e) from None
    _print_results(console, results)
    console.print(_("The report is in %(path)s") % {"path": out / "report.html"}, markup=False)


def _settings(seed: int, draws: int) -> Settings:
    from saylau.analysis.run import Settings

    return Settings(seed=seed, draws=draws)


def _not_written(out: Path, e: OSError) -> typer.Exit:
    return _refuse(
        _("The folder %(path)s could not be written: %(detail)s")
        % {"path": out, "detail": e.strerror or str(e)}
    )


def _analyze_election(slug: str, out: Path, settings: Settings, lang: str, show: bool) -> None:
    """The report on the election's own results: built from the database, written to `out`."""
    from saylau.cli.database import server_django

    server_django(lang)
    from saylau.analysis import election_report
    from saylau.analysis.report_files import write_figures, write_json
    from saylau.elections import services as elections
    from saylau.elections.errors import ElectionNotFound

    try:
        found = elections.get_election(slug)
    except ElectionNotFound as e:
        raise _refuse(str(e)) from None
    with StageProgress(Console(stderr=True), enabled=show) as stages:
        built = election_report.build(found, settings, stages)
    report = {**built.report, "language": lang}
    try:
        figs = built.figures(_)
        report["figures"] = [name for name, _f in figs]
        out.mkdir(parents=True, exist_ok=True)
        write_json(out, report)
        write_figures(out, figs, report, lang, _)
    except OSError as e:
        raise _not_written(out, e) from None
    console = Console(soft_wrap=True)
    for skipped in report["skipped_contests"]:
        console.print(
            _(
                "%(name)s: %(stations)s stations, too few for the station tests "
                "(they need %(minimum)s)."
            )
            % {"name": skipped["contest"], **skipped},
            markup=False,
        )
    for stations, results in built.contests:
        _print_results(console, results, stations.contest)
    _print_results(console, built.online_results)
    console.print(_("The report is in %(path)s") % {"path": out / "report.html"}, markup=False)


def _meta(file: Path, loaded: Loaded, lang: str) -> dict[str, object]:
    return {
        "source": file.name,
        "language": lang,
        "rows": loaded.rows,
        "stations": len(loaded.precincts),
        "left_out_count": len(loaded.left_out),
        "left_out": [r.to_json() for r in loaded.left_out],
        "options": list(loaded.precincts.option_names),
        "regions": list(loaded.precincts.region_names),
    }


def _print_left_out(console: Console, loaded: Loaded, show_all: bool) -> None:
    console.print(
        _("Rows read: %(rows)s; analysed: %(stations)s; left out: %(left)s")
        % {"rows": loaded.rows, "stations": len(loaded.precincts), "left": len(loaded.left_out)},
        markup=False,
    )
    shown = loaded.left_out if show_all else loaded.left_out[:SHOWN]
    for item in shown:
        line = _("row %(row)s: %(reasons)s") % {"row": item.row, "reasons": item.message(_)}
        console.print("  " + line, markup=False, highlight=False)
    more = len(loaded.left_out) - len(shown)
    if more > 0:
        console.print(
            "  " + _("… and %(count)s more (--all lists every one)") % {"count": more},
            markup=False,
        )


def _print_results(console: Console, results: list[TestResult], contest: str = "") -> None:
    table = Table(title=_("Forensic tests") + (f": {contest}" if contest else ""))
    for head in (_("test"), _("statistic"), _("p-value"), _("95 % interval"), _("flagged")):
        table.add_column(head)
    for r in results:
        interval = f"{r.interval[0]:.4g} – {r.interval[1]:.4g}" if r.interval else "–"
        p = f"{r.p_value:.3g}" if r.p_value is not None else "–"
        flag = f"[red]{escape(_('yes'))}[/]" if r.flagged else escape(_("no"))
        table.add_row(escape(_(NAMES[r.test])), f"{r.statistic:.4g}", p, interval, flag)
    console.print(table)
    for r in results:
        console.print(f"{_(NAMES[r.test])}: {_(CAVEATS[r.test])}", markup=False)
    console.print(_(SIGNAL), markup=False)
