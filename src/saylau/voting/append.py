"""A checked ballot onto the board, outside the request's transaction, whatever the database.

On PostgreSQL, one call of the append procedure (`board.procedure`): the leaf is timed by
the request and built again if the board's last leaf is later. Otherwise — SQLite, a board
that kept moving, or another leaf of the credential since the look-up — under the board
lock, where the credential's leaves decide repeat / cast / re-vote / refused (paper vote).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from saylau.board import procedure, store
from saylau.board import services as board
from saylau.board.models import BoardState, Leaf, LeafKind
from saylau.elections.models import Election
from saylau.protocol import events
from saylau.voting import precincts
from saylau.voting.voter_checks import Latest

ONE_CALL_TRIES = 3  # calls of the append procedure before the locked way, on a board that busy

NewLeaf = tuple[store.Appended, str | None]  # the new leaf, and the ballot it replaces


@dataclass(frozen=True, slots=True)
class Append:
    """A checked ballot on its way to the board."""

    election: Election
    code: str
    credential: str
    blob: bytes  # its canonical JSON
    now: dt.datetime

    def leaf(self, state: BoardState, seen: Latest | None) -> store.BallotLeaf:
        """Its leaf on the board `state`: a re-vote of `seen`'s ballot, or a first cast."""
        return self.leaf_at(store.leaf_time(state, self.now), seen)

    def leaf_at(self, time_ms: int, seen: Latest | None) -> store.BallotLeaf:
        """Its leaf at `time_ms`: a re-vote of `seen`'s ballot, or a first cast."""
        replaces = seen[2] if seen is not None else None
        return store.BallotLeaf(
            events.ballot_leaf_bytes(self.blob, time_ms, replaces),
            LeafKind.REVOTE if replaces else LeafKind.CAST,
            time_ms,
            self.code,
            self.credential,
            replaces,
            latest=seen[0] if seen is not None else -1,
        )


def append_ballot(todo: Append, latest: Latest | None) -> Leaf | NewLeaf:
    """Append the ballot (`latest`: the credential's latest leaf the look-up saw); a Leaf
    if the same ballot came in meanwhile. No savepoint is needed under the lock: nothing is
    written before the checks that can refuse."""
    if procedure.appends_in_one_call() and not _paper(latest):
        appended = in_one_call(todo, latest)
        if not isinstance(appended, procedure.NotAppended):
            return appended
        if appended.why == "not_open":
            raise board.voting_not_open()
        if appended.why == "closed":
            raise board.voting_closed()
    if transaction.get_connection().in_atomic_block:
        return _locked(todo, latest)
    with transaction.atomic():
        return _locked(todo, latest)


def in_one_call(
    todo: Append, latest: Latest | None, first: procedure.FirstCast | None = None
) -> NewLeaf | procedure.NotAppended:
    """PostgreSQL: the append and its flush in one call (with `first`, the voter's checks
    too). NotAppended (its code says why; "time": the board kept moving): the caller
    decides."""
    time_ms = board.to_ms(todo.now)
    for _try in range(ONE_CALL_TRIES):
        leaf = todo.leaf_at(time_ms, latest)
        added = procedure.append_ballot(todo.election, leaf, first)
        if isinstance(added, store.Appended):
            return added, leaf.replaces
        if added.why != "time" or added.last_time is None:
            return added
        time_ms = added.last_time  # a later leaf came first
    return procedure.NotAppended("time", time_ms)


def _paper(latest: Latest | None) -> bool:
    return latest is not None and latest[1] == LeafKind.PAPER_OVERRIDE


def _locked(todo: Append, latest: Latest | None) -> Leaf | NewLeaf:
    """Under the board lock: append conditionally on `latest` still being the credential's
    latest leaf; only if another came in (a concurrent cast of the same voter) is the
    credential's history read again, under the lock, to decide."""
    election, credential = todo.election, todo.credential
    state = board.open_state(election)

    def append_after(seen: Latest | None) -> NewLeaf | None:
        leaf = todo.leaf(state, seen)
        added = store.append_if_latest(election, state, leaf)
        return None if added is None else (added, leaf.replaces)

    if not _paper(latest):
        appended = append_after(latest)
        if appended is not None:
            return appended
    history = board.credential_leaves(election, credential)  # the latest first
    if any(leaf_code == todo.code for _index, _kind, leaf_code in history):
        earlier = board.leaf_by_code(election, todo.code)
        if earlier is not None:
            return earlier
    now_latest = history[0] if history else None
    if _paper(now_latest):
        raise precincts.voted_on_paper(board.paper_vote_precinct(election, credential) or "")
    appended = append_after(now_latest)
    assert appended is not None  # read under the lock: it is the latest
    return appended
