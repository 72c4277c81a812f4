"""``saylau exitpoll …``: an exit poll's sample and estimate on CSV files, without a database.

saylau exitpoll design STATIONS.csv --columns MAP.yaml --margin 0.02 --seed S --out sample.csv
    [--interviews 60 --response-rate 0.7 --turnout 0.6]
saylau exitpoll estimate POLL.csv --columns MAP.yaml --design sample.csv [--official OFFICIAL.csv]

POLL.csv has a row per sampled station: its answers per option (`options`), the refusals
(`refusals`) and the voters counted leaving (`voters_counted`). Exit codes as `saylau pvt`'s
(docs/pvt.md §5).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import typer
from rich.console import Console

from saylau.cli.language import Lang
from saylau.cli.paper import _refuse
from saylau.cli.pvt import (
    Columns,
    Json,
    ShowProgress,
    counting_bar,
    design_json,
    entry_json,
    file_sha256,
    planning_of,
    sampled_rows,
    survey_refusal,
)
from saylau.cli.pvt_files import DESIGN_REQUIRED, ESTIMATE_REQUIRED, read_table, write_sample
from saylau.cli.pvt_report import print_design, print_exitpoll, print_unreadable
from saylau.i18n import _, activate
from saylau.paper.column_map import ColumnMapError, load_map
from saylau.paper.results_table import ResultsTable
from saylau.survey import design as sampling
from saylau.survey import exitpoll, pvt
from saylau.survey.errors import SurveyError
from saylau.survey.ratio import Strata

app = typer.Typer(
    name="exitpoll",
    help="Exit poll: a sample of stations with interview quotas, estimates from the answers.",
    no_args_is_help=True,
)

POLL_COUNTS = ("refusals", "voters_counted")
POLL_REQUIRED = ("options", *POLL_COUNTS)


@app.command("design")
def design(
    stations: Annotated[Path, typer.Argument(help="The stations (the frame) as CSV.")],
    columns: Columns,
    margin: Annotated[float, typer.Option(help="Target half-width of a share's interval.")],
    seed: Annotated[str, typer.Option(help="The public seed of the draw (e.g. a lottery).")],
    out: Annotated[Path, typer.Option("--out", help="Write the sample here (CSV).")],
    interviews: Annotated[int, typer.Option(help="Interviews wanted per station.")] = 60,
    response_rate: Annotated[float, typer.Option(help="Share of voters expected to answer.")] = 0.7,
    turnout: Annotated[float, typer.Option(help="Expected turnout (sets the interval).")] = 0.6,
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
    """Choose the stations for a target margin (interviews included), draw them, set quotas."""
    activate(lang)
    if allocation not in sampling.ALLOCATIONS:
        raise _refuse(_("--allocation must be proportional or neyman."))
    show = progress and not as_json and sys.stderr.isatty()
    table = read_table(stations, _columns(columns, DESIGN_REQUIRED), show)
    voters = table.lines["voters_on_list"].astype(np.float64)
    try:
        if not 0 < turnout <= 1:
            raise SurveyError("survey.turnout", turnout=turnout)
        base = planning_of(table, sd)
        plan = exitpoll.planning_for_interviews(base, table.regions, voters, interviews)
        chosen = sampling.design_sample(
            table.sizes(),
            plan,
            margin=margin,
            confidence=confidence,
            allocation=allocation,
            mean_voters=float(voters.mean()),
        )
        picked = sampling.draw(table.stations, table.regions, chosen.sample, seed)
        quotas = exitpoll.interview_plan(voters[picked] * turnout, interviews, response_rate)
    except SurveyError as e:
        raise survey_refusal(e) from None
    extra = {
        "interviews": [int(v) for v in quotas.quota],
        "approaches": [int(v) for v in quotas.approaches],
        "approach_every": [int(v) for v in quotas.every],
    }
    write_sample(out, table, picked, chosen, extra)
    doc = design_json(chosen, plan, seed, file_sha256(stations), table, sd)
    doc |= {"interviews": interviews, "response_rate": response_rate, "turnout": turnout}
    if as_json:
        sys.stdout.write(json.dumps(doc, ensure_ascii=False) + "\n")
    else:
        console = Console(soft_wrap=True)
        print_design(console, chosen, doc, out)
        print_unreadable(console, table.unreadable)
    raise typer.Exit(1 if table.unreadable else 0)


def _columns(path: Path, required: tuple[str, ...], extra: tuple[str, ...] = ()) -> Any:
    try:
        return load_map(path, required, extra)
    except ColumnMapError as e:
        raise _refuse(e.message_in(_)) from None


@app.command("estimate")
def estimate(
    poll_file: Annotated[Path, typer.Argument(help="The answers per sampled station (CSV).")],
    columns: Columns,
    design_file: Annotated[
        Path, typer.Option("--design", help="The sample `exitpoll design` wrote.")
    ],
    official: Annotated[
        Path | None, typer.Option(help="The official results of every station (CSV).")
    ] = None,
    official_columns: Annotated[
        Path | None, typer.Option(help="MAP.yaml of the official file (a protocol map).")
    ] = None,
    confidence: Annotated[float, typer.Option(help="Confidence of the intervals.")] = 0.95,
    bootstrap: Annotated[int, typer.Option(help="Bootstrap replicates (0: none).")] = 1000,
    seed: Annotated[int, typer.Option(help="Seed of the bootstrap.")] = 0,
    as_json: Json = False,
    progress: ShowProgress = True,
    lang: Lang = None,
) -> None:
    """Estimate each option's share among the voters, with non-response weighting, and
    compare with the official count: the difference and the within-precinct error."""
    activate(lang)
    show = progress and not as_json and sys.stderr.isatty()
    poll_map = _columns(columns, POLL_REQUIRED, POLL_COUNTS)
    if official is not None and official_columns is None:
        raise _refuse(_("Give --official-columns: the official file needs a protocol map."))
    official_map = _columns(official_columns, ESTIMATE_REQUIRED) if official_columns else None
    table = read_table(poll_file, poll_map, show)
    used, left_out, missing, sizes = sampled_rows(table, design_file)
    official_table = None
    if official is not None and official_map is not None:
        official_table = read_table(official, official_map, show)
    try:
        poll = _poll(table, used, sizes)
        with counting_bar(show and bootstrap > 0) as bar:
            task = bar.add_task(_("bootstrap"), total=bootstrap)
            found = exitpoll.estimate_exitpoll(
                poll,
                confidence=confidence,
                bootstrap=bootstrap,
                rng=np.random.default_rng(seed),
                on_progress=lambda done, total: bar.update(task, completed=done, total=total),
            )
        names = [table.stations[i] for i in used]
        doc = _json(found, table, official_table, names, poll, confidence)
    except SurveyError as e:
        raise survey_refusal(e) from None
    doc |= {"unreadable_rows": [bad.row for bad in table.unreadable]}
    doc |= {"not_in_sample_rows": left_out, "sampled_without_results": missing}
    if as_json:
        sys.stdout.write(json.dumps(doc, ensure_ascii=False) + "\n")
    else:
        console = Console(soft_wrap=True)
        print_exitpoll(console, doc)
        print_unreadable(console, table.unreadable)
    raise typer.Exit(1 if table.unreadable or left_out else 0)


def _poll(table: ResultsTable, used: list[int], sizes: dict[str, int]) -> exitpoll.Poll:
    rows = np.asarray(used, np.int64)
    return exitpoll.Poll(
        Strata.of([table.regions[i] for i in used], sizes),
        table.options[rows].astype(np.float64),
        table.lines["refusals"][rows].astype(np.float64),
        table.lines["voters_counted"][rows].astype(np.float64),
    )


def _json(
    found: exitpoll.ExitPollEstimate,
    table: ResultsTable,
    official: ResultsTable | None,
    stations: list[str],
    poll: exitpoll.Poll,
    confidence: float,
) -> dict[str, Any]:
    compared: list[pvt.Comparison | None] = [None] * len(table.option_names)
    wpe = None
    if official is not None:
        valid = official.lines["valid"].astype(np.float64)
        votes = official.options.astype(np.float64)
        shares = pvt.population_shares(votes, valid)
        compared = list(pvt.compare(found.shares, shares))
        wpe = _wpe(poll, stations, official, shares)
    return {
        "stations": found.stations,
        "dropped": found.dropped,
        "respondents": found.respondents,
        "refusals": found.refusals,
        "response_rate": found.response_rate,
        "confidence": confidence,
        "options": [
            entry_json(found.shares, j, name, compared[j])
            for j, name in enumerate(table.option_names)
        ],
        "wpe": wpe,
    }


def _wpe(
    poll: exitpoll.Poll, stations: list[str], official: ResultsTable, shares: np.ndarray
) -> dict[str, Any] | None:
    """The within-precinct error of the two leading options (officially) at the sampled
    stations the official table has."""
    where = {station: k for k, station in enumerate(official.stations)}
    both = [k for k, station in enumerate(stations) if station in where]
    rows = np.asarray([where[stations[k]] for k in both], np.int64)
    first, second = (int(j) for j in np.argsort(-shares)[:2])
    found = exitpoll.within_precinct_error(
        poll.answers[both],
        official.options[rows].astype(np.float64),
        official.lines["valid"][rows].astype(np.float64),
        (first, second),
    )
    names = [stations[k] for k in both]
    with_wpe = [name for name, kept in zip(names, found.stations, strict=True) if kept]
    return {
        "pair": [official.option_names[first], official.option_names[second]],
        "mean": found.mean,
        "se": found.se,
        "stations": len(with_wpe),
        "per_station": [
            {"station": name, "wpe": float(value)}
            for name, value in zip(with_wpe, found.per_station, strict=True)
        ],
    }
