"""The PostgreSQL append procedure and the Python append write the same board, byte for byte.

Random sequences of casts, re-votes, paper overrides and stale appends (a credential that
moved since the caller looked) go once through `saylau_append_ballot` and once through the
Python append under the lock (`board.store`); the leaves, every stored subtree, the state
row, each append's inclusion proof and the signed heads must be identical, and equal to
`protocol.merkle`'s MerkleLog. Each run is rolled back (the procedure does not commit inside
a transaction)."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saylau.board import procedure, store
from saylau.board import services as board
from saylau.board.models import BoardState, Leaf, LeafKind, Node
from saylau.protocol import events
from saylau.protocol.merkle import MerkleLog

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the append procedure is PostgreSQL's"
    ),
]

VOTERS = 5
# (voter, action): "ballot" (a cast or a re-vote of the voter's latest), "paper", "stale"
# (a ballot built from a history older than the board's: both ways must refuse it)
OPS = st.lists(
    st.tuples(st.integers(0, VOTERS - 1), st.sampled_from(["ballot", "ballot", "paper", "stale"])),
    min_size=1,
    max_size=40,
)


EPOCH = dt.datetime.fromtimestamp(0, tz=dt.UTC)  # a paper leaf takes the board's last time


class _Rollback(Exception):
    pass


def _credential(voter: int) -> str:
    return hashlib.sha256(b"credential %d" % voter).hexdigest()


def _ballot_leaf(history: dict[int, list], voter: int, n: int, time_ms: int, stale: bool):
    """The leaf of the voter's n-th ballot: a re-vote of their latest ballot, or a cast;
    `stale`: built as if their latest leaf were one older (-1 if none)."""
    mine = history.setdefault(voter, [])
    seen = (
        mine[-2] if stale and len(mine) > 1 else (None if stale else (mine[-1] if mine else None))
    )
    latest = -1 if seen is None else seen[0]
    replaces = seen[1] if seen is not None and seen[1] else None
    blob = b'{"n":%d,"voter":%d}' % (n, voter)
    code = hashlib.sha256(blob).hexdigest()
    data = events.ballot_leaf_bytes(blob, time_ms, replaces)
    kind = LeafKind.REVOTE if replaces else LeafKind.CAST
    return store.BallotLeaf(data, kind, time_ms, code, _credential(voter), replaces, latest=latest)


def _run(election, ops, by_procedure: bool) -> dict:
    """Apply `ops` to the board one way; what the board holds then, and each append's answer."""
    history: dict[int, list] = {}
    answers = []
    for n, (voter, action) in enumerate(ops):
        time_ms = board.read_state(election).last_time + 1
        mine = history.setdefault(voter, [])
        if mine and mine[-1][2] == "paper":
            continue  # a paper voter casts no more
        if action == "paper":
            index = board.append_paper_vote(election, _credential(voter), f"P-{voter}", now=EPOCH)
            mine.append((index, None, "paper"))
            answers.append(("paper", index))
            continue
        leaf = _ballot_leaf(history, voter, n, time_ms, stale=action == "stale")
        if by_procedure:
            added = procedure.append_ballot(election, leaf)
            added = None if isinstance(added, procedure.NotAppended) else added
        else:
            state = board.open_state(election)
            added = store.append_if_latest(election, state, leaf)
        if added is None:
            answers.append(("refused", action))
            continue
        mine.append((added.index, leaf.tracking_code, "ballot"))
        answers.append((added.index, added.leaf_hash, added.root, added.path))
    return {"answers": answers, **_snapshot(election)}


def _snapshot(election) -> dict:
    leaves = list(
        Leaf.objects.filter(election=election)
        .order_by("index")
        .values_list("index", "data", "leaf_hash", "root_hash", "kind", "time", "credential")
    )
    nodes = sorted(
        (lv, ix, bytes(h))
        for lv, ix, h in Node.objects.filter(election=election).values_list(
            "level", "index", "hash"
        )
    )
    state = BoardState.objects.get(election=election)
    info = board.info(election)
    heads = [board.head_at(election, size) for size in range(1, state.size + 1)]
    return {
        "leaves": [tuple(bytes(v) if isinstance(v, memoryview) else v for v in r) for r in leaves],
        "nodes": nodes,
        "state": (state.size, bytes(state.frontier), state.last_time),
        "heads": [*heads, info.head],
    }


def _board_after(election, ops, by_procedure: bool) -> dict:
    try:
        with transaction.atomic():
            result = _run(election, ops, by_procedure)
            raise _Rollback
    except _Rollback:
        return result


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=OPS)
def test_the_procedure_and_python_write_the_same_board(world, ops):
    election = world.election
    by_procedure = _board_after(election, ops, True)
    by_python = _board_after(election, ops, False)
    assert by_procedure == by_python
    # and both are the protocol's tree
    log = MerkleLog(leaf for _i, _d, leaf, *_rest in by_python["leaves"])
    assert [r[3] for r in by_python["leaves"]] == [log.root(i + 1) for i in range(log.size)]
    assert by_python["state"][1] == b"".join(log.frontier())
    stored = {(lv, ix): h for lv, ix, h in by_python["nodes"]}
    assert stored == {
        (lv, ix): log._levels[lv][ix]
        for lv in range(len(log._levels))
        for ix in range(len(log._levels[lv]))
    }
    for answer in by_python["answers"]:
        if isinstance(answer[0], int) and len(answer) == 4:
            index, _leaf_hash, root, path = answer
            assert root == log.root(index + 1) and list(path) == log.inclusion_proof(
                index, index + 1
            )
