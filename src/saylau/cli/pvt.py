"""``saylau pvt …``: the parallel vote tabulation on CSV files, without a database.

saylau pvt design STATIONS.csv --columns MAP.yaml --margin 0.01 --seed S --out sample.csv
saylau pvt estimate RESULTS.csv --columns MAP.yaml --design sample.csv [--official OFFICIAL.csv]

Exit code 0 when every row was used, 1 when some rows were left out (they are listed), 2 when
the map, a file or the sample cannot be used (docs/pvt.md).
"""

from __future__ import annotations

import hashlib
import json
import math
import sys
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from saylau.cli.language import Lang
from saylau.cli.paper import _refuse
from saylau.cli.pvt_files import (
    DESIGN_REQUIRED,
    ESTIMATE_REQUIRED,
    read_design,
    read_table,
    write_sample,
)
from saylau.cli.pvt_report import print_design, print_estimate, print_unreadable
from saylau.i18n import _, activate
from saylau.paper.column_map import ColumnMapError, load_map, render
from saylau.paper.results_table import ResultsTable
from saylau.survey import design as sampling
from saylau.survey import pvt
from saylau.survey.errors import MESSAGES, SurveyError
from saylau.survey.ratio import Strata

app = typer.Typer(
    name="pvt",
    help="Parallel vote tabulation: design a sample of stations, estimate from its protocols.",
    no_args_is_help=True,
)

Columns = Annotated[
    Path, typer.Option("--columns", help="MAP.yaml: which columns hold which line (and region).")
]
ShowProgress = Annotated[bool, typer.Option(help="Show progress bars (on a terminal).")]
Json = Annotated[bool, typer.Option("--json", help="Print the result as JSON instead.")]


def survey_refusal(e: SurveyError) -> typer.Exit:
    return _refuse(render(MESSAGES[e.code], e.params, _))


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def planning_of(table: ResultsTable, sd: float | None) -> sampling.Planning:
    """From the frame's past results when the map names valid and options, else from `sd`."""
    if not table.stations:
        raise SurveyError("survey.no_stations")
    valid = table.line("valid")
    if sd is None and valid is not None and table.options.shape[1] > 0:
        votes = table.options.astype(np.float64)
        return sampling.planning_from_results(table.regions, valid.astype(np.float64), votes)
    voters = table.lines["voters_on_list"].astype(np.float64)
    return sampling.planning_from_sd(sd if sd is not None else 0.15, table.regions, voters)


@app.command("design")
def design(
    stations: Annotated[Path, typer.Argument(help="The stations (the frame) as CSV.")],
    columns: Columns,
    margin: Annotated[float, typer.Option(help="Target half-width of a share's interval.")],
    seed: Annotated[str, typer.Option(help="The public seed of the draw (e.g. a lottery).")],
    out: Annotated[Path, typer.Option("--out", help="Write the sample here (CSV).")],
    confidence: Annotated[float, typer.Option(help="Confidence of the interval.")] = 0.95,
    allocation: Annotated[
        str, typer.Option(help="proportional, or neyman (by the strata's spread).")
    ] = "proportional",
    sd: Annotated[
        float | None,
        typer.Option(help="Planning spread of a share between stations (default 0.15)."),
    ] = None,
    as_json: Json = False,
    progress: ShowProgress = True,
    lang: Lang = None,
) -> None:
    """Choose how many stations to sample in each region for a target margin, and draw them."""
    activate(lang)
    if allocation not in sampling.ALLOCATIONS:
        raise _refuse(_("--allocation must be proportional or neyman."))
    show = progress and not as_json and sys.stderr.isatty()
    table = read_table(stations, load_columns(columns, DESIGN_REQUIRED), show)
    try:
        plan = planning_of(table, sd)
        chosen = sampling.design_sample(
            table.sizes(),
            plan,
            margin=margin,
            confidence=confidence,
            allocation=allocation,
            mean_voters=float(table.lines["voters_on_list"].mean()),
        )
    except SurveyError as e:
        raise survey_refusal(e) from None
    picked = sampling.draw(table.stations, table.regions, chosen.sample, seed)
    write_sample(out, table, picked, chosen)
    doc = design_json(chosen, plan, seed, file_sha256(stations), table, sd)
    if as_json:
        sys.stdout.write(json.dumps(doc, ensure_ascii=False) + "\n")
    else:
        console = Console(soft_wrap=True)
        print_design(console, chosen, doc, out)
        print_unreadable(console, table.unreadable)
    raise typer.Exit(1 if table.unreadable else 0)


