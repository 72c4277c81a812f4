"""Pure helpers of the load benchmark: percentiles, the sustained rate over the steady part of
a run, and one name per kind of failure. No Django, no I/O."""

from __future__ import annotations

import math
import threading
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from saylau.client.http import TransportError, TransportTimeout
from saylau.client.voting import ClientError, ReceiptInvalid


def percentile(values: Iterable[float], q: float) -> float:
    """The q-th percentile (0 ≤ q ≤ 100), nearest-rank: the smallest value with at least q %
    of the values at or below it (so p100 is the maximum, and p99 of 100 values is the 99th
    smallest). NaN for no values."""
    if not 0 <= q <= 100:
        raise ValueError("a percentile lies between 0 and 100")
    ordered = sorted(values)
    if not ordered:
        return math.nan
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass(frozen=True, slots=True)
class Latency:
    count: int
    p50: float
    p95: float
    p99: float
    max: float

    @classmethod
    def of(cls, values: Sequence[float]) -> Latency:
        return cls(
            len(values),
            percentile(values, 50),
            percentile(values, 95),
            percentile(values, 99),
            max(values) if values else math.nan,
        )


def steady_rate(finished_at: Iterable[float], trim: float = 0.1) -> float:
    """Completions per second over the steady part of a run: the first and last `trim` of
    the completions are left out (ramp-up, drain, and a straggler that waited out a
    Retry-After), and the rate is the rest's count over the time they span. With fewer than
    10 completions, all count."""
    times = sorted(finished_at)
    if len(times) >= 10:
        cut = int(len(times) * trim)
        times = times[cut : len(times) - cut]
    if len(times) < 2 or times[-1] <= times[0]:
        return 0.0
    return (len(times) - 1) / (times[-1] - times[0])


def ratio_to_floors(stretches: Sequence[tuple[int, float, float]]) -> float:
    """The throughput of one phase run in stretches, each `(done, rate, floor)` with the
    floor measured right next to it, against those floors: the time the stretches' work
    would have taken at their floors over the time it took (Σ done/floor ÷ Σ done/rate).
    On a machine whose speed drifts within seconds, each stretch is compared with the speed
    of its own moment. A stretch without a rate or a floor does not count."""
    counted = [(n, r, f) for n, r, f in stretches if n > 0 and r > 0 and f > 0]
    took = sum(n / r for n, r, _f in counted)
    return sum(n / f for n, _r, f in counted) / took if took else 0.0


def merged(tallies: Sequence[Tally]) -> Tally:
    """One tally of several stretches of a phase (latencies, failures, completions and
    Server-Timing together; from the first one's start to the last one's end)."""
    whole = Tally()
    for part in tallies:
        for step, values in part.latencies.items():
            whole.latencies.setdefault(step, []).extend(values)
        whole.errors.update(part.errors)
        whole.finished_at.extend(part.finished_at)
        for step, metrics in part.server.items():
            per = whole.server.setdefault(step, {})
            for name, values in metrics.items():
                per.setdefault(name, []).extend(values)
    if tallies:
        whole.started, whole.ended = tallies[0].started, tallies[-1].ended
    return whole


def error_kind(error: BaseException) -> str:
    """One short name per kind of failure: `HTTP 503`, `HTTP 503 without Retry-After`,
    `HTTP 500`, `timeout`, `connection`, `receipt invalid`, or the exception's class name."""
    if isinstance(error, ReceiptInvalid):
        return "receipt invalid"
    if isinstance(error, ClientError):
        if error.status == 0:
            cause = error.__cause__ or error.__context__
            if cause is not None and not isinstance(cause, ClientError):
                return error_kind(cause)
            return "connection" if error.code == "unreachable" else error.code
        if error.status == 503 and error.retry_after is None:
            return "HTTP 503 without Retry-After"
        return f"HTTP {error.status}"
    if isinstance(error, TransportTimeout):
        return "timeout"
    if isinstance(error, TransportError):
        return "connection"
    return type(error).__name__


FATAL_KINDS = ("HTTP 500", "timeout", "HTTP 503 without Retry-After")


def is_fatal(kind: str) -> bool:
    """What the service must never answer, even over capacity: a 500 (any 5xx but a 503 with
    Retry-After) or no answer in time."""
    if kind in FATAL_KINDS:
        return True
    return kind.startswith("HTTP 5") and kind != "HTTP 503"


@dataclass
class Tally:
    """Latencies per step and failures per kind, for one phase of a run."""

    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: Counter[str] = field(default_factory=Counter)
    finished_at: list[float] = field(default_factory=list)  # monotonic, one per voter done
    # The server's Server-Timing per step: step → metric → [CPU seconds per request].
    server: dict[str, dict[str, list[float]]] = field(default_factory=dict)
    started: float = 0.0
    ended: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, step: str, seconds: float) -> None:
        with self._lock:
            self.latencies.setdefault(step, []).append(seconds)

    def server_timing(self, step: str, metrics: dict[str, float]) -> None:
        """Record one answer's Server-Timing (milliseconds) for `step`."""
        with self._lock:
            per = self.server.setdefault(step, {})
            for name, ms in metrics.items():
                per.setdefault(name, []).append(ms / 1e3)

    def server_mean(self, step: str, metric: str) -> float:
        """Mean CPU seconds of `metric` per request of `step` (NaN if none was sent)."""
        values = self.server.get(step, {}).get(metric, [])
        return sum(values) / len(values) if values else math.nan

    def failed(self, kind: str) -> None:
        with self._lock:
            self.errors[kind] += 1

    def done(self, at: float) -> None:
        with self._lock:
            self.finished_at.append(at)

    def latency(self, step: str) -> Latency:
        return Latency.of(self.latencies.get(step, []))

    @property
    def rate(self) -> float:
        return steady_rate(self.finished_at)
