"""kill -9 of the app server (granian master and workers) while voters cast: after a
restart, every receipt a voter got has its ballot on the board at the receipt's leaf index,
the board is one consistent Merkle log (every stored head and the state's frontier agree with
the roots recomputed from the leaves), and the casts that failed went in exactly once when
the voters tried again."""

from __future__ import annotations

import datetime as dt
import secrets
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.utils import timezone

from saylau.bench.board_check import check_board, check_through_api
from saylau.bench.server import AppServer, server_env
from saylau.client import CastReceipt, VotingClient
from saylau.voting import services
from saylau.voting.models import VoterSession
from saylau.voting.signin import token_digest
from tests.voting.helpers import build_world, cast_through_a_crash

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.slow]
ROOT = Path(__file__).resolve().parents[2]
SECRET = "crash-test-secret-key-" + "x" * 40
KILL_AFTER = 12  # receipts before the crash


def session_token(election, member_id: int) -> str:
    """A voter session made directly (sign-in has its own tests)."""
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    VoterSession.objects.create(
        election=election,
        member_id=member_id,
        token_hash=token_digest(token),
        network="127.0.0.1",
        created_at=now,
        expires_at=now + dt.timedelta(hours=1),
    )
    return token


def test_kill_9_mid_casts_loses_no_receipt(database_url, members):
    world = build_world(members, slug="primaries-crash", per_district=20, ip_policy="flag")
    election, slug = world.election, world.election.slug
    voters = world.voters  # 40
    tokens = {v.member_id: session_token(election, v.member_id) for v in voters}
    ballots = {v.member_id: world.ballot(v, choice=v.member_id % 3) for v in voters}
    env = server_env(database_url, SECRET, SAYLAU_BOARD_LOCK_TIMEOUT_MS="2000")
    server = AppServer(env, workers=2, cwd=ROOT).start()
    receipts: dict[int, CastReceipt] = {}
    failures: list[str] = []
    lock = threading.Lock()
    crash_now, restarted = threading.Event(), threading.Event()
    killed: list[int] = []

    def crash_and_restart() -> None:
        nonlocal server
        crash_now.wait(30)
        killed.extend(server.kill())  # SIGKILL to the master and every worker at once
        server = AppServer(env, workers=2, port=server.port, cwd=ROOT).start()
        restarted.set()

    def vote(member_id: int) -> None:
        with VotingClient(f"http://127.0.0.1:{server.port}", slug, retries=0, timeout=10) as c:
            c.token = tokens[member_id]
            receipt = cast_through_a_crash(c, ballots[member_id], failures, restarted, tries=6)
        with lock:
            receipts[member_id] = receipt
            if len(receipts) == KILL_AFTER:
                crash_now.set()

    try:
        with ThreadPoolExecutor(1) as crasher, ThreadPoolExecutor(8) as pool:
            crashed = crasher.submit(crash_and_restart)
            list(pool.map(vote, [v.member_id for v in voters]))
            crashed.result()
        assert len(killed) >= 3  # the master and its 2 workers
        assert failures, "no cast was in flight when the server was killed"
        assert len(receipts) == len(voters)

        # Every receipt's ballot is on the board at its leaf index; the board is consistent.
        election.refresh_from_db()
        report = check_board(
            database_url,
            election.pk,
            list(receipts.values()),
            bytes.fromhex(election.board_public_key),
            bytes.fromhex(election.fingerprint),
        )
        assert report.problems == []
        assert report.ballot_leaves == len(voters)  # each failed cast in once, when retried
        assert report.leaves == 1 + len(voters)
        assert check_through_api(server.url, slug, list(receipts.values())) == []
        assert services.board_rules(election).problems == []
        counted = {b.tracking_code for b in services.counted_ballots(election)}
        assert counted == {r.receipt.tracking_code for r in receipts.values()}
    finally:
        server.stop()
