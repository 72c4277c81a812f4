"""The load benchmark's pure helpers: percentiles, the steady rate, failure kinds, and how
the OTP inbox follows message ids that commit out of order."""

from __future__ import annotations

import math

import pytest

from saylau.bench.otp_inbox import OtpInbox
from saylau.bench.stats import (
    Latency,
    Tally,
    error_kind,
    is_fatal,
    merged,
    percentile,
    ratio_to_floors,
    steady_rate,
)
from saylau.client.http import TransportError, TransportTimeout
from saylau.client.voting import ClientError, ReceiptInvalid


def test_percentile_is_nearest_rank():
    values = list(range(1, 101))  # 1..100
    assert percentile(values, 50) == 50
    assert percentile(values, 95) == 95
    assert percentile(values, 99) == 99
    assert percentile(values, 100) == 100
    assert percentile(values, 0) == 1
    assert percentile([3.0, 1.0, 2.0], 50) == 2.0
    assert percentile([7.0], 99) == 7.0
    assert math.isnan(percentile([], 50))
    with pytest.raises(ValueError):
        percentile(values, 101)


def test_latency_summary():
    lat = Latency.of([0.010] * 98 + [0.5, 2.0])
    assert (lat.count, lat.p50, lat.p95, lat.p99, lat.max) == (100, 0.010, 0.010, 0.5, 2.0)
    assert Latency.of([]).count == 0


def test_steady_rate_cuts_ramp_up_and_drain():
    # 100 completions a second for 10 s, plus a slow start and a straggler at the end
    times = [k / 100 for k in range(1, 1001)] + [15.0]
    assert steady_rate([k / 100 for k in range(1, 1001)]) == pytest.approx(100, rel=0.02)
    assert steady_rate(times) == pytest.approx(100, rel=0.02)  # the straggler is left out
    slow_start = [0.5 * k for k in range(20)] + [10 + k / 100 for k in range(200)]
    assert steady_rate(slow_start) == pytest.approx(100, rel=0.05)
    assert steady_rate([1.0, 2.0, 3.0]) == pytest.approx(1.0)  # few points: the whole span
    assert steady_rate([1.0]) == 0.0
    assert steady_rate([]) == 0.0


def test_each_stretch_is_compared_with_its_own_floor():
    # 100 casts at 60/s while the floor was 100/s, 100 at 120/s while it was 200/s: 0.6 each
    assert ratio_to_floors([(100, 60.0, 100.0), (100, 120.0, 200.0)]) == pytest.approx(0.6)
    # one floor for the whole phase would have said 180 casts' time ÷ … — not 0.6
    whole = 200 / (100 / 60 + 100 / 120) / 150
    assert whole != pytest.approx(0.6)
    # time-weighted: a slow stretch counts for the time it took
    assert ratio_to_floors([(100, 50.0, 100.0), (100, 100.0, 100.0)]) == pytest.approx(
        200 / 100 / (2 + 1)
    )
    assert ratio_to_floors([(0, 0.0, 100.0), (50, 30.0, 0.0)]) == 0.0  # nothing to count


def test_stretches_merge_into_one_tally():
    a, b = Tally(started=1.0, ended=2.0), Tally(started=5.0, ended=7.0)
    a.done(1.5), b.done(6.0), b.done(6.5)
    a.add("cast", 0.01), b.add("cast", 0.02)
    a.failed("cast: HTTP 503"), b.failed("cast: HTTP 503")
    a.server_timing("cast", {"verify": 6.0}), b.server_timing("cast", {"verify": 8.0})
    whole = merged([a, b])
    assert (whole.started, whole.ended) == (1.0, 7.0)
    assert whole.finished_at == [1.5, 6.0, 6.5] and whole.latencies["cast"] == [0.01, 0.02]
    assert whole.errors["cast: HTTP 503"] == 2
    assert whole.server_mean("cast", "verify") == pytest.approx(0.007)


def test_error_kinds():
    assert error_kind(ClientError(503, "unavailable", "busy", retry_after=5)) == "HTTP 503"
    assert error_kind(ClientError(503, "unavailable", "busy")) == "HTTP 503 without Retry-After"
    assert error_kind(ClientError(500, "server_error", "oops")) == "HTTP 500"
    assert error_kind(ClientError(409, "voting.closed", "closed")) == "HTTP 409"
    assert error_kind(ReceiptInvalid("receipt.unverified", "bad proof")) == "receipt invalid"
    assert error_kind(TransportTimeout("slow")) == "timeout"
    assert error_kind(TransportError("refused")) == "connection"
    assert error_kind(TimeoutError("no SMS")) == "TimeoutError"

    def wrapped(cause: Exception) -> ClientError:
        """What VotingClient raises for a transport error: the transport error is its context."""
        try:
            try:
                raise cause
            except TransportError as error:
                raise ClientError(0, "unreachable", f"cannot be reached: {error}") from None
        except ClientError as error:
            return error

    assert error_kind(wrapped(TransportTimeout("slow"))) == "timeout"
    assert error_kind(wrapped(TransportError("refused"))) == "connection"
    assert error_kind(ClientError(0, "unreachable", "no context")) == "connection"


def test_error_kinds_of_the_voting_client():
    """What the load generator sees: a refused connection and a timeout, from a real
    VotingClient against loopback sockets."""
    import socket

    from saylau.client import VotingClient

    def kind(url: str) -> str:
        with VotingClient(url, "x", timeout=0.2, retries=0) as client:
            with pytest.raises(ClientError) as failed:
                client.me()
        return error_kind(failed.value)

    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        refused = f"http://127.0.0.1:{closed.getsockname()[1]}"
    with socket.socket() as silent:  # accepts connections, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        assert kind(f"http://127.0.0.1:{silent.getsockname()[1]}") == "timeout"
    assert kind(refused) == "connection"


def test_fatal_kinds():
    assert is_fatal("HTTP 500") and is_fatal("HTTP 502") and is_fatal("timeout")
    assert is_fatal("HTTP 503 without Retry-After")
    assert not is_fatal("HTTP 503") and not is_fatal("HTTP 429") and not is_fatal("connection")


def test_tally_counts():
    tally = Tally()
    tally.add("cast", 0.01)
    tally.add("cast", 0.03)
    tally.failed("cast: HTTP 503")
    tally.failed("cast: HTTP 503")
    assert tally.latency("cast").count == 2
    assert tally.errors == {"cast: HTTP 503": 2}


def test_otp_inbox_waits_for_ids_that_commit_late(monkeypatch):
    inbox = OtpInbox("postgres://unused", after_id=10)
    assert inbox._take([(12, "+77010000002", "code 222222")])
    assert inbox.cursor == 10  # 11 has not committed yet: it is not skipped
    assert inbox._take([(11, "+77010000001", "code 111111"), (12, "+77010000002", "x")])
    assert inbox.cursor == 12
    assert inbox.wait("+77010000001", 0, timeout=0.1) == "111111"
    assert inbox.wait("+77010000002", 0, timeout=0.1) == "222222"
    assert inbox.latest_id("+77010000002") == 12
    with pytest.raises(TimeoutError):
        inbox.wait("+77010000002", 12, timeout=0.05)  # nothing newer
    # an id the sequence skipped for good is given up on after a while
    clock = [100.0]
    monkeypatch.setattr("saylau.bench.otp_inbox.time.monotonic", lambda: clock[0])
    inbox._take([(14, "+77010000004", "code 444444")])
    assert inbox.cursor == 12
    clock[0] += 5
    inbox._take([(14, "+77010000004", "code 444444")])
    assert inbox.cursor == 14
