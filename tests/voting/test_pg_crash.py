"""kill -9 of PostgreSQL itself (the postmaster and every backend at once) while voters cast
(decision 0011): the board's appends commit without waiting for their WAL flush, and the
receipt waits for that flush outside the lock. After crash recovery every receipt a voter
got has its ballot on the board at the receipt's leaf index, the board is one consistent
Merkle log, and the casts that failed went in exactly once when the voters tried again.

The cluster is our own (tests/voting/pg_cluster.py): the shared server on :5432 is not
touched. Its WAL writer is stopped (SIGSTOP) before the casts, so an append's WAL that no
flush covered is still in shared memory when the processes die, and is lost: a receipt
handed out before its flush shows here as a receipt without its leaf (measured: with
`board.make_durable` made a no-op, this test fails that way). The observer's board reads
flush the WAL too, so this test cannot tell the cast's own flush apart:
`test_a_receipt_leaves_only_once_its_leaf_is_flushed` checks that one deterministically."""

from __future__ import annotations

import os
import signal
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import psycopg
import pytest

from saylau.bench import ballots as bench_ballots
from saylau.bench import load_setup
from saylau.bench.board_check import check_board, check_through_api
from saylau.bench.driver import BenchVoter, Driver
from saylau.bench.otp_inbox import OtpInbox
from saylau.bench.server import AppServer, server_env
from saylau.bench.stats import Tally
from saylau.client import CastReceipt, VotingClient
from saylau.protocol.board import leaf_hash, roots_at_sizes
from saylau.protocol.canonical import canonical_json
from tests.voting.helpers import cast_through_a_crash
from tests.voting.pg_cluster import missing, own_cluster

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
SECRET = "pg-crash-test-secret-key-" + "x" * 40
VOTERS = 40
KILL_AFTER = 12  # receipts before the crash


@pytest.fixture
def cluster():
    if missing():
        pytest.skip(missing())
    with own_cluster() as made:
        yield made


def test_kill_9_of_postgresql_mid_casts_loses_no_receipt(cluster, tmp_path):
    url = cluster.create_database("saylau")
    setup = load_setup.open_in_subprocess(url, tmp_path, SECRET, voters=VOTERS)
    encrypted = bench_ballots.encrypt_all(
        setup["manifest"], setup["joint_public_key"], setup["voters"], 2
    )
    voters = [
        BenchVoter(int(v["member"]), v["iin"], v["phone"], v["district"], ballot)
        for v, ballot in zip(setup["voters"], encrypted, strict=True)
    ]
    env = server_env(url, SECRET, SAYLAU_BOARD_LOCK_TIMEOUT_MS="2000")
    server = AppServer(env, workers=2, cwd=ROOT, log=tmp_path / "server.log").start()
    receipts: dict[int, CastReceipt] = {}
    failures: list[str] = []
    lock = threading.Lock()
    crash_now, restarted = threading.Event(), threading.Event()
    killed: list[int] = []
    seen: list[tuple[int, str]] = []  # (size, root) of every head the watcher was shown

    def crash_and_recover() -> None:
        crash_now.wait(60)
        try:
            killed.extend(cluster.kill())
            cluster.start()  # crash recovery replays the WAL that reached the disk
        finally:
            restarted.set()  # the voters wait for this (a failed restart fails the test)

    def watch_board() -> None:
        """Read the board's signed head the whole time, as an observer would. The crash
        comes as soon as a head shows a leaf that no receipt has named yet (after
        KILL_AFTER receipts). Here the cast's own flush is mostly done before the kill
        lands, so this rarely catches a board read that does not wait for the flush:
        test_board_reads_wait_for_the_flush checks that deterministically."""
        with httpx.Client(base_url=server.url, timeout=10) as http:
            while not restarted.is_set():
                try:
                    answer = http.get(f"/api/voting/{setup['slug']}/board")
                except httpx.TransportError:
                    continue
                if answer.status_code != 200:
                    continue
                head = answer.json()["tree_head"]
                seen.append((head["tree_size"], head["root_hash"]))
                with lock:
                    named = max((r.leaf_index for r in receipts.values()), default=0)
                    if len(receipts) >= KILL_AFTER and head["tree_size"] > named + 1:
                        crash_now.set()

    def vote(voter: BenchVoter) -> None:
        with VotingClient(server.url, setup["slug"], retries=0, timeout=10) as client:
            client.token = voter.token
            receipt = cast_through_a_crash(client, voter.ballot, failures, restarted, tries=10)
        with lock:
            receipts[voter.member] = receipt
            if len(receipts) == KILL_AFTER + 8:  # the watcher did not crash it first
                crash_now.set()

    try:
        with OtpInbox(url, setup["outbox_baseline"]) as inbox:
            driver = Driver(server.url, setup["slug"], inbox)
            tally = Tally()
            for voter in voters:
                driver.sign_in(voter, tally)
            driver.close()
        cluster.pause_wal_writer()
        with ThreadPoolExecutor(2) as crasher, ThreadPoolExecutor(8) as pool:
            crashed = crasher.submit(crash_and_recover)
            watcher = crasher.submit(watch_board)
            list(pool.map(vote, voters))
            crashed.result()
            watcher.result()
        assert len(killed) >= 3  # the postmaster and its background processes at least
        assert failures, "no cast was in flight when PostgreSQL was killed"
        assert len(receipts) == VOTERS

        report = check_board(
            url,
            setup["election_pk"],
            list(receipts.values()),
            bytes.fromhex(setup["board_public_key"]),
            bytes.fromhex(setup["fingerprint"]),
        )
        assert report.problems == []
        assert report.ballot_leaves == VOTERS  # each failed cast in once, when retried
        assert report.leaves == 1 + VOTERS
        assert check_through_api(server.url, setup["slug"], list(receipts.values())) == []
        # Every head the board showed before the crash is a head of the board after it.
        assert seen
        hashes = _leaf_hashes(url, setup["election_pk"])
        roots = roots_at_sizes(hashes, {n for n, _ in seen if n <= len(hashes)})
        assert [(n, root) for n, root in seen if roots.get(n, b"").hex() != root] == []
    finally:
        server.stop()


