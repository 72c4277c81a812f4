"""Two app servers (granian processes) on one PostgreSQL: sign in on one, cast on the other,
cast concurrently through both; the board stays dense, ordered and equal to the reference
Merkle log, every receipt verifies, and a board lock held too long answers 503."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.db import connection

from saylau.bench.server import AppServer, server_env
from saylau.board.models import Leaf
from saylau.client import ClientError, VotingClient
from saylau.protocol import board as pb
from saylau.voting import services
from tests.voting.helpers import build_world

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.slow]
ROOT = Path(__file__).resolve().parents[2]
SECRET = "multi-server-test-secret-key-" + "x" * 40


@pytest.fixture
def servers(database_url):
    """Two granian app servers (2 workers each) on the test database."""
    env = server_env(database_url, SECRET, SAYLAU_BOARD_LOCK_TIMEOUT_MS="300")
    started: list[AppServer] = []
    try:
        for _ in range(2):
            started.append(AppServer(env, workers=2, cwd=ROOT).start(ready_within=30))
        yield [server.url for server in started]
    finally:
        for server in started:
            server.stop()


def wait_code(before: int) -> str:
    from saylau.notify.models import OutboxMessage
    from tests.voting.helpers import CODE_RE

    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        message = OutboxMessage.objects.order_by("-id").first()
        if message is not None and message.id > before:
            return CODE_RE.search(message.body).group(1)
        time.sleep(0.05)
    raise AssertionError("no SMS")


def outbox_top() -> int:
    from saylau.notify.models import OutboxMessage

    return OutboxMessage.objects.order_by("-id").values_list("id", flat=True).first() or 0


def selections(world, voter, choice):
    contest = world.ctx.manifest.contests_for(voter.district)[0]
    marks = [0] * len(contest.options)
    marks[choice] = 1
    return {contest.id: marks}


def test_two_servers_one_board(servers, members):
    world = build_world(members, slug="primaries-multi", per_district=6, ip_policy="flag")
    slug = world.election.slug
    clients = []
    for i, voter in enumerate(world.voters):
        first = VotingClient(servers[i % 2], slug)
        before = outbox_top()
        first.sign_in(voter.iin, voter.phone)
        second = VotingClient(servers[(i + 1) % 2], slug)  # the code goes to the other server
        second.verify(wait_code(before), challenge=first.challenge)
        first.close()
        clients.append((voter, second))

    def vote(args):
        k, (voter, client) = args
        results = [client.vote(voter.code, selections(world, voter, k % 3))]
        if k % 3 == 0:  # a re-vote, retried through the other server at the same time
            ballot = client.encrypt(voter.code, selections(world, voter, 2))
            other = VotingClient(servers[(k + 1) % 2], slug)
            other.token = client.token
            with ThreadPoolExecutor(2) as pool:
                both = list(pool.map(lambda c: c.cast(ballot), (client, other)))
            other.close()
            assert both[0].receipt == both[1].receipt
            assert sorted(r.repeat for r in both) == [False, True]
            results.append(both[0])
        return voter, results

    with ThreadPoolExecutor(8) as pool:
        outcome = list(pool.map(vote, enumerate(clients)))
    for _, client in clients:
        client.close()

    election = world.election
    leaves = list(services.board_leaves(election))
    expected = 1 + len(world.voters) + sum(1 for k in range(len(world.voters)) if k % 3 == 0)
    assert len(leaves) == expected
    indexes = list(Leaf.objects.filter(election=election).values_list("index", flat=True))
    assert indexes == list(range(expected))
    log = pb.MerkleLog()
    for leaf in leaves:
        log.append(leaf)
    head = services.info(election).head
    assert head.root_hash == log.root()
    for _, results in outcome:
        for r in results:
            assert leaves[r.leaf_index] == r.leaf
            assert r.receipt.tree_head.root_hash == log.root(r.leaf_index + 1)
    assert services.board_rules(election).problems == []
    counted = {b.tracking_code for b in services.counted_ballots(election)}
    assert counted == {results[-1].receipt.tracking_code for _, results in outcome}


def test_a_held_board_lock_answers_503(servers, members):
    import psycopg

    world = build_world(members, slug="primaries-lock", per_district=1, ip_policy="flag")
    voter = world.voters[0]
    client = VotingClient(servers[0], world.election.slug, retries=0)
    before = outbox_top()
    client.sign_in(voter.iin, voter.phone)
    client.verify(wait_code(before))
    ballot = client.encrypt(voter.code, selections(world, voter, 0))
    settings = connection.settings_dict
    with psycopg.connect(
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
        user=settings["USER"],
        dbname=settings["NAME"],
    ) as holder:
        holder.execute(
            "SELECT 1 FROM voting_boardstate WHERE election_id = %s FOR UPDATE",
            [world.election.pk],
        )
        with pytest.raises(ClientError) as busy:
            client.cast(ballot)
        assert busy.value.status == 503 and busy.value.retry_after
        holder.rollback()
    assert client.cast(ballot).kind == "cast"  # nothing was stored by the refused try
    client.close()