def load_columns(columns: Path, required: tuple[str, ...]) -> Any:
    try:
        return load_map(columns, required)
    except ColumnMapError as e:
        raise _refuse(e.message_in(_)) from None


def design_json(
    chosen: sampling.Design,
    plan: sampling.Planning,
    seed: str,
    frame_sha256: str,
    table: ResultsTable,
    sd: float | None,
) -> dict[str, Any]:
    return {
        "stations_in_frame": len(table.stations),
        "sample": chosen.n,
        "strata": {
            h: {"stations": chosen.sizes[h], "sample": chosen.sample[h]} for h in chosen.sizes
        },
        "margin": chosen.margin,
        "expected_margin": chosen.expected_margin,
        "confidence": chosen.confidence,
        "allocation": chosen.allocation,
        "planning": plan.source,
        "sd": (sd if sd is not None else 0.15) if plan.source == "sd" else None,
        "deff": chosen.deff,
        "seed": seed,
        "frame_sha256": frame_sha256,
        "unreadable_rows": [bad.row for bad in table.unreadable],
    }


@app.command("estimate")
def estimate(
    results: Annotated[Path, typer.Argument(help="The sampled stations' protocols (CSV).")],
    columns: Columns,
    design_file: Annotated[
        Path | None,
        typer.Option("--design", help="The sample `pvt design` wrote (regions and sizes)."),
    ] = None,
    official: Annotated[
        Path | None, typer.Option(help="The official results of every station (CSV).")
    ] = None,
    official_columns: Annotated[
        Path | None, typer.Option(help="MAP.yaml of the official file (default: --columns).")
    ] = None,
    confidence: Annotated[float, typer.Option(help="Confidence of the intervals.")] = 0.95,
    bootstrap: Annotated[int, typer.Option(help="Bootstrap replicates (0: none).")] = 1000,
    seed: Annotated[int, typer.Option(help="Seed of the bootstrap.")] = 0,
    as_json: Json = False,
    progress: ShowProgress = True,
    lang: Lang = None,
) -> None:
    """Estimate each option's share and the turnout from the sampled protocols, with analytic
    and bootstrap intervals, and compare them with the official result."""
    activate(lang)
    show = progress and not as_json and sys.stderr.isatty()
    column_map = load_columns(columns, ESTIMATE_REQUIRED)
    official_map = (
        load_columns(official_columns, ESTIMATE_REQUIRED) if official_columns else column_map
    )
    if design_file is None and (
        official is None or not column_map.region or not official_map.region
    ):
        raise _refuse(
            _("Give --design (the sample), or --official with a column map naming the region.")
        )
    table = read_table(results, column_map, show)
    official_table = None if official is None else read_table(official, official_map, show)
    if design_file is not None:
        used, left_out, missing, sizes = sampled_rows(table, design_file)
    else:
        used, left_out, missing = list(range(len(table.stations))), [], []
        sizes = official_table.sizes() if official_table is not None else {}
    try:
        sample = _pvt_sample(table, used, sizes)
        with counting_bar(show and bootstrap > 0) as bar:
            task = bar.add_task(_("bootstrap"), total=bootstrap)
            found = pvt.estimate_pvt(
                sample,
                confidence=confidence,
                bootstrap=bootstrap,
                rng=np.random.default_rng(seed),
                on_progress=lambda done, total: bar.update(task, completed=done, total=total),
            )
        compared = _compare(found, official_table)
    except SurveyError as e:
        raise survey_refusal(e) from None
    doc = _estimate_json(found, compared, table, left_out, missing, bootstrap, seed)
    if as_json:
        sys.stdout.write(json.dumps(doc, ensure_ascii=False) + "\n")
    else:
        console = Console(soft_wrap=True)
        print_estimate(console, doc)
        print_unreadable(console, table.unreadable)
    raise typer.Exit(1 if table.unreadable or left_out else 0)


