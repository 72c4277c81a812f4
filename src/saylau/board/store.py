"""Appending to the board under its lock: one leaf, its complete subtrees, the new state.

Every append holds the election's `BoardState` row lock (`lock_state`) in the caller's
transaction, so leaf indexes are dense and ordered with several app servers writing; the
Merkle arithmetic is `protocol.merkle`'s. The PostgreSQL cast appends through the same
tables in one procedure call instead (`board.procedure`). Raw SQL: this runs on every cast,
and the ORM's query building cost more than the queries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import OperationalError, connection
from django.utils import timezone
from django.utils.translation import gettext as _

from saylau.board import sql
from saylau.board.errors import Busy
from saylau.board.keys import Owner, sign_head, to_ms
from saylau.board.models import BoardState, Head
from saylau.protocol import merkle
from saylau.protocol.board import TreeHead

HEAD_EVERY = 256  # a signed head is stored every HEAD_EVERY leaves


@dataclass(frozen=True, slots=True)
class Appended:
    index: int
    time: int
    leaf_hash: bytes
    root: bytes
    path: tuple[bytes, ...]  # the inclusion proof of this leaf in the tree it ends


@dataclass(frozen=True, slots=True)
class LeafRow:
    """A leaf to append: its exact bytes and the columns kept beside them."""

    data: bytes
    kind: str
    time: int
    tracking_code: str | None = None
    credential: str | None = None
    replaces: str | None = None


@dataclass(frozen=True, slots=True)
class BallotLeaf(LeafRow):
    """A ballot's leaf, to be appended only if its credential has no leaf after index
    `latest` (-1: none at all) — the latest leaf the caller saw when it built this one."""

    latest: int = field(kw_only=True)


_STATE_SQL = (
    "SELECT size, frontier, last_time, closed FROM voting_boardstate WHERE election_id = %s"
)
_LOCK_SQL = _STATE_SQL + " FOR UPDATE"
_LEAF_COLS = (
    'voting_leaf (election_id, "index", data, leaf_hash, root_hash, kind, "time",'
    " tracking_code, credential, replaces, created_at)"
)
_NODE_COLS = 'voting_node (election_id, level, "index", hash)'
_STATE_SET = "UPDATE voting_boardstate SET size = %s, frontier = %s, last_time = %s"
_GUARD = 'SELECT 1 FROM voting_leaf WHERE election_id = %s AND credential = %s AND "index" > %s'


def busy() -> Busy:
    return Busy(_("The ballot box is busy right now and nothing was stored. Please try again."))


def lock_state(election: Owner) -> BoardState | None:
    """The election's board state, locked until the transaction ends (None before opening).
    A wait longer than the connection's lock_timeout answers Busy (503), not a 500."""
    locking = bool(connection.features.has_select_for_update)
    try:
        with sql.cursor() as cursor:
            cursor.execute(_LOCK_SQL if locking else _STATE_SQL, [election.pk])
            row = cursor.fetchone()
    except OperationalError:
        raise busy() from None
    return None if row is None else _state_of(election, row)


def read_state(election: Owner) -> BoardState | None:
    """The election's board state now, unlocked (None before opening)."""
    with sql.cursor() as cursor:
        cursor.execute(_STATE_SQL, [election.pk])
        row = cursor.fetchone()
    return None if row is None else _state_of(election, row)


def _state_of(election: Owner, row: tuple[Any, ...]) -> BoardState:
    size, frontier, last_time, closed = row
    return BoardState(
        election_id=election.pk,
        size=size,
        frontier=bytes(frontier),
        last_time=last_time,
        closed=bool(closed),
    )


def leaf_time(state: BoardState, now: dt.datetime | None) -> int:
    """Leaf times never decrease, whichever app server's clock appends."""
    return max(to_ms(now), state.last_time)


def append_leaf(election: Owner, state: BoardState, leaf: LeafRow) -> Appended:
    """Append one leaf; `state` must have been locked by `lock_state` in this transaction."""
    added = _append(election, state, leaf, None)
    assert added is not None  # no guard, so always appended
    return added


def append_if_latest(election: Owner, state: BoardState, leaf: BallotLeaf) -> Appended | None:
    """Append a ballot's leaf under the lock if its credential has no leaf after
    `leaf.latest`; None — nothing written, `state` unchanged — if one came in between."""
    return _append(election, state, leaf, leaf.latest)


