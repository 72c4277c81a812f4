"""The load benchmark's timed part: the phases run against the app servers, then the board
checked against every receipt, and the figures the JSON carries."""

from __future__ import annotations

import os
import statistics
from collections.abc import Callable
from typing import Any

from rich.console import Console

from saylau.bench import load_report as out
from saylau.bench.load_phase import (
    SHARES,
    TARGET_P99,
    TARGET_RATIO,
    CpuMeter,
    Phase,
    in_stretches,
    phase_json,
)
from saylau.i18n import _, gettext_noop


def _postmaster(url: str) -> int | None:
    import psycopg

    from saylau.bench import cpu

    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT pg_backend_pid()").fetchone()
    return cpu.parent(int(row[0])) if row else None


def _voters(setup: dict[str, Any], encrypted: list[Any]) -> tuple[list[Any], dict[str, Any]]:
    """The voters with their ballots serialised before the clock (their devices' work), and
    their cut per phase (SHARES; what is left over goes to the burst)."""
    from saylau.bench.driver import BenchVoter
    from saylau.protocol.canonical import canonical_json

    people = [
        BenchVoter(int(v["member"]), v["iin"], v["phone"], v["district"], b, canonical_json(b.raw))
        for v, b in zip(setup["voters"], encrypted, strict=True)
    ]
    n = len(people)
    cuts, at = {}, 0
    for key, share in SHARES.items():
        cuts[key] = people[at : at + int(n * share)]
        at += int(n * share)
    cuts["burst"] += people[at:]
    return people, cuts


class _Phases:
    """Runs the phases one after the other, each metered and printed as it ends."""

    def __init__(self, console: Console, drv: Any, meter: CpuMeter, deadline: float) -> None:
        self.console, self.drv, self.meter, self.deadline = console, drv, meter, deadline
        self.done: list[Phase] = []

    def phase(self, name: str, about: str, params: dict[str, Any], run: Any) -> Phase:
        from saylau.bench import cpu

        before, machine = self.meter.read(), cpu.machine_busy_seconds()
        tally = run()
        found = Phase(
            name,
            about,
            params,
            tally,
            CpuMeter.diff(before, self.meter.read()),
            cpu.machine_busy_seconds() - machine,
        )
        self.add(found)
        return found

    def add(self, found: Phase) -> None:
        self.done.append(found)
        out.print_progress(self.console, found)

    def steps(self, steps: str) -> Callable[[Any, Any], None]:
        return lambda v, t: self.drv.run(v, t, steps)


def _flows_and_sign_ins(run: _Phases, cuts: dict[str, Any], concurrency: int) -> Phase:
    from saylau.bench.driver import closed_loop

    flows, at_a_time = run.steps("flow"), {"concurrency": concurrency}
    warm = cuts["flow"][: 4 * concurrency]
    run.phase(
        "warm-up",
        gettext_noop("whole voter flows"),
        {},
        lambda: closed_loop(warm, concurrency, flows, run.deadline),
    )
    flow = run.phase(
        "flow",
        gettext_noop("whole voter flows, %(concurrency)s at a time"),
        at_a_time,
        lambda: closed_loop(cuts["flow"][len(warm) :], concurrency, flows, run.deadline),
    )
    run.phase(
        "sign-in",
        gettext_noop("sign-ins of the next voters, %(concurrency)s at a time"),
        at_a_time,
        lambda: closed_loop(
            cuts["cast"] + cuts["open"], concurrency, run.steps("sign-in"), run.deadline
        ),
    )
    return flow


def _casts(
    run: _Phases,
    cuts: dict[str, Any],
    concurrency: int,
    burst: int,
    measure_floor: Callable[[], list[float]],
) -> tuple[Phase, float, Phase, Phase]:
    """The cast phase in stretches, the open loop at 80 % of its rate, the burst; with the
    floor of the whole cast phase."""
    from saylau.bench.driver import closed_loop, open_loop

    casting = run.steps("cast")
    about = gettext_noop("casts (signed in before), %(concurrency)s at a time")
    cast, around = in_stretches(
        Phase("cast", about, {"concurrency": concurrency}, None, {}),
        [v for v in cuts["cast"] if v.token],
        lambda part: closed_loop(part, concurrency, casting, run.deadline),
        run.meter,
        measure_floor,
    )
    run.add(cast)
    floor = (os.cpu_count() or 1) / statistics.median(around)
    rate = 0.8 * cast.rate
    ready = [v for v in cuts["open"] if v.token]
    opened = run.phase(
        "open",
        gettext_noop("casts arriving at %(rate)s/s (80 %% of the cast rate)"),
        {"rate": f"{rate:.0f}"},
        lambda: open_loop(
            ready, max(rate, 1.0), casting, run.deadline, max_in_flight=2 * concurrency
        ),
    )
    bursting = run.phase(
        "burst",
        gettext_noop("whole voter flows, %(concurrency)s at a time (over capacity)"),
        {"concurrency": burst * concurrency},
        lambda: closed_loop(cuts["burst"], burst * concurrency, run.steps("flow"), run.deadline),
    )
    return cast, floor, opened, bursting