def _leaf_hashes(database_url: str, election_pk: int) -> list[bytes]:
    with psycopg.connect(database_url) as conn:
        rows = conn.execute(
            'SELECT data FROM voting_leaf WHERE election_id = %s ORDER BY "index"', [election_pk]
        ).fetchall()
    return [leaf_hash(bytes(data)) for (data,) in rows]


# --- board reads: what they show is durable before they answer ------------------------------


@pytest.fixture(scope="module")
def quiet_board():
    """A cluster of our own with an open election, one ballot on its board, and the app
    in front of it: (cluster, app url, slug, a voter's token, the ballot's tracking code,
    another ballot of the same voter, not cast yet)."""
    if missing():
        pytest.skip(missing())
    with own_cluster() as cluster, tempfile.TemporaryDirectory() as work:
        root, server = Path(work), None
        try:
            url = cluster.create_database("saylau")
            setup = load_setup.open_in_subprocess(url, root, SECRET, voters=3)
            ballot, revote = bench_ballots.encrypt_all(
                setup["manifest"], setup["joint_public_key"], setup["voters"][:1] * 2, 1
            )
            first = setup["voters"][0]
            voter = BenchVoter(int(first["member"]), first["iin"], first["phone"], "", ballot)
            env = server_env(url, SECRET)
            server = AppServer(env, workers=1, cwd=ROOT, log=root / "server.log").start()
            with OtpInbox(url, setup["outbox_baseline"]) as inbox:
                driver = Driver(server.url, setup["slug"], inbox)
                driver.sign_in(voter, Tally())
                driver.close()
            with VotingClient(server.url, setup["slug"], retries=0) as client:
                client.token = voter.token
                code = client.cast(ballot).receipt.tracking_code
            yield cluster, server.url, setup["slug"], voter.token, code, revote
        finally:
            if server is not None:
                server.stop()


BOARD_READS = [
    "/api/voting/{slug}/board",
    "/api/voting/{slug}/board/leaves",
    "/api/voting/{slug}/board/leaves.jsonl?start=0",
    "/api/voting/{slug}/board/ballots/{code}",
    "/api/voting/{slug}/board/consistency?old=1",
    "/api/voting/{slug}/counts",
    "/api/voting/{slug}/me",
    "/{lang}/board/{slug}/",
    "/{lang}/board/{slug}/counts/",
]


@pytest.mark.parametrize("path", BOARD_READS)
def test_board_reads_wait_for_the_flush(quiet_board, path):
    """With the WAL writer stopped, a commit that did not wait for its flush stays in
    shared memory. A page or API answer that shows the board must not leave before the WAL
    it read is on disk: after it, the flushed position has passed that commit. (Without
    `board.make_durable` in the view, the position stays behind: the view only read.)"""
    cluster, base, slug, token, code, _revote = quiet_board
    writer = cluster.pause_wal_writer()
    try:
        with psycopg.connect(cluster.url("saylau"), autocommit=True) as conn:
            conn.execute("SET synchronous_commit = off")
            conn.execute("CREATE TABLE IF NOT EXISTS scratch (n int)")
            conn.execute("INSERT INTO scratch VALUES (1)")
            row = conn.execute("SELECT pg_current_wal_insert_lsn() - '0/0'::pg_lsn").fetchone()
            committed = int(row[0])
            assert _flushed(conn) < committed  # the commit is not on disk yet
            url = base + path.format(slug=slug, code=code, lang="en")
            answer = httpx.get(url, headers={"Authorization": f"Bearer {token}"}, timeout=10)
            assert answer.status_code == 200, answer.text
            assert _flushed(conn) >= committed
    finally:
        os.kill(writer, signal.SIGCONT)


def test_a_receipt_leaves_only_once_its_leaf_is_flushed(quiet_board):
    """The cast's append commits without waiting for its WAL flush and waits for that flush
    before the receipt leaves (decisions 0011 and 0014). With the WAL writer stopped, after
    the receipt the flushed position has passed the leaf's WAL — at least the ballot's
    bytes beyond where WAL ended before the cast. (Without the procedure's wait it stays
    where it was: only a flush moves it, and the raw cast reads nothing else.)"""
    cluster, base, slug, token, _code, revote = quiet_board
    writer = cluster.pause_wal_writer()
    try:
        with psycopg.connect(cluster.url("saylau"), autocommit=True) as conn:
            before = _inserted(conn)
            with VotingClient(base, slug, retries=0) as client:
                client.token = token
                answer = client.cast_prepared(canonical_json(revote.raw))
            assert answer["kind"] == "revote"
            assert _flushed(conn) >= before + len(canonical_json(revote.raw))
    finally:
        os.kill(writer, signal.SIGCONT)


def _inserted(conn: psycopg.Connection) -> int:
    row = conn.execute("SELECT pg_current_wal_insert_lsn() - '0/0'::pg_lsn").fetchone()
    return int(row[0])


def _flushed(conn: psycopg.Connection) -> int:
    row = conn.execute("SELECT pg_current_wal_flush_lsn() - '0/0'::pg_lsn").fetchone()
    return int(row[0])
