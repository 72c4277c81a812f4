"""The load benchmark's output: its tables, progress lines, targets and the lines on where a
cast's CPU went, in the chosen language (the JSON is written elsewhere, in English)."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from saylau.bench.load_phase import TARGET_P99, TARGET_RATIO, Phase
from saylau.i18n import _


def heading(console: Console, title: str, text: str = "") -> None:
    """`title: text` with the title in bold (both already translated)."""
    console.print(f"[bold]{escape(title)}[/]" + (f": {escape(text)}" if text else ""))


def line(console: Console, text: str, indent: str = "") -> None:
    console.print(indent + text, markup=False, highlight=False)


def _ms(seconds: float) -> str:
    return f"{seconds * 1e3:.0f}" if seconds == seconds else "–"  # NaN: no value


def print_results(
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
    """The phases, latencies and failures tables, then each target and whether it is met."""
    _phases_table(console, phases, floor)
    _latency_table(console, phases)
    _failures_table(console, phases)
    _targets(console, floor, ratio, p99_open, fatal)
    _board(console, report, unknown, failed)


def _phases_table(console: Console, phases: list[Phase], floor: float) -> None:
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


def _latency_table(console: Console, phases: list[Phase]) -> None:
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


def _failures_table(console: Console, phases: list[Phase]) -> None:
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
        line(console, _("failures: none"))


def _mark(ok: bool) -> str:
    return " [green]✔[/]" if ok else " [red]✘[/]"


def _targets(
    console: Console, floor: float, ratio: float, p99_open: float, fatal: dict[str, int]
) -> None:
    console.print(
        escape(
            _("cast throughput ÷ floor (%(floor)s/s): %(ratio)s (target ≥ %(target)s)")
            % {"floor": f"{floor:.0f}", "ratio": f"{ratio:.2f}", "target": TARGET_RATIO}
        )
        + _mark(ratio >= TARGET_RATIO)
    )
    console.print(
        escape(
            _(
                "p99 of a cast at 80 %% of that rate (from its arrival): %(p99)s ms "
                "(target ≤ %(target)s ms)"
            )
            % {"p99": f"{p99_open * 1e3:.0f}", "target": f"{TARGET_P99 * 1e3:.0f}"}
        )
        + _mark(p99_open <= TARGET_P99)
    )
    console.print(
        escape(_("500s and timeouts: %(count)s") % {"count": sum(fatal.values())})
        + _mark(not fatal)
        + (f" {escape(str(fatal))}" if fatal else "")
    )


def _board(console: Console, report: Any, unknown: int, failed: int) -> None:
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
        + _mark(report.ok)
    )
    for problem in report.problems[:10]:
        console.print(f"  {problem}", style="red", markup=False)


def server_line(server: str, urls: list[str], threads: int, conn_max_age: int) -> str:
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


def print_progress(console: Console, p: Phase) -> None:
    """A phase's line as soon as it ends."""
    line(
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


def print_cpu(
    console: Console, t_verify: float, cpu_per_cast: float, cpu_ratio: float, busy: float
) -> None:
    """The verify time's share of a cast's CPU, by CPU accounting."""
    line(
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


def print_machine(console: Console, busy: float, other_per_cast: float) -> None:
    """The whole machine's busy share in the cast phase: what the per-process accounting
    misses (the kernel's loopback TCP in softirq, kernel threads, other processes)."""
    if busy != busy:  # NaN: no /proc/stat
        return
    line(
        console,
        _(
            "the whole machine (/proc/stat) was %(busy)s busy in the cast phase: %(other)s ms "
            "of CPU per cast outside the app, PostgreSQL and the load generator (the kernel, "
            "other processes)"
        )
        % {"busy": f"{busy:.0%}", "other": f"{other_per_cast * 1e3:.2f}"},
    )


def print_own_speed(console: Console, busy: float, share: float) -> None:
    """The ratio if the floor's samples had run at the app's own verify speed: cores busy ×
    verify's share of a cast's CPU (both measured in the cast phase). The ratio above moves
    with the floor's samples, which this machine's drifting speed makes luck; this one is
    the figure to compare two versions of the code by."""
    line(
        console,
        _(
            "with the floor at the app's own verify speed: cores busy %(busy)s × verify's "
            "share of a cast's CPU %(share)s = %(ratio)s"
        )
        % {"busy": f"{busy:.0%}", "share": f"{share:.2f}", "ratio": f"{busy * share:.2f}"},
    )


def print_server_timing(console: Console, cast: Phase) -> None:
    """Where the app server's CPU per cast went, from the answers' Server-Timing."""
    app = cast.tally.server_mean("cast", "app")
    in_verify = cast.tally.server_mean("cast", "verify")
    server_cpu = cast.cpu["server"] / cast.ok
    line(
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
    line(
        console,
        _("the rest of Django's request: %(parts)s, the framework and the commit %(rest)s ms")
        % {
            "parts": ", ".join(f"{name} {ms:.2f}" for name, ms in parts.items()),
            "rest": f"{rest:.2f}",
        },
        "  ",
    )
