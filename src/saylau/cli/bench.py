"""`saylau bench …`: speed against a floor or a baseline measured in the same run (the
benchmarks themselves live in saylau.bench)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from saylau.bench.booth import BoothBenchError
from saylau.cli.bench_load import load
from saylau.cli.language import Lang
from saylau.i18n import _, activate

app = typer.Typer(
    help="Benchmarks (ratios against a floor measured in the same run).", no_args_is_help=True
)
app.command("load")(load)


@app.command("crypto")
def crypto(
    ballots: Annotated[int, typer.Option(help="Ballots in the tally benchmark")] = 20000,
    record_voters: Annotated[int, typer.Option(help="Voters in the verify benchmark")] = 2000,
    repeat: Annotated[int, typer.Option(help="Ballots timed for encrypt/verify")] = 30,
    lang: Lang = None,
) -> None:
    """Encrypt/verify one 12-option ballot, tally+decrypt N ballots, and verify throughput."""
    from saylau.bench import crypto_run

    activate(lang)
    try:
        crypto_run.run(Console(), ballots, record_voters, repeat)
    except crypto_run.RecordDidNotVerify as failed:
        Console(stderr=True).print(
            _("error: the benchmark record did not verify: %(problems)s")
            % {"problems": failed.problems},
            markup=False,
            style="red",
        )
        raise typer.Exit(1) from None


@app.command("booth")
def booth(
    repeat: Annotated[int, typer.Option(help="Ballots timed, after one cold run")] = 20,
    chromium: Annotated[str, typer.Option(help="The browser to drive")] = "/usr/bin/chromium",
    lang: Lang = None,
) -> None:
    """Encrypt and prove a two-contest ballot (12 + 8 options) in headless Chromium's Web
    Worker and in the Python core, in the same run; the ratio; target <= 300 ms."""
    from saylau.bench import booth as bench

    activate(lang)
    if repeat < 1:
        raise typer.BadParameter(_("at least %(count)s") % {"count": 1}, param_hint="--repeat")
    try:
        times = bench.measure(repeat, chromium)
    except bench.BoothBenchError as failed:
        Console(stderr=True).print(_booth_problem(failed), markup=False, style="red")
        raise typer.Exit(1) from None
    bench.print_times(Console(), times)


def _booth_problem(failed: BoothBenchError) -> str:
    detail = {"detail": failed.detail}
    if failed.code == "bench.no_worker":
        return _("error: the booth's worker is not built (%(detail)s): run make frontend") % detail
    if failed.code == "bench.no_chromium":
        return _("error: no browser at %(detail)s: make debs installs Debian's chromium") % detail
    if failed.code == "bench.no_playwright":
        return _("error: Playwright is not installed: make setup installs it")
    return _("error: the browser's ballot is wrong, a bug, not a slow run: %(detail)s") % detail


@app.command("http-client")
def http_client(
    requests: Annotated[int, typer.Option(help="Requests per round (3 rounds, the best)")] = 1000,
    close: Annotated[
        bool, typer.Option(help="The server answers Connection: close (a connection each)")
    ] = False,
    lang: Lang = None,
) -> None:
    """Client CPU per request of httpx, saylau's Connection and urllib3, POSTing 9 kB and
    reading 1.5 kB of JSON from a loopback server in another process; ratio to the fastest."""
    from saylau.bench import http_client as bench

    activate(lang)
    if requests < 10:
        raise typer.BadParameter(
            _("at least %(count)s requests") % {"count": 10}, param_hint="--requests"
        )
    bench.print_table(Console(), bench.measure(requests, close), requests, close)


@app.command("consolidate")
def consolidate(
    stations: Annotated[int, typer.Option(min=1, help="Paper polling stations")] = 10000,
    ballots: Annotated[int, typer.Option(min=0, help="Online ballots already tallied")] = 1000000,
    lang: Lang = None,
) -> None:
    """Consolidate N stations' protocols with M online ballots already tallied, and run the
    verifier's paper check over them; the time and its ratio to the 10 s target."""
    import sys

    from saylau.bench import consolidate as bench
    from saylau.cli.progress import StageProgress

    activate(lang)
    console = Console()
    with StageProgress(console, enabled=sys.stdout.isatty()) as bar:
        workload = bench.build(stations, ballots, bar)
    try:
        times = bench.measure(workload)
    except bench.PaperCheckFailed as failed:
        Console(stderr=True).print(
            _("error: the benchmark's protocols did not pass the paper check: %(problems)s")
            % {"problems": str(failed)},
            markup=False,
            style="red",
        )
        raise typer.Exit(1) from None
    bench.print_times(console, times, workload, stations)


@app.command("observers")
def observers(
    stations: Annotated[
        int, typer.Option(min=10, help="Polling stations (2 observers each)")
    ] = 10000,
    concurrency: Annotated[int, typer.Option(min=1, help="Observers at a time (closed loop)")] = 8,
    sample: Annotated[int, typer.Option(min=100, help="Reports in the closed loop")] = 4000,
    seconds: Annotated[float, typer.Option(min=5, help="Length of the open loop, s")] = 60.0,
    database_url: Annotated[
        str, typer.Option(help="A PostgreSQL database on 127.0.0.1, dropped and made again")
    ] = "postgres://postgres@127.0.0.1:5432/saylau_bench_observers",
    lang: Lang = None,
) -> None:
    """Observers' checklists and protocol copies under granian on PostgreSQL: the capacity as
    a ratio to the rate N stations × 2 observers × 2 reports an hour needs, and the p99 at
    that rate against 1 s; every accepted report stored once."""
    import os

    from saylau.bench import observers_run
    from saylau.cli.bench_load import _database

    activate(lang)
    url, name, maintenance = _database(database_url)
    config = observers_run.ObserversConfig(
        stations=stations,
        concurrency=concurrency,
        sample=sample,
        seconds=seconds,
        workers=os.cpu_count() or 1,
        database_url=url,
        maintenance_url=maintenance,
        database=name,
    )
    if not observers_run.run(Console(), config):
        raise typer.Exit(1)


@app.command("analyze")
def analyze(
    source: Annotated[
        str, typer.Option(help="The 2011 Duma protocols: the zip or its CSV")
    ] = "../shared/data/ru-precincts/duma-2011.csv.zip",
    columns: Annotated[
        str, typer.Option(help="Its column map")
    ] = "docs/examples/duma-2011-columns.yaml",
    lang: Lang = None,
) -> None:
    """`saylau analyze` end to end on the 95,225 protocols of the 2011 State Duma election;
    the time and its ratio to the 60 s target."""
    from pathlib import Path

    from saylau.bench import analyze as bench

    chosen = activate(lang)
    if not Path(source).exists():
        Console(stderr=True).print(
            _("error: no file at %(path)s") % {"path": source}, markup=False, style="red"
        )
        raise typer.Exit(1)
    bench.print_times(Console(), bench.measure(Path(source), Path(columns), chosen))
