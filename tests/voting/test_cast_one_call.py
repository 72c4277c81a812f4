"""The cast's append on PostgreSQL (decision 0014): one call of `saylau_append_ballot`
that locks the board's state row, appends only if the board is open, the leaf's time is not
before the board's last leaf and the credential has nothing newer than the look-up saw, and
then (outside a transaction) commits and waits for its flush. The cast tests make the board
move at the worst moment — between the look-up and the append; the others call the
procedure directly, and check its Merkle arithmetic against the protocol's reference log."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.db import OperationalError, connection
from django.utils import timezone

from saylau.board import procedure, store
from saylau.board import services as board
from saylau.board import sql as board_sql
from saylau.board.models import BoardState, Leaf, LeafKind, Node
from saylau.elections import services as elections
from saylau.protocol import events, merkle
from saylau.protocol.board import MerkleLog, leaf_hash
from saylau.protocol.canonical import canonical_json
from saylau.voting import append, services
from tests.voting.test_cast import check

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the append procedure is PostgreSQL's"
    ),
]


def _before_appends(monkeypatch, action, times: int = 1) -> list[int]:
    """`action(n)` right before each of the first `times` calls of the procedure by a cast;
    returns the time of the leaf each of the cast's calls tried (one entry per call)."""
    real = procedure.append_ballot
    seen: list[int] = []
    inside = []  # the action's own casts call the procedure too: not counted

    def act_then_append(election, leaf, *first):
        if inside:
            return real(election, leaf, *first)
        seen.append(leaf.time)
        if len(seen) <= times:
            inside.append(1)
            try:
                action(len(seen))
            finally:
                inside.clear()
        return real(election, leaf, *first)

    monkeypatch.setattr(procedure, "append_ballot", act_then_append)
    return seen


def _no_locked_way(monkeypatch) -> None:
    def locked(*args, **kwargs):
        raise AssertionError("the locked way was taken")

    monkeypatch.setattr(append, "_locked", locked)


def _later(seconds: int) -> dt.datetime:
    return timezone.now() + dt.timedelta(seconds=seconds)


def test_a_later_leaf_first_means_building_the_leaf_again(world, api, monkeypatch):
    me, other = world.voters[0], world.voters[1]
    token = api.sign_in(me)
    mine = world.ballot(me)
    _no_locked_way(monkeypatch)
    later = board.to_ms(_later(5))
    times = _before_appends(
        monkeypatch,
        lambda _n: services.cast_ballot(
            world.election, other.member_id, world.ballot(other).raw, now=_later(5)
        ),
    )
    response = api.cast(mine, token)
    assert response.status_code == 201, response.content
    check(world, mine, response.json())  # the leaf was built again: its bytes hold the time
    assert len(times) == 2 and times[0] < later <= times[1] == response.json()["time"]
    assert services.board_rules(world.election).problems == []


def test_a_board_that_keeps_moving_takes_the_locked_way(world, api, monkeypatch):
    """A first cast tries the procedure ONE_CALL_TRIES times with the voter's checks
    (decision 0015), then the way with the look-up another ONE_CALL_TRIES times, then takes
    the lock: with another leaf coming first each time, the locked way appends."""
    me, others = world.voters[0], world.voters[1:]
    tries = 2 * append.ONE_CALL_TRIES
    token = api.sign_in(me)
    mine = world.ballot(me)
    locked = []
    real_locked = append._locked
    monkeypatch.setattr(append, "_locked", lambda *a, **k: locked.append(1) or real_locked(*a, **k))

    def another(n: int) -> None:  # a cast or a revote of another voter, later each time
        voter, choice = others[(n - 1) % len(others)], (n - 1) // len(others)
        ballot = world.ballot(voter, choice=choice)
        services.cast_ballot(world.election, voter.member_id, ballot.raw, now=_later(n))

    times = _before_appends(monkeypatch, another, times=tries)
    response = api.cast(mine, token)
    assert response.status_code == 201, response.content
    check(world, mine, response.json())
    assert len(times) == tries and locked == [1]
    assert services.board_rules(world.election).problems == []


def test_the_board_closing_meanwhile_refuses_the_cast(world, api, monkeypatch):
    me = world.voters[0]
    token = api.sign_in(me)
    _before_appends(monkeypatch, lambda _n: board.close_board(world.election))
    before = Leaf.objects.filter(election=world.election).count()
    response = api.cast(world.ballot(me), token)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "voting.closed"
    leaves = Leaf.objects.filter(election=world.election).order_by("index")
    assert leaves.count() == before + 1 and leaves.last().kind == LeafKind.CLOSE  # the close only


def _leaf(world, voter, time: int, latest: int) -> store.BallotLeaf:
    ballot = world.ballot(voter)
    found = elections.member_credential(world.election, voter.member_id)
    assert found is not None
    return store.BallotLeaf(
        events.ballot_leaf_bytes(canonical_json(ballot.raw), time, None),
        LeafKind.CAST,
        time,
        ballot.tracking_code,
        found[0],
        None,
        latest=latest,
    )


def _written() -> tuple[int, int, tuple[int, bytes, int]]:
    state = BoardState.objects.get()
    return (
        Leaf.objects.count(),
        Node.objects.count(),
        (state.size, bytes(state.frontier), state.last_time),
    )


