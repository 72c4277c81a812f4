"""The load: voters driving the app through the Python voting client, in closed-loop
(C voters at a time) or open-loop (arrivals at a fixed rate) phases. Threads: a voter's
client mostly waits on the network; the server's work is what is measured.

What a voter's own device does — encrypting the ballot, serialising it, checking the receipt
— is not the server's work, and this process shares the server's cores: it is done before
the clock starts (encryption, serialisation) or after the timed phases (`check_receipts`:
every answer is checked by the client's `check_cast`, and a receipt that does not verify is
a failure of the run)."""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

from saylau.bench.otp_inbox import OtpInbox
from saylau.bench.stats import Tally, error_kind
from saylau.client.voting import CastReceipt, ClientError, VotingClient
from saylau.protocol.ballot import Ballot
from saylau.protocol.canonical import canonical_json

T = TypeVar("T")
STOP = threading.Event()  # set on Ctrl-C: every loop stops taking voters


@dataclass
class BenchVoter:
    member: int
    iin: str
    phone: str
    district: str
    ballot: Ballot
    body: bytes = b""  # the ballot as sent: canonical JSON, made before the clock starts
    token: str | None = None
    answer: dict[str, Any] | None = None  # the server's answer to the cast, checked later
    receipt: CastReceipt | None = None
    failed: str | None = None  # the kind of the failure that stopped this voter


class Driver:
    """One VotingClient per thread (retries off: 503s are counted here, then retried after
    Retry-After, capped at `max_retry_wait` seconds). With several base URLs (app servers
    behind no balancer but this), each new thread takes the next one in turn."""

    def __init__(
        self,
        base_url: str | Sequence[str],
        slug: str,
        inbox: OtpInbox | None,
        *,
        timeout: float = 30.0,
        retries: int = 3,
        max_retry_wait: float = 5.0,
        sms_timeout: float = 30.0,
    ) -> None:
        self.base_urls = [base_url] if isinstance(base_url, str) else list(base_url)
        self.slug, self.inbox = slug, inbox
        self.timeout, self.retries, self.max_retry_wait = timeout, retries, max_retry_wait
        self.sms_timeout = sms_timeout
        self._local = threading.local()
        self._clients: list[VotingClient] = []
        self._lock = threading.Lock()

    def client(self) -> VotingClient:
        client: VotingClient | None = getattr(self._local, "client", None)
        if client is None:
            with self._lock:
                url = self.base_urls[len(self._clients) % len(self.base_urls)]
                client = VotingClient(url, self.slug, timeout=self.timeout, retries=0)
                self._clients.append(client)
            client.election_info()
            self._local.client = client
        client.token = client.challenge = None
        return client

    def close(self) -> None:
        for client in self._clients:
            client.close()

    def _step(self, tally: Tally, step: str, fn: Callable[[], T], *, idempotent: bool) -> T:
        """Run one request; 503s (and, if idempotent, lost connections) are counted and
        retried. Records the step's latency, retries included; raises the last failure."""
        started = time.perf_counter()
        for attempt in itertools.count():
            try:
                result = fn()
            except ClientError as error:
                kind = error_kind(error)
                tally.failed(f"{step}: {kind}")
                retry = error.status == 503 or (idempotent and kind == "connection")
                if not retry or attempt >= self.retries:
                    raise
                time.sleep(min(error.retry_after or 2**attempt, self.max_retry_wait))
                continue
            tally.add(step, time.perf_counter() - started)
            client = getattr(self._local, "client", None)
            if client is not None and client.server_timing:
                tally.server_timing(step, client.server_timing)
            return result
        raise AssertionError("unreachable")  # pragma: no cover

    def sign_in(self, voter: BenchVoter, tally: Tally) -> None:
        """IIN + phone → the code from the outbox → a session token."""
        assert self.inbox is not None
        client = self.client()
        before = self.inbox.latest_id(voter.phone)
        self._step(
            tally, "sign-in", lambda: client.sign_in(voter.iin, voter.phone), idempotent=False
        )
        started = time.perf_counter()
        code = self.inbox.wait(voter.phone, before, self.sms_timeout)
        tally.add("sms", time.perf_counter() - started)
        voter.token = self._step(tally, "verify", lambda: client.verify(code), idempotent=False)

    def cast(self, voter: BenchVoter, tally: Tally) -> None:
        """Cast the voter's pre-encrypted, pre-serialised ballot; the answer is kept for
        `check_receipts`."""
        client = self.client()
        client.token = voter.token
        body = voter.body or canonical_json(voter.ballot.raw)
        voter.answer = self._step(
            tally, "cast", lambda: client.cast_prepared(body), idempotent=True
        )

    def check_receipts(self, voters: Iterable[BenchVoter]) -> list[str]:
        """After the timed phases: the client's receipt check of every answer (the signed
        head, the inclusion proof of the leaf rebuilt from the ballot). Problems found."""
        client = self.client()
        problems = []
        for voter in voters:
            if voter.answer is None:
                continue
            try:
                voter.receipt = client.check_cast(voter.ballot, voter.answer)
            except ClientError as error:
                voter.failed = "receipt invalid"
                problems.append(f"member {voter.member}: {error.message}")
        return problems

    def run(self, voter: BenchVoter, tally: Tally, steps: str) -> None:
        """`steps`: "flow" (sign in, then cast), "sign-in" or "cast". Failures are counted
        in the tally and kept on the voter; they never stop the phase."""
        started = time.perf_counter()
        try:
            if steps in ("flow", "sign-in"):
                self.sign_in(voter, tally)
            if steps in ("flow", "cast"):
                self.cast(voter, tally)
        except Exception as error:  # every failure is a result here
            voter.failed = error_kind(error)
            if not isinstance(error, ClientError):
                tally.failed(f"{steps}: {voter.failed}")
            return
        if steps == "flow":
            tally.add("voter", time.perf_counter() - started)
        tally.done(time.monotonic())


