"""The load benchmark's timed phases: what one phase measured, the CPU meter around it, and
the cast phase run in stretches between samples of the floor."""

from __future__ import annotations

import os
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from saylau.bench.stats import merged, ratio_to_floors
from saylau.i18n import _

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


def in_stretches(
    phase: Phase,
    voters: list[Any],
    run: Callable[[list[Any]], Any],
    meter: Any,
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


def phase_json(p: Phase) -> dict[str, Any]:
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