def test_a_leaf_timed_before_the_last_one_writes_nothing(world):
    other = world.voters[1]
    services.cast_ballot(world.election, other.member_id, world.ballot(other).raw, now=_later(9))
    last = store.read_state(world.election).last_time
    before = _written()
    answer = procedure.append_ballot(world.election, _leaf(world, world.voters[0], last - 1, -1))
    assert answer == procedure.NotAppended("time", last)
    assert _written() == before  # the state row is untouched too


def test_a_newer_leaf_of_the_credential_writes_nothing(world):
    me = world.voters[0]
    services.cast_ballot(world.election, me.member_id, world.ballot(me, choice=1).raw)
    last = store.read_state(world.election).last_time
    before = _written()
    # the caller's look-up saw no leaf of this credential (-1); there is one now
    answer = procedure.append_ballot(world.election, _leaf(world, me, last, -1))
    assert answer == procedure.NotAppended("credential", last)
    assert _written() == before


def test_a_board_not_open_or_closed_takes_nothing(world_factory):
    world = world_factory(open_board=False)
    assert procedure.append_ballot(world.election, _leaf(world, world.voters[0], 0, -1)).why == (
        "not_open"
    )
    board.open_board(world.election)
    board.close_board(world.election)
    before = _written()
    answer = procedure.append_ballot(world.election, _leaf(world, world.voters[0], 0, -1))
    assert answer.why == "closed" and _written() == before


def test_an_open_board_takes_the_leaf(world):
    me = world.voters[0]
    state = store.read_state(world.election)
    leaf = _leaf(world, me, state.last_time, -1)
    added = procedure.append_ballot(world.election, leaf)
    assert isinstance(added, store.Appended) and added.index == state.size
    after = store.read_state(world.election)
    assert after.size == state.size + 1 and after.last_time == leaf.time
    stored = Leaf.objects.get(election=world.election, index=state.size)
    assert bytes(stored.root_hash) == added.root and bytes(stored.data) == leaf.data
    assert bytes(stored.leaf_hash) == added.leaf_hash == leaf_hash(leaf.data)
    assert stored.tracking_code == leaf.tracking_code and stored.credential == leaf.credential


def test_the_procedure_builds_the_reference_merkle_log(world):
    """70 leaves through the procedure: after each, the root and the inclusion proof it
    returns, the stored leaf, complete subtrees and frontier are the protocol's reference
    MerkleLog's and `voting.merkle`'s, byte for byte (every shape of frontier up to 64)."""
    reference = MerkleLog(
        bytes(h)
        for h in Leaf.objects.filter(election=world.election)
        .order_by("index")
        .values_list("leaf_hash", flat=True)
    )
    state = store.read_state(world.election)
    frontier = merkle.split_frontier(bytes(state.frontier), state.size)
    for n in range(70):
        data = f'{{"n":{n}}}'.encode()
        code = hashlib.sha256(data).hexdigest()
        leaf = store.BallotLeaf(
            data, LeafKind.CAST, state.last_time, code, f"{n:064x}", None, latest=-1
        )
        added = procedure.append_ballot(world.election, leaf)
        assert isinstance(added, store.Appended), added
        index = reference.append(data)
        assert added.index == index
        assert added.root == reference.root()
        assert list(added.path) == reference.inclusion_proof(index)
        frontier, nodes = merkle.append(frontier, index, leaf_hash(data))
        stored = {
            (level, i): bytes(h)
            for level, i, h in Node.objects.filter(election=world.election).values_list(
                "level", "index", "hash"
            )
        }
        assert all(stored[(level, i)] == h for level, i, h in nodes)
        assert bytes(BoardState.objects.get().frontier) == b"".join(frontier)
    assert Node.objects.filter(election=world.election, level=6).count() == 1  # 64 leaves


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_database_lost_during_the_call_asks_for_the_same_ballot_again(world, api, monkeypatch):
    """Outside a transaction (as in production) the procedure commits the leaf, then waits
    for its flush (decision 0011). If the database goes away after the call did its work
    and before its answer arrived, the voter is told the ballot could not be confirmed and to
    send it again; the same ballot then gets its receipt."""
    voter = world.voters[0]
    token = api.sign_in(voter)
    ballot = world.ballot(voter)
    real_cursor, calls = board_sql.cursor, []

    class LostAnswer:
        def __init__(self, cursor):
            self.cursor = cursor

        def execute(self, query, params=()):
            self.cursor.execute(query, params)
            if query.startswith("CALL saylau_append_"):  # a first cast's call, or any
                calls.append(params[-1])  # p_commit
                if len(calls) == 1:
                    raise OperationalError("server closed the connection unexpectedly")

        def fetchone(self):
            return self.cursor.fetchone()

    class Cursor:
        def __enter__(self):
            self.inner = real_cursor()
            return LostAnswer(self.inner.__enter__())

        def __exit__(self, *exc):
            return self.inner.__exit__(*exc)

    monkeypatch.setattr(board_sql, "cursor", Cursor)
    body = canonical_json(ballot.raw)
    response = api.post("/ballots", body, token=token, HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 503, response.content
    assert response["Retry-After"]
    assert "Отправьте тот же бюллетень ещё раз" in response.json()["error"]["message"]
    assert calls == [True]  # the procedure committed and flushed, outside any transaction
    # The leaf had committed: the retry is a repeat, with the receipt of that leaf.
    again = api.cast(ballot, token)
    assert again.status_code == 200, again.content
    assert again.json()["repeat"] is True
    check(world, ballot, again.json())
    assert Leaf.objects.filter(election=world.election, kind=LeafKind.CAST).count() == 1