def counting_bar(enabled: bool) -> Progress:
    """A progress bar counting replicates (the reading bar counts bytes)."""
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        disable=not enabled,
    )


def sampled_rows(
    table: ResultsTable, design_file: Path
) -> tuple[list[int], list[int], list[str], dict[str, int]]:
    """(positions used, rows left out as not sampled, sampled stations without results, N_h)
    with each used station's region set to its stratum in the design."""
    regions, sizes = read_design(design_file)
    used, left_out = [], []
    for i, station in enumerate(table.stations):
        if station in regions:
            table.regions[i] = regions[station]
            used.append(i)
        else:
            left_out.append(table.rows[i])
    reported = set(table.stations)
    missing = [station for station in regions if station not in reported]
    return used, left_out, missing, sizes


def _pvt_sample(table: ResultsTable, used: list[int], sizes: dict[str, int]) -> pvt.PvtSample:
    rows = np.asarray(used, np.int64)
    strata = Strata.of([table.regions[i] for i in used], sizes)
    cast = table.line("ballots_in_boxes")
    return pvt.PvtSample(
        strata,
        table.options[rows].astype(np.float64),
        table.lines["valid"][rows].astype(np.float64),
        table.lines["voters_on_list"][rows].astype(np.float64),
        None if cast is None else cast[rows].astype(np.float64),
    )


def _compare(
    found: pvt.PvtEstimate, official: ResultsTable | None
) -> tuple[list[pvt.Comparison] | None, pvt.Comparison | None]:
    if official is None:
        return None, None
    valid = official.lines["valid"].astype(np.float64)
    shares = pvt.compare(
        found.shares, pvt.population_shares(official.options.astype(np.float64), valid)
    )
    cast = official.line("ballots_in_boxes")
    if found.turnout is None or cast is None:
        return shares, None
    turnout = cast.sum() / max(1, int(official.lines["voters_on_list"].sum()))
    return shares, pvt.compare(found.turnout, np.array([turnout]))[0]


def _estimate_json(
    found: pvt.PvtEstimate,
    compared: tuple[list[pvt.Comparison] | None, pvt.Comparison | None],
    table: ResultsTable,
    left_out: list[int],
    missing: list[str],
    bootstrap: int,
    seed: int,
) -> dict[str, Any]:
    shares, turnout = compared
    options = [
        entry_json(found.shares, j, name, shares[j] if shares else None)
        for j, name in enumerate(table.option_names)
    ]
    return {
        "stations": found.stations,
        "strata": found.strata,
        "confidence": found.confidence,
        "bootstrap": bootstrap,
        "seed": seed,
        "options": options,
        "turnout": entry_json(found.turnout, 0, "turnout", turnout) if found.turnout else None,
        "unreadable_rows": [bad.row for bad in table.unreadable],
        "not_in_sample_rows": left_out,
        "sampled_without_results": missing,
    }


def entry_json(r: Any, j: int, name: str, official: pvt.Comparison | None) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "option": name,
        "estimate": float(r.estimate[j]),
        "se": float(r.se[j]),
        "interval": [float(r.low[j]), float(r.high[j])],
    }
    if r.boot_se is not None:
        entry["bootstrap_se"] = float(r.boot_se[j])
        entry["bootstrap_interval"] = [float(r.boot_low[j]), float(r.boot_high[j])]
    if official is not None:
        entry |= {
            "official": official.official,
            "difference": official.difference,
            "z": official.z if math.isfinite(official.z) else None,  # None: se 0, d not 0
            "official_inside": official.inside_analytic,
            "official_inside_bootstrap": official.inside_bootstrap,
        }
    return entry
