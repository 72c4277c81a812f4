"""`saylau bench load`: the voting service under load, against the crypto floor of this run.

1. setup (another process, Django): a dedicated PostgreSQL database, N synthetic members,
   the roll, an election (IP policy `flag`) with the DEMO ceremony and CA played in process,
   voting opened; the voters' secret codes come from the in-process CA (benchmark only);
2. every voter's ballot is encrypted before the clock starts, in a process pool (that is
   the voter's device's work);
3. the floor: cores / the median time of verify_ballot on this election's ballot, sampled
   before, between and after the cast phase's stretches (the app server idle), each
   stretch compared with the floor next to it: this machine's speed drifts within seconds;
4. the app servers (granian): as many as cores, one worker each, on ports of their own on
   127.0.0.1; the voters' threads take them in turn; this process drives them with the
   Python voting client: whole voter flows, sign-ins, a closed loop of casts, an open loop
   of casts at 80 % of that rate (for the latency target), and an over-capacity burst;
5. afterwards every receipt's ballot must be on the board at its leaf index (database and
   public API), and the board one consistent Merkle log.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape

from saylau.bench import load_report as out
from saylau.bench.load_drive import drive
from saylau.i18n import _


@dataclass(frozen=True)
class LoadConfig:
    """The options of `saylau bench load`, checked by the command."""

    voters: int
    concurrency: int
    workers: int
    threads: int
    server: str
    districts: int
    database_url: str
    database: str  # its name
    maintenance_url: str  # the `postgres` database of the same server
    duration: float
    burst: int
    conn_max_age: int
    seed: int
    keep_database: bool
    json_out: Path | None


def recreate(maintenance: str, name: str, *, create: bool = True) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        if create:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _logged_errors(text: str) -> bool:
    return "Traceback" in text or "[ERROR]" in text or "[CRITICAL]" in text


def _open_election(console: Console, cfg: LoadConfig, work: Path, key: str) -> dict[str, Any]:
    from saylau.bench import load_setup

    out.heading(
        console,
        _("setup"),
        _("database %(name)s, voters: %(voters)s, districts: %(districts)s")
        % {"name": cfg.database, "voters": cfg.voters, "districts": cfg.districts},
    )
    started = time.perf_counter()
    recreate(cfg.maintenance_url, cfg.database)
    setup = load_setup.open_in_subprocess(
        cfg.database_url, work, key, voters=cfg.voters, districts=cfg.districts, seed=cfg.seed
    )
    out.line(
        console,
        _("election open in %(seconds)s s") % {"seconds": f"{time.perf_counter() - started:.1f}"},
        "  ",
    )
    return setup


def _encrypt(console: Console, setup: dict[str, Any], cores: int) -> list[Any]:
    from saylau.bench import ballots

    started = time.perf_counter()
    encrypted = ballots.encrypt_all(
        setup["manifest"], setup["joint_public_key"], setup["voters"], cores
    )
    out.line(
        console,
        _(
            "%(ballots)s ballots encrypted in %(seconds)s s (%(cores)s processes, "
            "before the clock starts)"
        )
        % {
            "ballots": len(encrypted),
            "seconds": f"{time.perf_counter() - started:.1f}",
            "cores": cores,
        },
        "  ",
    )
    return encrypted


def _floor_sampler(
    console: Console, setup: dict[str, Any], encrypted: list[Any], cores: int
) -> tuple[Callable[[], list[float]], list[float]]:
    """Print the floor now; return the sampler of the floor next to each stretch and the
    list every sample goes to (the floor of the whole run)."""
    from saylau.bench import ballots
    from saylau.bench.load_phase import CAST_STRETCHES

    ctx = ballots.election_context(setup["manifest"], setup["joint_public_key"])
    t_verify = statistics.median(ballots.verify_samples(ctx, encrypted[:30]))
    out.heading(
        console,
        _("floor"),
        _(
            "verify_ballot %(ms)s ms CPU now (median of 30) → %(cores)s cores ÷ %(ms)s ms = "
            "%(rate)s ballots/s; the cast phase runs in %(stretches)s stretches, each "
            "compared with the floor measured right before and right after it"
        )
        % {
            "ms": f"{t_verify * 1e3:.2f}",
            "cores": cores,
            "rate": f"{cores / t_verify:.0f}",
            "stretches": CAST_STRETCHES,
        },
    )
    samples: list[float] = []

    def measure_floor() -> list[float]:
        """Samples of verify_ballot now (the app server idle), CPU seconds each."""
        batch = ballots.verify_samples(ctx, encrypted[:40], repeat=40)
        samples.extend(batch)
        return batch

    return measure_floor, samples


def _start_servers(console: Console, cfg: LoadConfig, work: Path, key: str) -> Any:
    from saylau.bench.server import AppServers, server_env

    env = server_env(
        cfg.database_url,
        key,
        SAYLAU_VAR_DIR=str(work),
        SAYLAU_DB_CONN_MAX_AGE=str(cfg.conn_max_age),
        # Every benchmark voter comes from 127.0.0.1: lift the per-network sign-in cap.
        SAYLAU_SIGNIN_PER_NETWORK_PER_HOUR=str(10 * cfg.voters + 1000),
    )
    server = AppServers(env, count=cfg.workers, threads=cfg.threads, server=cfg.server, logs=work)
    server.start()
    out.heading(
        console,
        _("server"),
        out.server_line(cfg.server, server.urls, cfg.threads, cfg.conn_max_age),
    )
    return server


def _clean_up(console: Console, cfg: LoadConfig, work: Path) -> None:
    """Drop the database (unless kept); keep the work directory if a server logged errors."""
    if not cfg.keep_database:
        recreate(cfg.maintenance_url, cfg.database, create=False)
    logs = sorted(work.glob("server-*.log"))
    texts = [log.read_text(errors="replace") for log in logs]
    bad = [log for log, t in zip(logs, texts, strict=True) if _logged_errors(t)]
    if bad:
        console.print(
            escape(_("the app server logged errors: %(path)s") % {"path": bad[0]}),
            style="red",
        )
    else:
        shutil.rmtree(work, ignore_errors=True)


def run(console: Console, cfg: LoadConfig) -> bool:
    """Run the benchmark; write the JSON if asked; True if every target was met."""
    from saylau.bench import driver

    cores = os.cpu_count() or 1
    driver.STOP.clear()
    work = Path(tempfile.mkdtemp(prefix="saylau-bench-load-"))
    key = secrets.token_urlsafe(48)
    server = None
    try:
        setup = _open_election(console, cfg, work, key)
        encrypted = _encrypt(console, setup, cores)
        measure_floor, samples = _floor_sampler(console, setup, encrypted, cores)
        server = _start_servers(console, cfg, work, key)
        results = drive(
            console,
            server,
            cfg.database_url,
            setup,
            encrypted,
            concurrency=cfg.concurrency,
            burst=cfg.burst,
            measure_floor=measure_floor,
            deadline=time.monotonic() + cfg.duration,
        )
        results.update(
            {
                "voters": cfg.voters,
                "districts": cfg.districts,
                "cores": cores,
                "server": cfg.server,
                "workers": cfg.workers,
                "threads": cfg.threads,
                "concurrency": cfg.concurrency,
                "conn_max_age": cfg.conn_max_age,
                "verify_ms": statistics.median(samples) * 1e3,
                "verify_samples": len(samples),
            }
        )
        server.stop()
        server = None
        if cfg.json_out is not None:
            cfg.json_out.write_text(json.dumps(results, indent=2), encoding="utf-8")
        return bool(results["passed"])
    finally:
        driver.STOP.set()
        if server is not None:
            server.stop()
        _clean_up(console, cfg, work)
