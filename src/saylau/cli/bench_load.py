"""`saylau bench load`: the voting service under load, against the crypto floor of this run.

1. setup (another process, Django): a dedicated PostgreSQL database, N synthetic members,
   the roll, an election (IP policy `flag`) with the DEMO ceremony and CA played in process,
   voting opened; the voters' secret codes come from the in-process CA (benchmark only);
2. every voter's ballot is encrypted before the clock starts, in a process pool (that is
   the voter's device's work);
3. the floor: the median time of verify_ballot on this election's ballot, now, here;
   floor = cores / that time — what the cores could verify if they did nothing else. The
   cast phase runs in CAST_STRETCHES stretches with the floor sampled before, between and
   after them (the app server idle), and each stretch is compared with the floor next to
   it: this machine's speed drifts within seconds;
4. the app servers (granian, decision 0012): as many as cores, one worker each, on ports of
   their own on 127.0.0.1, as behind a load balancer — the voters' threads take them in
   turn (decision 0017); this process drives them with the Python voting client: a closed
   loop of whole voter flows (sign-in, the code from the SMS outbox, verify, cast, receipt
   check), sign-ins, a closed loop of casts, an open loop of casts at 80 % of that rate
   (for the latency target), and an over-capacity burst;
5. afterwards every receipt's ballot must be on the board at its leaf index (database and
   public API), and the board one consistent Merkle log.
"""

from __future__ import annotations

import json
import os
import secrets
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit, urlunsplit

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from saylau.bench.stats import merged, ratio_to_floors
from saylau.cli.language import Lang
from saylau.i18n import _, activate, gettext_noop

TARGET_RATIO = 0.6
TARGET_P99 = 1.0
SHARES = {"flow": 0.2, "cast": 0.3, "open": 0.3, "burst": 0.2}
CAST_STRETCHES = 4


@dataclass
class Phase:
    """One timed phase. `name` is an identifier (the JSON's and the tables'); `about` is a
    msgid with %(name)s placeholders filled from `params`: `what` is its English text (the
    JSON's, the same in every language), `label` its translation (the tables')."""

    name: str
    about: str
    params: dict[str, Any]
    tally: Any
    cpu: dict[str, float]
    machine: float = float("nan")  # busy CPU seconds of the whole machine (/proc/stat)
    # A phase run in stretches (the cast phase): per stretch (done, steady rate, the floor
    # measured next to it); the pauses between them (the floor's samples) are not its time.
    stretches: list[tuple[int, float, float]] = field(default_factory=list)
    seconds: float = float("nan")  # the time it ran, pauses left out (NaN: start to end)

    @property
    def ok(self) -> int:
        return len(self.tally.finished_at)

    @property
    def rate(self) -> float:
        """Completions per second (in stretches: all of them over the stretches' time)."""
        if self.stretches:
            took = sum(n / r for n, r, _f in self.stretches if r > 0)
            return sum(n for n, r, _f in self.stretches if r > 0) / took if took else 0.0
        return float(self.tally.rate)

    @property
    def wall(self) -> float:
        if self.seconds == self.seconds:  # not NaN
            return self.seconds
        return float(self.tally.ended - self.tally.started)

    def ratio(self, floor: float) -> float:
        """Its rate against the floor (in stretches: each against its own floor)."""
        return ratio_to_floors(self.stretches) if self.stretches else self.rate / floor

    @property
    def what(self) -> str:
        return self.about % self.params

    @property
    def label(self) -> str:
        return _(self.about) % self.params


def _heading(console: Console, title: str, text: str = "") -> None:
    """`title: text` with the title in bold (both already translated)."""
    console.print(f"[bold]{escape(title)}[/]" + (f": {escape(text)}" if text else ""))


def _line(console: Console, text: str, indent: str = "") -> None:
    console.print(indent + text, markup=False, highlight=False)


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


