"""The cast's append without the board lock (PostgreSQL, decision 0010): it writes only if
the board did not move since its state was read, and the credential has nothing newer than
the look-up saw; otherwise it reads again, or takes the locked way. Each test makes the
board move at the worst moment — between the state read and the conditional write."""

from __future__ import annotations

import pytest
from django.db import connection

from saylau.elections import services as elections
from saylau.protocol import events
from saylau.protocol.canonical import canonical_json
from saylau.voting import board, cast, services
from saylau.voting.models import Leaf, LeafKind, Node
from tests.voting.test_cast import check

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the append without the lock is PostgreSQL's"
    ),
]


def _move_after_reads(monkeypatch, action, times: int = 1) -> list[int]:
    """`action()` right after each of the first `times` state reads; returns the sizes read."""
    real = board.read_state
    sizes: list[int] = []
    inside = []  # the action's own casts read the state too: not counted

    def read_then_move(election):
        state = real(election)
        if inside:
            return state
        sizes.append(state.size if state else -1)
        if len(sizes) <= times:
            inside.append(1)
            try:
                action(len(sizes))
            finally:
                inside.clear()
        return state

    monkeypatch.setattr(board, "read_state", read_then_move)
    return sizes


def _no_locked_way(monkeypatch) -> None:
    def locked(*args, **kwargs):
        raise AssertionError("the locked way was taken")

    monkeypatch.setattr(cast, "_append_locked", locked)


def test_another_voters_leaf_first_means_reading_again(world, api, monkeypatch):
    me, other = world.voters[0], world.voters[1]
    token = api.sign_in(me)
    mine = world.ballot(me)
    _no_locked_way(monkeypatch)
    sizes = _move_after_reads(
        monkeypatch,
        lambda _n: services.cast_ballot(world.election, other.member_id, world.ballot(other).raw),
    )
    response = api.cast(mine, token)
    assert response.status_code == 201, response.content
    check(world, mine, response.json())
    assert sizes[1] == sizes[0] + 1  # the second read saw the other voter's leaf
    assert response.json()["leaf_index"] == sizes[0] + 1
    assert services.board_rules(world.election).problems == []


def test_a_board_that_keeps_moving_takes_the_locked_way(world, api, monkeypatch):
    me, others = world.voters[0], world.voters[1:]
    assert len(others) >= cast.OPTIMISTIC_TRIES
    token = api.sign_in(me)
    mine = world.ballot(me)
    locked = []
    real_locked = cast._append_locked
    monkeypatch.setattr(
        cast, "_append_locked", lambda *a, **k: locked.append(1) or real_locked(*a, **k)
    )

    def another(n: int) -> None:
        voter = others[n - 1]
        services.cast_ballot(world.election, voter.member_id, world.ballot(voter).raw)

    sizes = _move_after_reads(monkeypatch, another, times=cast.OPTIMISTIC_TRIES)
    response = api.cast(mine, token)
    assert response.status_code == 201, response.content
    check(world, mine, response.json())
    assert len(sizes) == cast.OPTIMISTIC_TRIES and locked == [1]
    assert services.board_rules(world.election).problems == []


def test_the_board_closing_meanwhile_refuses_the_cast(world, api, monkeypatch):
    me = world.voters[0]
    token = api.sign_in(me)
    _move_after_reads(monkeypatch, lambda _n: board.close_board(world.election))
    before = Leaf.objects.filter(election=world.election).count()
    response = api.cast(world.ballot(me), token)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "voting.closed"
    leaves = Leaf.objects.filter(election=world.election).order_by("index")
    assert leaves.count() == before + 1 and leaves.last().kind == LeafKind.CLOSE  # the close only


def _leaf(world, voter, state, latest: int) -> board.BallotLeaf:
    ballot = world.ballot(voter)
    found = elections.member_credential(world.election, voter.member_id)
    assert found is not None
    return board.BallotLeaf(
        events.ballot_leaf_bytes(canonical_json(ballot.raw), state.last_time, None),
        LeafKind.CAST,
        state.last_time,
        ballot.tracking_code,
        found[0],
        None,
        latest=latest,
    )


def _written() -> tuple[int, int]:
    return Leaf.objects.count(), Node.objects.count()


def test_a_stale_state_writes_nothing(world):
    stale = board.read_state(world.election)
    other = world.voters[1]
    services.cast_ballot(world.election, other.member_id, world.ballot(other).raw)
    before = _written()
    fresh = board.read_state(world.election)
    leaf = _leaf(world, world.voters[0], stale, -1)
    assert board.append_unless_moved(world.election, stale, leaf) is board.Moved.BOARD
    assert _written() == before
    assert board.read_state(world.election) == fresh  # the state row is untouched too


def test_a_newer_leaf_of_the_credential_writes_nothing(world):
    me = world.voters[0]
    services.cast_ballot(world.election, me.member_id, world.ballot(me, choice=1).raw)
    state = board.read_state(world.election)
    before = _written()
    # the caller's look-up saw no leaf of this credential (-1); there is one now
    leaf = _leaf(world, me, state, -1)
    assert board.append_unless_moved(world.election, state, leaf) is board.Moved.CREDENTIAL
    assert _written() == before


def test_an_unmoved_board_takes_the_leaf(world):
    me = world.voters[0]
    state = board.read_state(world.election)
    size = state.size
    added = board.append_unless_moved(world.election, state, _leaf(world, me, state, -1))
    assert isinstance(added, board.Appended) and added.index == size
    assert board.read_state(world.election).size == size + 1 == state.size
    leaf = Leaf.objects.get(election=world.election, index=size)
    assert bytes(leaf.root_hash) == added.root


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_flush_that_fails_after_the_commit_asks_for_the_same_ballot_again(
    world, api, monkeypatch
):
    """Outside a transaction (as in production) the append commits before its flush
    (decision 0011). If the database goes away in between, the voter is told the ballot
    could not be confirmed and to send it again; the same ballot then gets its receipt."""
    from django.db import OperationalError

    voter = world.voters[0]
    token = api.sign_in(voter)
    ballot = world.ballot(voter)
    real, flushes = board.make_durable, []

    def lost(*args, **kwargs):
        flushes.append(connection.in_atomic_block)
        if len(flushes) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real(*args, **kwargs)

    monkeypatch.setattr(board, "make_durable", lost)
    body = canonical_json(ballot.raw)
    response = api.post("/ballots", body, token=token, HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 503, response.content
    assert response["Retry-After"]
    assert "Отправьте тот же бюллетень ещё раз" in response.json()["error"]["message"]
    assert flushes == [False]  # the append's own flush, outside any transaction
    # The leaf had committed: the retry is a repeat, with the receipt of that leaf.
    again = api.cast(ballot, token)
    assert again.status_code == 200, again.content
    assert again.json()["repeat"] is True
    check(world, ballot, again.json())
    assert Leaf.objects.filter(election=world.election, kind=LeafKind.CAST).count() == 1