def drive(
    console: Console,
    server: Any,
    url: str,
    setup: dict[str, Any],
    encrypted: list[Any],
    *,
    concurrency: int,
    burst: int,
    measure_floor: Callable[[], list[float]],
    deadline: float,
) -> dict[str, Any]:
    """The phases, the receipts and the board checked; the figures of the JSON."""
    from saylau.bench.driver import Driver
    from saylau.bench.otp_inbox import OtpInbox

    people, cuts = _voters(setup, encrypted)
    meter = CpuMeter(server.masters(), _postmaster(url))
    with OtpInbox(url, setup["outbox_baseline"]) as inbox:
        drv = Driver(server.urls, setup["slug"], inbox)
        run = _Phases(console, drv, meter, deadline)
        out.heading(console, _("load"))
        flow = _flows_and_sign_ins(run, cuts, concurrency)
        cast, floor, opened, bursting = _casts(run, cuts, concurrency, burst, measure_floor)
        out.heading(
            console,
            _("receipts"),
            _("the client checks %(answers)s answers (untimed)") % {"answers": len(people)},
        )
        receipt_problems = drv.check_receipts(people)
        drv.close()
    report, unknown, failed = _check_board(console, server, url, setup, people, receipt_problems)
    return _summary(
        console, run.done, (flow, cast, opened, bursting), floor, report, unknown, failed
    )


def _check_board(
    console: Console,
    server: Any,
    url: str,
    setup: dict[str, Any],
    people: list[Any],
    receipt_problems: list[str],
) -> tuple[Any, int, int]:
    """Every receipt's ballot on the board (the public API and the database); the board's
    report, the ballots in without a receipt, the voters who failed."""
    from saylau.bench.board_check import check_board, check_through_api

    receipts = [v.receipt for v in people if v.receipt is not None]
    failed = [v for v in people if v.receipt is None and v.failed]
    out.heading(
        console, _("board"), _("checking %(receipts)s receipts") % {"receipts": len(receipts)}
    )
    fingerprint = bytes.fromhex(setup["fingerprint"])
    board_key = bytes.fromhex(setup["board_public_key"])
    api_problems = check_through_api(server.url, setup["slug"], receipts)
    report = check_board(url, setup["election_pk"], receipts, board_key, fingerprint)
    report.problems += receipt_problems + api_problems
    unknown = report.ballot_leaves - len(receipts)  # failed requests whose ballot got in
    return report, unknown, len(failed)


def _summary(
    console: Console,
    phases: list[Phase],
    named: tuple[Phase, Phase, Phase, Phase],
    floor: float,
    report: Any,
    unknown: int,
    failed: int,
) -> dict[str, Any]:
    """Print the results and the lines on where a cast's CPU went; return the JSON's figures."""
    from saylau.bench.stats import is_fatal

    _flow, cast, opened, _burst = named
    fatal = {k: c for p in phases for k, c in p.tally.errors.items() if is_fatal(k.split(": ")[-1])}
    ratio = cast.ratio(floor)
    # The same question by CPU accounting: the verify time's share of all the CPU a cast
    # took (app server + PostgreSQL + this load generator) — what the ratio would be with
    # the cores never idle. Steadier than the rate on a shared machine.
    cpu_per_cast = sum(cast.cpu.values()) / cast.ok if cast.ok else float("nan")
    cores = os.cpu_count() or 1
    t_verify = cores / floor
    busy = sum(cast.cpu.values()) / cast.wall / cores
    p99_open = opened.tally.latency("arrival").p99  # from the scheduled arrival: the stricter
    passed = ratio >= TARGET_RATIO and p99_open <= TARGET_P99 and report.ok and not fatal
    out.print_results(console, phases, floor, report, ratio, p99_open, fatal, unknown, failed)
    out.print_cpu(console, t_verify, cpu_per_cast, t_verify / cpu_per_cast, busy)
    if cast.ok:
        other = (cast.machine - sum(cast.cpu.values())) / cast.ok
        out.print_machine(console, cast.machine / cast.wall / cores, other)
    in_verify = cast.tally.server_mean("cast", "verify")
    if cast.tally.server_mean("cast", "app") == cast.tally.server_mean("cast", "app"):
        out.print_server_timing(console, cast)  # not NaN: the server sent Server-Timing
        if cast.ok:
            out.print_own_speed(console, busy, in_verify / cpu_per_cast)
    figures = {
        "passed": passed,
        "floor": floor,
        "ratio": ratio,
        "cpu_ratio": t_verify / cpu_per_cast,
    }
    return figures | _json(named, floor, fatal, report, failed, busy, cpu_per_cast, phases)


def _json(
    named: tuple[Phase, Phase, Phase, Phase],
    floor: float,
    fatal: dict[str, int],
    report: Any,
    failed: int,
    busy: float,
    cpu_per_cast: float,
    phases: list[Phase],
) -> dict[str, Any]:
    flow, cast, opened, bursting = named
    cores = os.cpu_count() or 1
    app = cast.tally.server_mean("cast", "app")
    in_verify = cast.tally.server_mean("cast", "verify")
    return {
        "cast_busy": busy,
        "cast_machine_busy": cast.machine / cast.wall / cores,
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
        "open_p99_ms": opened.tally.latency("arrival").p99 * 1e3,
        "burst_503": sum(c for k, c in bursting.tally.errors.items() if k.endswith("HTTP 503")),
        "fatal": fatal,
        "board": {
            "leaves": report.leaves,
            "ballot_leaves": report.ballot_leaves,
            "receipts": report.receipts,
            "heads_checked": report.heads_checked,
            "problems": report.problems[:20],
            "failed_voters": failed,
        },
        "phases": [phase_json(p) for p in phases],
    }
