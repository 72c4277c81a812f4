"""`saylau bench load`: the options, checked; the benchmark is saylau.bench.load_run."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit, urlunsplit

import typer
from rich.console import Console

from saylau.cli.language import Lang
from saylau.i18n import _, activate


def _database(url: str) -> tuple[str, str, str]:
    """(the benchmark database's URL, its name, the maintenance database's URL)."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if parts.scheme not in ("postgres", "postgresql", "pgsql"):
        raise typer.BadParameter(
            _("a PostgreSQL URL: %(example)s") % {"example": "postgres://user@127.0.0.1:5432/name"}
        )
    if parts.hostname not in ("127.0.0.1", "localhost"):
        raise typer.BadParameter(_("the benchmark runs on this machine only (127.0.0.1)"))
    if "bench" not in name:
        raise typer.BadParameter(
            _("the database is dropped and made again: its name must contain 'bench'")
        )
    return url, name, urlunsplit(parts._replace(path="/postgres"))


def _check_counts(voters: int, server_name: str, districts: int) -> None:
    from saylau.bench.server import SERVERS

    if voters < 50:
        raise typer.BadParameter(
            _("at least %(count)s voters") % {"count": 50}, param_hint="--voters"
        )
    if server_name not in SERVERS:
        raise typer.BadParameter(
            _("one of: %(choices)s") % {"choices": ", ".join(SERVERS)}, param_hint="--server"
        )
    if districts < 3:
        raise typer.BadParameter(
            _("at least %(count)s districts") % {"count": 3}, param_hint="--districts"
        )


def load(
    voters: Annotated[int, typer.Option(help="Synthetic voters (each casts once)")] = 3000,
    concurrency: Annotated[int, typer.Option(help="Voters at a time (closed loops)")] = 8,
    workers: Annotated[
        int, typer.Option(help="App servers of one worker each (0: one per core)")
    ] = 0,
    threads: Annotated[int, typer.Option(help="Threads per worker (gunicorn: gthread if > 1)")] = 1,
    server_name: Annotated[
        str,
        typer.Option(
            "--server", help="The app server: granian (production's) or gunicorn (to compare)"
        ),
    ] = "granian",
    districts: Annotated[int, typer.Option(help="Districts of the roll (≥ 3)")] = 3,
    database_url: Annotated[
        str, typer.Option(help="A PostgreSQL database on 127.0.0.1, dropped and made again")
    ] = "postgres://postgres@127.0.0.1:5432/saylau_bench",
    duration: Annotated[float, typer.Option(help="Cap on the timed phases, seconds")] = 600.0,
    burst: Annotated[int, typer.Option(help="Over-capacity burst: concurrency × this")] = 4,
    conn_max_age: Annotated[
        int,
        typer.Option(help="SAYLAU_DB_CONN_MAX_AGE of the app server (0: a connection per request)"),
    ] = 60,
    seed: Annotated[int, typer.Option(help="Seed of the synthetic roll")] = 0,
    keep_database: Annotated[bool, typer.Option(help="Keep the database afterwards")] = False,
    json_out: Annotated[
        Path | None, typer.Option("--json", help="Also write the figures to this file")
    ] = None,
    lang: Lang = None,
) -> None:
    """Sign-in + cast throughput and latency under granian on PostgreSQL, as a ratio to the
    crypto floor (cores ÷ per-ballot verify time, measured in this run); then checks that
    every receipt's ballot is on the board."""
    from saylau.bench import load_run

    activate(lang)
    _check_counts(voters, server_name, districts)
    url, name, maintenance = _database(database_url)
    config = load_run.LoadConfig(
        voters=voters,
        concurrency=concurrency,
        workers=workers or os.cpu_count() or 1,
        threads=threads,
        server=server_name,
        districts=districts,
        database_url=url,
        database=name,
        maintenance_url=maintenance,
        duration=duration,
        burst=burst,
        conn_max_age=conn_max_age,
        seed=seed,
        keep_database=keep_database,
        json_out=json_out,
    )
    if not load_run.run(Console(), config):
        raise typer.Exit(1)