def _recreate(maintenance: str, name: str, *, create: bool = True) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        if create:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _postmaster(url: str) -> int | None:
    import psycopg

    from saylau.bench import cpu

    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT pg_backend_pid()").fetchone()
    return cpu.parent(int(row[0])) if row else None


class CpuMeter:
    """CPU seconds of the app servers, PostgreSQL and this process, per phase."""

    def __init__(self, server_pids: list[int], postmaster: int | None) -> None:
        self.server_pids, self.postmaster = server_pids, postmaster

    def read(self) -> dict[str, float]:
        from saylau.bench import cpu

        return {
            "server": sum(cpu.tree_seconds(pid) for pid in self.server_pids),
            "postgres": cpu.tree_seconds(self.postmaster) if self.postmaster else 0.0,
            "client": cpu.self_seconds(),
        }

    @staticmethod
    def diff(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
        return {k: after[k] - before[k] for k in before}


def _logged_errors(text: str) -> bool:
    return "Traceback" in text or "[ERROR]" in text or "[CRITICAL]" in text


def _ms(seconds: float) -> str:
    return f"{seconds * 1e3:.0f}" if seconds == seconds else "–"  # NaN: no value


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
    from saylau.bench import ballots as bench_ballots
    from saylau.bench import driver, load_setup
    from saylau.bench.server import SERVERS, AppServers, server_env

    activate(lang)
    console = Console()
    cores = os.cpu_count() or 1
    workers = workers or cores
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
    url, name, maintenance = _database(database_url)
    driver.STOP.clear()
    work = Path(tempfile.mkdtemp(prefix="saylau-bench-load-"))
    secret_key = secrets.token_urlsafe(48)
    server: AppServers | None = None
    try:
        _heading(
            console,
            _("setup"),
            _("database %(name)s, voters: %(voters)s, districts: %(districts)s")
            % {"name": name, "voters": voters, "districts": districts},
        )
        started = time.perf_counter()
        _recreate(maintenance, name)
        setup = load_setup.open_in_subprocess(
            url, work, secret_key, voters=voters, districts=districts, seed=seed
        )
        _line(
            console,
            _("election open in %(seconds)s s")
            % {"seconds": f"{time.perf_counter() - started:.1f}"},
            "  ",
        )

        started = time.perf_counter()
        encrypted = bench_ballots.encrypt_all(
            setup["manifest"], setup["joint_public_key"], setup["voters"], cores
        )
        _line(
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
        ctx = bench_ballots.election_context(setup["manifest"], setup["joint_public_key"])
        t_verify = statistics.median(bench_ballots.verify_samples(ctx, encrypted[:30]))
        _heading(
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
            """Samples of verify_ballot now (the app server idle), CPU seconds each; kept
            for the floor of the whole run too. This machine's speed drifts within
            seconds: the samples that count are the ones next to what they are compared
            with."""
            batch = bench_ballots.verify_samples(ctx, encrypted[:40], repeat=40)
            samples.extend(batch)
            return batch

        env = server_env(
            url,
            secret_key,
            SAYLAU_VAR_DIR=str(work),
            SAYLAU_DB_CONN_MAX_AGE=str(conn_max_age),
            # Every benchmark voter comes from 127.0.0.1: lift the per-network sign-in cap.
            SAYLAU_SIGNIN_PER_NETWORK_PER_HOUR=str(10 * voters + 1000),
        )
        server = AppServers(env, count=workers, threads=threads, server=server_name, logs=work)
        server.start()
        _heading(
            console,
            _("server"),
            _server_line(server_name, server.urls, threads, conn_max_age),
        )
        results = _drive(
            console,
            server,
            url,
            setup,
            encrypted,
            concurrency=concurrency,
            burst=burst,
            measure_floor=measure_floor,
            deadline=time.monotonic() + duration,
        )
        results.update(
            {
                "voters": voters,
                "districts": districts,
                "cores": cores,
                "server": server_name,
                "workers": workers,
                "threads": threads,
                "concurrency": concurrency,
                "conn_max_age": conn_max_age,
                "verify_ms": statistics.median(samples) * 1e3,
                "verify_samples": len(samples),
            }
        )
        server.stop()
        server = None
        if json_out is not None:
            json_out.write_text(json.dumps(results, indent=2), encoding="utf-8")
        if not results["passed"]:
            raise typer.Exit(1)
    finally:
        driver.STOP.set()
        if server is not None:
            server.stop()
        if not keep_database:
            _recreate(maintenance, name, create=False)
        logs = sorted(work.glob("server-*.log"))
        texts = [log.read_text(errors="replace") for log in logs]
        bad = [log for log, t in zip(logs, texts, strict=True) if _logged_errors(t)]
        if bad:
            console.print(
                escape(_("the app server logged errors: %(path)s") % {"path": bad[0]}),
                style="red",
            )
        else:
            import shutil

            shutil.rmtree(work, ignore_errors=True)


def _drive(
    console: Console,
    server: Any,
    url: str,
    setup: dict[str, Any],
    encrypted: list[Any],
    *,
    concurrency: int,
    burst: int,
    measure_floor: Any,
    deadline: float,
) -> dict[str, Any]:
    from saylau.bench import cpu
    from saylau.bench.board_check import check_board, check_through_api
    from saylau.bench.driver import BenchVoter, Driver, closed_loop, open_loop
    from saylau.bench.otp_inbox import OtpInbox
    from saylau.bench.stats import is_fatal
    from saylau.protocol.canonical import canonical_json

    people = [  # ballots encrypted and serialised before the clock: the voters' devices' work
        BenchVoter(int(v["member"]), v["iin"], v["phone"], v["district"], b, canonical_json(b.raw))
        for v, b in zip(setup["voters"], encrypted, strict=True)
    ]
    n = len(people)
    cuts, at = {}, 0
    for key, share in SHARES.items():
        cuts[key] = people[at : at + int(n * share)]
        at += int(n * share)
    cuts["burst"] += people[at:]
    meter = CpuMeter(server.masters(), _postmaster(url))
    cores = os.cpu_count() or 1
    phases: list[Phase] = []

    with OtpInbox(url, setup["outbox_baseline"]) as inbox:
        drv = Driver(server.urls, setup["slug"], inbox)

        def phase(name: str, about: str, params: dict[str, Any], run: Any) -> Phase:
            before, machine = meter.read(), cpu.machine_busy_seconds()
            tally = run()
            found = Phase(
                name,
                about,
                params,
                tally,
                CpuMeter.diff(before, meter.read()),
                cpu.machine_busy_seconds() - machine,
            )
            phases.append(found)
            _print_progress(console, found)
            return found

        _heading(console, _("load"))
        steps_flow = lambda v, t: drv.run(v, t, "flow")  # noqa: E731
        warm = cuts["flow"][: 4 * concurrency]
        at_a_time = {"concurrency": concurrency}
        phase(
            "warm-up",
            gettext_noop("whole voter flows"),
            {},
            lambda: closed_loop(warm, concurrency, steps_flow, deadline),
        )
        flow = phase(
            "flow",
            gettext_noop("whole voter flows, %(concurrency)s at a time"),
            at_a_time,
            lambda: closed_loop(cuts["flow"][len(warm) :], concurrency, steps_flow, deadline),
        )
        phase(
            "sign-in",
            gettext_noop("sign-ins of the next voters, %(concurrency)s at a time"),
            at_a_time,
            lambda: closed_loop(
                cuts["cast"] + cuts["open"],
                concurrency,
                lambda v, t: drv.run(v, t, "sign-in"),
                deadline,
            ),
        )
        casting = lambda v, t: drv.run(v, t, "cast")  # noqa: E731
        ready = [v for v in cuts["cast"] if v.token]
        cast, around = _in_stretches(
            Phase(
                "cast",
                gettext_noop("casts (signed in before), %(concurrency)s at a time"),
                at_a_time,
                None,
                {},
            ),
            ready,
            lambda part: closed_loop(part, concurrency, casting, deadline),
            meter,
            measure_floor,
        )
        phases.append(cast)
        _print_progress(console, cast)
        floor = cores / statistics.median(around)  # the floor of the whole cast phase
        rate = 0.8 * cast.rate
        ready = [v for v in cuts["open"] if v.token]
        opened = phase(
            "open",
            gettext_noop("casts arriving at %(rate)s/s (80 %% of the cast rate)"),
            {"rate": f"{rate:.0f}"},
            lambda: open_loop(
                ready, max(rate, 1.0), casting, deadline, max_in_flight=2 * concurrency
            ),
        )
        bursting = phase(
            "burst",
            gettext_noop("whole voter flows, %(concurrency)s at a time (over capacity)"),
            {"concurrency": burst * concurrency},
            lambda: closed_loop(cuts["burst"], burst * concurrency, steps_flow, deadline),
        )
        _heading(
            console,
            _("receipts"),
            _("the client checks %(answers)s answers (untimed)") % {"answers": len(people)},
        )
        receipt_problems = drv.check_receipts(people)
        drv.close()

    receipts = [v.receipt for v in people if v.receipt is not None]
    failed = [v for v in people if v.receipt is None and v.failed]
    _heading(console, _("board"), _("checking %(receipts)s receipts") % {"receipts": len(receipts)})
    fingerprint = bytes.fromhex(setup["fingerprint"])
    board_key = bytes.fromhex(setup["board_public_key"])
    api_problems = check_through_api(server.url, setup["slug"], receipts)
    report = check_board(url, setup["election_pk"], receipts, board_key, fingerprint)
    report.problems += receipt_problems + api_problems
    unknown = report.ballot_leaves - len(receipts)  # failed requests whose ballot got in

    fatal = {k: c for p in phases for k, c in p.tally.errors.items() if is_fatal(k.split(": ")[-1])}
    ratio = cast.ratio(floor)
    # The same question by CPU accounting: the verify time's share of all the CPU a cast
    # took (app server + PostgreSQL + this load generator) — what the ratio would be with
    # the cores never idle. Steadier than the rate on a shared machine.
    cpu_per_cast = sum(cast.cpu.values()) / cast.ok if cast.ok else float("nan")
    t_verify = cores / floor
    cpu_ratio = t_verify / cpu_per_cast
    wall = cast.wall
    busy = sum(cast.cpu.values()) / wall / cores
    machine_busy = cast.machine / wall / cores
    p99_open = opened.tally.latency("arrival").p99  # from the scheduled arrival: the stricter
    passed = ratio >= TARGET_RATIO and p99_open <= TARGET_P99 and report.ok and not fatal
    _print(console, phases, floor, report, ratio, p99_open, fatal, unknown, len(failed))
    _print_cpu(console, t_verify, cpu_per_cast, cpu_ratio, busy)
    if cast.ok:
        _print_machine(console, machine_busy, (cast.machine - sum(cast.cpu.values())) / cast.ok)
    app = cast.tally.server_mean("cast", "app")
    in_verify = cast.tally.server_mean("cast", "verify")
    if app == app:  # not NaN: the server sent Server-Timing
        _print_server_timing(console, cast)
        if cast.ok:
            _print_own_speed(console, busy, in_verify / cpu_per_cast)
    return {
        "passed": passed,
        "floor": floor,
        "ratio": ratio,
        "cpu_ratio": cpu_ratio,
        "cast_busy": busy,
        "cast_machine_busy": machine_busy,
        "cast_app_ms": app * 1e3,
        "cast_verify_under_load_ms": in_verify * 1e3,
        # verify's share of a cast's CPU, both measured in the cast phase (Server-Timing and
        # /proc): unlike cpu_ratio it does not move with the floor's samples, so it is the
        # figure to compare two changes by on a machine whose speed drifts.
        "cast_verify_share": (
            in_verify / cpu_per_cast if in_verify == in_verify and cast.ok else None
        ),
        "flow_ratio": flow.tally.rate / floor,
        "cast_stretches": [
            {"done": n, "rate": r, "floor": f, "ratio": r / f if f else None}
            for n, r, f in cast.stretches
        ],
        "open_p99_ms": p99_open * 1e3,
        "burst_503": sum(c for k, c in bursting.tally.errors.items() if k.endswith("HTTP 503")),
        "fatal": fatal,
        "board": {
            "leaves": report.leaves,
            "ballot_leaves": report.ballot_leaves,
            "receipts": report.receipts,
            "heads_checked": report.heads_checked,
            "problems": report.problems[:20],
            "failed_voters": len(failed),
        },
        "phases": [_phase_json(p) for p in phases],
    }


def _in_stretches(
    phase: Phase,
    voters: list[Any],
    run: Callable[[list[Any]], Any],
    meter: CpuMeter,
    measure_floor: Callable[[], list[float]],
) -> tuple[Phase, list[float]]:
    """Run `phase` over `voters` in CAST_STRETCHES stretches, the floor sampled before,
    between and after them (`measure_floor()`: a batch of verify times, the app server
    idle): each stretch is compared with the floor of the samples on both sides of it. The
    CPU and the time are the stretches' own, the samples' left out. Returns the phase and
    every sample taken."""
    from saylau.bench import cpu

    cores = os.cpu_count() or 1
    size = max(1, -(-len(voters) // CAST_STRETCHES))
    parts = [voters[k : k + size] for k in range(0, len(voters), size)]
    batches = [measure_floor()]
    tallies, used = [], {key: 0.0 for key in meter.read()}
    machine = seconds = 0.0
    for part in parts:
        before, busy = meter.read(), cpu.machine_busy_seconds()
        tally = run(part)
        for key, value in CpuMeter.diff(before, meter.read()).items():
            used[key] += value
        machine += cpu.machine_busy_seconds() - busy
        seconds += tally.ended - tally.started
        tallies.append(tally)
        batches.append(measure_floor())
    phase.tally, phase.cpu, phase.machine, phase.seconds = merged(tallies), used, machine, seconds
    phase.stretches = [
        (len(t.finished_at), t.rate, cores / statistics.median(batches[k] + batches[k + 1]))
        for k, t in enumerate(tallies)
    ]
    return phase, [sample for batch in batches for sample in batch]


def _phase_json(p: Phase) -> dict[str, Any]:
    steps = {}
    for step in sorted(p.tally.latencies):
        lat = p.tally.latency(step)
        steps[step] = {
            "count": lat.count,
            "p50_ms": lat.p50 * 1e3,
            "p95_ms": lat.p95 * 1e3,
            "p99_ms": lat.p99 * 1e3,
            "max_ms": lat.max * 1e3,
        }
    return {
        "name": p.name,
        "what": p.what,
        "done": p.ok,
        "seconds": p.wall,
        "rate": p.rate,
        "errors": dict(p.tally.errors),
        "cpu_seconds": p.cpu,
        "latency": steps,
    }


def _print(
    console: Console,
    phases: list[Phase],
    floor: float,
    report: Any,
    ratio: float,
    p99_open: float,
    fatal: dict[str, int],
    unknown: int,
    failed: int,
) -> None:
    table = Table(title=escape("saylau bench load: " + _("phases")))
    columns = (
        _("phase"),
        _("done"),
        _("per s"),
        _("÷ floor"),
        _("CPU ms per done: app / PG / client"),
    )
    for k, col in enumerate(columns):
        table.add_column(escape(col), justify="left" if k == 0 else "right")
    for p in phases:
        per = " / ".join(f"{v / p.ok * 1e3:.1f}" for v in p.cpu.values()) if p.ok else ""
        table.add_row(
            f"{escape(p.name)}: [dim]{escape(p.label)}[/]",
            str(p.ok),
            f"{p.rate:.1f}",
            f"{p.ratio(floor):.2f}",
            per,
        )
    console.print(table)
    lat = Table(title=escape(_("latencies (ms; a step's retries included)")))
    for k, col in enumerate((_("phase"), _("step"), "n", "p50", "p95", "p99", _("max"))):
        lat.add_column(escape(col), justify="left" if k < 2 else "right")
    for p in phases:
        for step in ("sign-in", "sms", "verify", "cast", "voter", "late", "arrival"):
            if step in p.tally.latencies:
                s = p.tally.latency(step)
                lat.add_row(
                    p.name, step, str(s.count), _ms(s.p50), _ms(s.p95), _ms(s.p99), _ms(s.max)
                )
    console.print(lat)
    errors = Table(title=escape(_("failures by kind (each try counted; 503s are retried)")))
    errors.add_column(escape(_("phase")))
    errors.add_column(escape(_("step: kind")))
    errors.add_column(escape(_("count")), justify="right")
    for p in phases:
        for kind, count in sorted(p.tally.errors.items()):
            errors.add_row(escape(p.name), escape(kind), str(count))
    if errors.row_count:
        console.print(errors)
    else:
        _line(console, _("failures: none"))

    def mark(ok: bool) -> str:
        return " [green]✔[/]" if ok else " [red]✘[/]"

    console.print(
        escape(
            _("cast throughput ÷ floor (%(floor)s/s): %(ratio)s (target ≥ %(target)s)")
            % {"floor": f"{floor:.0f}", "ratio": f"{ratio:.2f}", "target": TARGET_RATIO}
        )
        + mark(ratio >= TARGET_RATIO)
    )
    console.print(
        escape(
            _(
                "p99 of a cast at 80 %% of that rate (from its arrival): %(p99)s ms "
                "(target ≤ %(target)s ms)"
            )
            % {"p99": f"{p99_open * 1e3:.0f}", "target": f"{TARGET_P99 * 1e3:.0f}"}
        )
        + mark(p99_open <= TARGET_P99)
    )
    console.print(
        escape(_("500s and timeouts: %(count)s") % {"count": sum(fatal.values())})
        + mark(not fatal)
        + (f" {escape(str(fatal))}" if fatal else "")
    )
    console.print(
        escape(
            _(
                "board: %(leaves)s leaves = 1 open + %(ballots)s ballots; %(receipts)s receipts "
                "(%(unknown)s ballots in without a receipt, %(failed)s voters failed); "
                "%(heads)s stored heads checked; receipts without their leaf or other "
                "problems: %(problems)s"
            )
            % {
                "leaves": report.leaves,
                "ballots": report.ballot_leaves,
                "receipts": report.receipts,
                "unknown": unknown,
                "failed": failed,
                "heads": report.heads_checked,
                "problems": len(report.problems),
            }
        )
        + mark(report.ok)
    )
    for problem in report.problems[:10]:
        console.print(f"  {problem}", style="red", markup=False)


def _server_line(server: str, urls: list[str], threads: int, conn_max_age: int) -> str:
    params = {
        "count": len(urls),
        "server": server,
        "urls": ", ".join(urls),
        "threads": threads,
        "age": conn_max_age,
    }
    if threads > 1:
        return (
            _(
                "%(count)s × %(server)s of one worker × %(threads)s threads (%(urls)s), the "
                "voters' threads dealt out in turn, CONN_MAX_AGE %(age)s"
            )
            % params
        )
    return (
        _(
            "%(count)s × %(server)s of one worker (%(urls)s), the voters' threads dealt out in "
            "turn, CONN_MAX_AGE %(age)s"
        )
        % params
    )


def _print_progress(console: Console, p: Phase) -> None:
    """A phase's line as soon as it ends."""
    _line(
        console,
        _("%(phase)s: %(done)s done, %(failures)s failures, %(rate)s/s sustained")
        % {
            "phase": p.name,
            "done": p.ok,
            "failures": sum(p.tally.errors.values()),
            "rate": f"{p.rate:.1f}",
        },
        "  ",
    )


def _print_cpu(
    console: Console, t_verify: float, cpu_per_cast: float, cpu_ratio: float, busy: float
) -> None:
    """The verify time's share of a cast's CPU, by CPU accounting."""
    _line(
        console,
        _(
            "by CPU accounting: verify %(verify)s ms of %(cpu)s ms CPU per cast (app + "
            "PostgreSQL + load generator) = %(ratio)s; in the cast phase the cores were "
            "%(busy)s busy"
        )
        % {
            "verify": f"{t_verify * 1e3:.2f}",
            "cpu": f"{cpu_per_cast * 1e3:.2f}",
            "ratio": f"{cpu_ratio:.2f}",
            "busy": f"{busy:.0%}",
        },
    )


def _print_machine(console: Console, busy: float, other_per_cast: float) -> None:
    """The whole machine's busy share in the cast phase: what the per-process accounting
    misses (the kernel's loopback TCP in softirq, kernel threads, other processes)."""
    if busy != busy:  # NaN: no /proc/stat
        return
    _line(
        console,
        _(
            "the whole machine (/proc/stat) was %(busy)s busy in the cast phase: %(other)s ms "
            "of CPU per cast outside the app, PostgreSQL and the load generator (the kernel, "
            "other processes)"
        )
        % {"busy": f"{busy:.0%}", "other": f"{other_per_cast * 1e3:.2f}"},
    )


def _print_own_speed(console: Console, busy: float, share: float) -> None:
    """The ratio if the floor's samples had run at the app's own verify speed: cores busy ×
    verify's share of a cast's CPU (both measured in the cast phase). The ratio above moves
    with the floor's samples, which this machine's drifting speed makes luck; this one is
    the figure to compare two versions of the code by."""
    _line(
        console,
        _(
            "with the floor at the app's own verify speed: cores busy %(busy)s × verify's "
            "share of a cast's CPU %(share)s = %(ratio)s"
        )
        % {"busy": f"{busy:.0%}", "share": f"{share:.2f}", "ratio": f"{busy * share:.2f}"},
    )


def _print_server_timing(console: Console, cast: Phase) -> None:
    """Where the app server's CPU per cast went, from the answers' Server-Timing."""
    app = cast.tally.server_mean("cast", "app")
    in_verify = cast.tally.server_mean("cast", "verify")
    server_cpu = cast.cpu["server"] / cast.ok
    _line(
        console,
        _(
            "app server CPU per cast %(server)s ms = verify under load %(verify)s + the rest of "
            "Django's request %(rest)s + the HTTP server and the process %(process)s "
            "(Server-Timing)"
        )
        % {
            "server": f"{server_cpu * 1e3:.2f}",
            "verify": f"{in_verify * 1e3:.2f}",
            "rest": f"{(app - in_verify) * 1e3:.2f}",
            "process": f"{(server_cpu - app) * 1e3:.2f}",
        },
    )
    parts = {
        name: cast.tally.server_mean("cast", name) * 1e3
        for name in sorted(cast.tally.server.get("cast", {}))
        if name not in ("app", "verify")
    }
    rest = (app - in_verify) * 1e3 - sum(parts.values())
    _line(
        console,
        _("the rest of Django's request: %(parts)s, the framework and the commit %(rest)s ms")
        % {
            "parts": ", ".join(f"{name} {ms:.2f}" for name, ms in parts.items()),
            "rest": f"{rest:.2f}",
        },
        "  ",
    )