@dataclass(frozen=True, slots=True)
class _Rows:
    """What one append writes: the leaf, the complete subtrees, the new state."""

    appended: Appended
    packed: bytes  # the new frontier
    leaf_args: list[Any]
    node_args: list[Any]
    node_rows: str


def _rows(election: Owner, state: BoardState, leaf: LeafRow) -> _Rows:
    size = state.size
    frontier = merkle.split_frontier(bytes(state.frontier), size)
    leaf_hash = merkle.leaf_hash(leaf.data)
    new_frontier, nodes = merkle.append(frontier, size, leaf_hash)
    root = merkle.fold_subtree_roots(new_frontier)
    created = connection.ops.adapt_datetimefield_value(timezone.now())
    leaf_args = [election.pk, size, leaf.data, leaf_hash, root, str(leaf.kind), leaf.time]
    leaf_args += [leaf.tracking_code, leaf.credential, leaf.replaces, created]
    return _Rows(
        Appended(size, leaf.time, leaf_hash, root, tuple(reversed(frontier))),
        b"".join(new_frontier),
        leaf_args,
        [v for level, index, h in nodes for v in (election.pk, level, index, h)],
        ", ".join(["(%s, %s, %s, %s)"] * len(nodes)),
    )


def _append(
    election: Owner, state: BoardState, leaf: LeafRow, only_after: int | None
) -> Appended | None:
    """The append under the state row lock, in the caller's transaction; with
    `only_after`, only if the leaf's credential has no leaf after that index."""
    rows = _rows(election, state, leaf)
    guard = [election.pk, leaf.credential, only_after] if only_after is not None else None
    state_args = [state.size + 1, rows.packed, leaf.time, election.pk]
    with sql.cursor() as cursor:
        if connection.vendor == "postgresql":
            if not _write_in_one_statement(cursor, rows, guard, state_args):
                return None
        else:
            if guard is not None:
                cursor.execute(_GUARD + " LIMIT 1", guard)
                if cursor.fetchone() is not None:
                    return None
            values = ", ".join(["%s"] * len(rows.leaf_args))
            cursor.execute(f"INSERT INTO {_LEAF_COLS} VALUES ({values})", rows.leaf_args)  # noqa: S608
            cursor.execute(f"INSERT INTO {_NODE_COLS} VALUES {rows.node_rows}", rows.node_args)  # noqa: S608
            cursor.execute(_STATE_SET + " WHERE election_id = %s", state_args)
    added = rows.appended
    state.size, state.frontier, state.last_time = added.index + 1, rows.packed, added.time
    return head_if_due(election, added)


def _write_in_one_statement(
    cursor: sql.Cursor, rows: _Rows, guard: list[Any] | None, state_args: list[Any]
) -> bool:
    """PostgreSQL: the two INSERTs as data-modifying CTEs of the UPDATE, all conditional on
    the guard (one round trip, all or nothing; the snapshot is taken after the lock)."""
    go = f"NOT EXISTS ({_GUARD})" if guard else "TRUE"
    cursor.execute(
        f"WITH ok AS (SELECT {go} AS go),"  # noqa: S608 - SQL text from this module
        f" new_leaf AS (INSERT INTO {_LEAF_COLS} SELECT"
        " %s, %s, %s::bytea, %s::bytea, %s::bytea, %s, %s::bigint, %s, %s, %s,"
        " %s::timestamptz FROM ok WHERE ok.go),"
        f" new_nodes AS (INSERT INTO {_NODE_COLS}"
        f" SELECT v.* FROM ok, (VALUES {rows.node_rows}) AS v WHERE ok.go)"
        f" {_STATE_SET} WHERE election_id = %s AND (SELECT go FROM ok)",
        (guard or []) + rows.leaf_args + rows.node_args + state_args,
    )
    return cursor.rowcount == 1


def head_if_due(election: Owner, added: Appended) -> Appended:
    """Store the signed head of the tree `added` ends, every HEAD_EVERY leaves."""
    if (added.index + 1) % HEAD_EVERY == 0:
        store_head(election, sign_head(election, added.index + 1, added.time, added.root))
    return added


def store_head(election: Owner, head: TreeHead) -> None:
    Head.objects.get_or_create(
        election_id=election.pk,
        tree_size=head.tree_size,
        defaults={
            "timestamp": head.timestamp,
            "root_hash": head.root_hash,
            "signature": head.signature,
        },
    )