def closed_loop(
    voters: Iterable[BenchVoter],
    concurrency: int,
    work: Callable[[BenchVoter, Tally], None],
    deadline: float,
) -> Tally:
    """`concurrency` voters at a time, each thread taking the next voter when it is done,
    until every voter went or `deadline` (monotonic) passed."""
    tally = Tally()
    queue = iter(voters)
    lock = threading.Lock()

    def worker() -> None:
        while time.monotonic() < deadline and not STOP.is_set():
            with lock:
                voter = next(queue, None)
            if voter is None:
                return
            work(voter, tally)

    tally.started = time.monotonic()
    pool = ThreadPoolExecutor(concurrency, thread_name_prefix="voter")
    try:
        for future in [pool.submit(worker) for _ in range(concurrency)]:
            future.result()
    except BaseException:  # Ctrl-C: the voters finish the request they are in, then stop
        STOP.set()
        raise
    finally:
        pool.shutdown(wait=True)
    tally.ended = time.monotonic()
    return tally


def open_loop(
    voters: Sequence[BenchVoter],
    rate: float,
    work: Callable[[BenchVoter, Tally], None],
    deadline: float,
    max_in_flight: int = 16,
) -> Tally:
    """Voters arrive at `rate` per second whatever the server's speed, up to `max_in_flight`
    at once (more threads cost this process more than they gain: the GIL). `late` is how
    far behind schedule a voter started, `arrival` the time from their scheduled arrival to
    the end of their work: the latency they saw, queueing in this process included."""
    tally = Tally()
    tally.started = start = time.monotonic()

    def arrive(voter: BenchVoter, due: float) -> None:
        tally.add("late", max(0.0, time.monotonic() - due))
        work(voter, tally)
        if voter.failed is None:
            tally.add("arrival", time.monotonic() - due)

    pool = ThreadPoolExecutor(max_in_flight, thread_name_prefix="arrival")
    try:
        for k, voter in enumerate(voters):
            due = start + k / rate
            if due > deadline or STOP.is_set():
                break
            pause = due - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            pool.submit(arrive, voter, due)
    except BaseException:
        STOP.set()
        raise
    finally:
        pool.shutdown(wait=True)
    tally.ended = time.monotonic()
    return tally
