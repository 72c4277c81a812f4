"""The bulletin board in the database: an append-only Merkle log per election (decision 0002).

Every append inserts the leaf (exact bytes, hash, the root after it) and the complete
subtrees it completes, and moves the `BoardState` row on — in the caller's transaction under
that row's lock (`lock_state`), or, for a cast on PostgreSQL, in one call of a procedure
that locks, appends, commits without waiting for its WAL flush and then waits for it
outside the lock (`append_ballot`, decisions 0011 and 0014; everything that shows the
board waits for the flush too, `make_durable`); a
signed head is stored every HEAD_EVERY leaves. The head of size n is a function of the
board: timestamp = time of leaf n-1, root = MTH(n), so the head in a receipt, a stored head
and the head the board page shows for that size are the same bytes (Ed25519 signatures are
deterministic).
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from django.db import OperationalError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from saylau.elections import services as elections
from saylau.elections.models import Election
from saylau.protocol import board as protocol_board
from saylau.protocol import events
from saylau.protocol.ballot import Ballot, ballot_from_json
from saylau.protocol.board import BoardKey, ConsistencyProof, InclusionProof, TreeHead
from saylau.protocol.canonical import canonical_json, strict_loads
from saylau.voting import merkle, sql
from saylau.voting.errors import BoardError, Busy, NotFound
from saylau.voting.models import BoardState, Head, Leaf, LeafKind, Node

HEAD_EVERY = 256


def to_ms(moment: dt.datetime | None = None) -> int:
    return int((moment or timezone.now()).timestamp() * 1000)


# --- the board key and the log id ----------------------------------------------------------


def _env_seed(election: Election) -> str:
    name = "SAYLAU_BOARD_SEED_" + "".join(ch if ch.isalnum() else "_" for ch in election.slug)
    return os.environ.get(name.upper(), "").strip()


@functools.lru_cache(maxsize=64)
def _key_from_seed(seed_hex: str) -> BoardKey:
    return BoardKey.from_seed(bytes.fromhex(seed_hex))


def board_key(election: Election) -> BoardKey:
    """The board's signing key: SAYLAU_BOARD_SEED_<SLUG> (hex) if set, else Election.board_seed."""
    seed = _env_seed(election) or election.board_seed
    if not seed:
        raise BoardError(_("The bulletin board of this election has no signing key yet."))
    return _key_from_seed(seed)


def ensure_board_key(election: Election) -> BoardKey:
    """Make the board key if the election has none, and record its public half."""
    if not (_env_seed(election) or election.board_seed):
        election.board_seed = secrets.token_bytes(32).hex()
    key = board_key(election)
    if election.board_public_key != key.public.hex():
        election.board_public_key = key.public.hex()
    Election.objects.filter(pk=election.pk).update(
        board_seed=election.board_seed, board_public_key=election.board_public_key
    )
    return key


def log_id(election: Election) -> bytes:
    """The log's id in signed heads: the election fingerprint."""
    return elections.election_context(election).fingerprint


def sign_head(election: Election, size: int, timestamp: int, root: bytes) -> TreeHead:
    return protocol_board.sign_tree_head(
        board_key(election), log_id(election), size, timestamp, root
    )


# --- appending --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Appended:
    index: int
    time: int
    leaf_hash: bytes
    root: bytes
    path: tuple[bytes, ...]  # the inclusion proof of this leaf in the tree it ends


def lock_state(election: Election) -> BoardState | None:
    """The election's board state, locked until the transaction ends (None before opening).

    A wait longer than SAYLAU_BOARD_LOCK_TIMEOUT_MS answers Busy (503), not a 500."""
    # The row lock that serialises appends across processes. Raw SQL: this runs on every
    # cast, and the ORM's query building cost more than the query. A wait longer than the
    # connection's lock_timeout (site.apps.set_lock_timeout) raises OperationalError.
    try:
        with sql.cursor() as cursor:
            cursor.execute(_LOCK_SQL if _for_update() else _STATE_SQL, [election.pk])
            row = cursor.fetchone()
    except OperationalError:
        raise _busy() from None
    return None if row is None else _state_of(election, row)


def _busy() -> Busy:
    return Busy(_("The ballot box is busy right now and nothing was stored. Please try again."))


def _state_of(election: Election, row: tuple[Any, ...]) -> BoardState:
    size, frontier, last_time, closed = row
    return BoardState(
        election=election,
        size=size,
        frontier=bytes(frontier),
        last_time=last_time,
        closed=bool(closed),
    )


_STATE_SQL = (
    "SELECT size, frontier, last_time, closed FROM voting_boardstate WHERE election_id = %s"
)
_LOCK_SQL = _STATE_SQL + " FOR UPDATE"


def _for_update() -> bool:
    return bool(connection.features.has_select_for_update)


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


def append_leaf(election: Election, state: BoardState, leaf: LeafRow) -> Appended:
    """Append one leaf; `state` must have been locked by `lock_state` in this transaction."""
    added = _append(election, state, leaf)
    assert added is not None  # no guard, so always appended
    return added


def append_if_latest(election: Election, state: BoardState, leaf: BallotLeaf) -> Appended | None:
    """Append a ballot's leaf under the lock (`lock_state`), if its credential has no leaf
    after `leaf.latest`: the caller read the credential's latest leaf before it took the lock
    and built the leaf from it. None — nothing written, `state` unchanged — if another leaf of
    the credential came in between; the caller then reads the history under the lock."""
    return _append(election, state, leaf, leaf.latest)


@dataclass(frozen=True, slots=True)
class _Rows:
    """What one append writes: the leaf, the complete subtrees, the new state."""

    appended: Appended
    packed: bytes  # the new frontier
    leaf_args: list[Any]
    node_args: list[Any]
    node_rows: str


_LEAF_COLS = (
    'voting_leaf (election_id, "index", data, leaf_hash, root_hash, kind, "time",'
    " tracking_code, credential, replaces, created_at)"
)
_NODE_COLS = 'voting_node (election_id, level, "index", hash)'
_STATE_SET = "UPDATE voting_boardstate SET size = %s, frontier = %s, last_time = %s"
_GUARD = 'SELECT 1 FROM voting_leaf WHERE election_id = %s AND credential = %s AND "index" > %s'
# "index" and "time" are quoted (keywords). Raw SQL: the ORM's query building cost more
# than the writes.


def _rows(election: Election, state: BoardState, leaf: LeafRow) -> _Rows:
    size = state.size
    frontier = merkle.split_frontier(bytes(state.frontier), size)
    leaf_hash = protocol_board.leaf_hash(leaf.data)
    new_frontier, nodes = merkle.append(frontier, size, leaf_hash)
    root = merkle.fold(new_frontier)
    leaf_args = [
        election.pk,
        size,
        leaf.data,
        leaf_hash,
        root,
        str(leaf.kind),
        leaf.time,
        leaf.tracking_code,
        leaf.credential,
        leaf.replaces,
        connection.ops.adapt_datetimefield_value(timezone.now()),
    ]
    return _Rows(
        Appended(size, leaf.time, leaf_hash, root, tuple(reversed(frontier))),
        b"".join(new_frontier),
        leaf_args,
        [v for level, index, h in nodes for v in (election.pk, level, index, h)],
        ", ".join(["(%s, %s, %s, %s)"] * len(nodes)),
    )


def _moved_on(election: Election, state: BoardState, rows: _Rows) -> Appended:
    """`state` after the append; a signed head stored every HEAD_EVERY leaves."""
    added = rows.appended
    state.size, state.frontier, state.last_time = added.index + 1, rows.packed, added.time
    return _head_if_due(election, added)


def _head_if_due(election: Election, added: Appended) -> Appended:
    """Store the signed head of the tree `added` ends, every HEAD_EVERY leaves."""
    if (added.index + 1) % HEAD_EVERY == 0:
        store_head(election, sign_head(election, added.index + 1, added.time, added.root))
    return added


def _append(
    election: Election, state: BoardState, leaf: LeafRow, only_after: int | None = None
) -> Appended | None:
    """The append under the state row lock (`lock_state`), in the caller's transaction;
    with `only_after`, only if the leaf's credential has no leaf after that index."""
    rows = _rows(election, state, leaf)
    guard = [election.pk, leaf.credential, only_after] if only_after is not None else None
    state_args = [state.size + 1, rows.packed, leaf.time, election.pk]
    with sql.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One round trip: the two INSERTs as data-modifying CTEs of the UPDATE, all three
            # conditional on the guard when there is one. PostgreSQL runs every
            # data-modifying CTE to completion, in the same statement (all or none); the
            # statement's snapshot is taken after the lock, so it sees every leaf committed
            # before it.
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
            if cursor.rowcount != 1:
                return None
        else:
            if guard is not None:
                cursor.execute(_GUARD + " LIMIT 1", guard)
                if cursor.fetchone() is not None:
                    return None
            values = ", ".join(["%s"] * len(rows.leaf_args))
            cursor.execute(f"INSERT INTO {_LEAF_COLS} VALUES ({values})", rows.leaf_args)  # noqa: S608
            cursor.execute(
                f"INSERT INTO {_NODE_COLS} VALUES {rows.node_rows}",  # noqa: S608
                rows.node_args,
            )
            cursor.execute(_STATE_SET + " WHERE election_id = %s", state_args)
    return _moved_on(election, state, rows)


def appends_in_one_call() -> bool:
    """Whether a ballot's append goes through `append_ballot` (one call that locks, appends
    and flushes) rather than `lock_state` + `append_if_latest`: on PostgreSQL."""
    return connection.vendor == "postgresql"


def read_state(election: Election) -> BoardState | None:
    """The election's board state now, unlocked (None before opening)."""
    with sql.cursor() as cursor:
        cursor.execute(_STATE_SQL, [election.pk])
        row = cursor.fetchone()
    return None if row is None else _state_of(election, row)


Refusal = Literal["not_open", "closed", "credential", "time", "voter"]


@dataclass(frozen=True, slots=True)
class NotAppended:
    """Why `append_ballot` wrote nothing: "not_open", "closed", "credential" (the credential
    has a leaf after `leaf.latest`), "time" (the board's last leaf is later than the
    leaf's time: build the leaf again with `last_time`), or, for a `FirstCast`, "voter" (one
    of its checks failed)."""

    why: Refusal
    last_time: int | None


# The procedure is made by migration voting 0003 (decision 0014). The OUT values come back as
# one row: status, index, leaf hash, root, the old frontier, the board's last time.
_APPEND_CALL = (
    "CALL saylau_append_ballot(%s, %s::bytea, %s, %s::bigint, %s, %s, %s, %s::bigint,"
    " %s::timestamptz, %s, NULL, NULL, NULL, NULL, NULL, NULL)"
)
# A first cast's call (migration voting 0004, decision 0015): the voter's checks, then the
# same append, with the same OUT values.
_FIRST_CAST_CALL = (
    "CALL saylau_append_first_cast(%s, %s, %s, %s::timestamptz, %s, %s::bytea, %s::bigint, %s,"
    " %s, %s::timestamptz, %s, NULL, NULL, NULL, NULL, NULL, NULL)"
)
_LOCK_NOT_AVAILABLE = "55P03"  # lock_timeout


@dataclass(frozen=True, slots=True)
class FirstCast:
    """What the database checks of a first cast's voter in the append's own call, instead
    of the cast's look-up before it (decision 0015): `session` (a token's digest) names a
    live session of the election at `now`, whose member holds the leaf's credential in
    `district`; the election is open at `now` and its fingerprint is `fingerprint` (the
    ceremony the ballot was verified against); the credential has no leaf yet."""

    session: str
    district: str
    fingerprint: str
    now: dt.datetime


def append_ballot(
    election: Election, leaf: BallotLeaf, first: FirstCast | None = None
) -> Appended | NotAppended:
    """PostgreSQL (decision 0014): append a ballot's leaf in one round trip — a procedure
    locks the board's state row, checks that the board is open, that `leaf.time` is not
    before its last leaf and that the credential has no leaf after `leaf.latest`, and writes
    the leaf, its complete subtrees and the state (the Merkle arithmetic of
    `merkle.append`).

    Outside a transaction (the cast's case, decision 0010) the procedure then commits
    without waiting for the WAL flush — the state row is free at once — and waits for that
    flush before it returns, outside the lock (decision 0011): durable when this returns.
    Inside the caller's transaction it does neither: that transaction's COMMIT is as durable
    as the caller makes it. A database lost during the call may have taken the leaf or not:
    Busy asking for the same ballot again (a repeat gets its receipt).

    With `first` (a first cast: `leaf` a cast expecting no earlier leaf) the same call first
    checks the voter as `FirstCast` says, and refuses as "voter" if any check fails."""
    commit = not connection.in_atomic_block
    adapt = connection.ops.adapt_datetimefield_value
    if first is None:
        statement = _APPEND_CALL
        args = [
            election.pk,
            leaf.data,
            str(leaf.kind),
            leaf.time,
            leaf.tracking_code,
            leaf.credential,
            leaf.replaces,
            leaf.latest,
            adapt(timezone.now()),
            commit,
        ]
    else:
        assert leaf.kind == "cast" and leaf.latest == -1 and leaf.replaces is None
        statement = _FIRST_CAST_CALL
        args = [
            first.session,
            first.district,
            first.fingerprint,
            adapt(first.now),
            election.pk,
            leaf.data,
            leaf.time,
            leaf.tracking_code,
            leaf.credential,
            adapt(timezone.now()),
            commit,
        ]
    try:
        with sql.cursor() as cursor:
            cursor.execute(statement, args)
            status, index, leaf_hash, root, frontier, last_time = cursor.fetchone()
    except OperationalError as error:
        if getattr(error.__cause__, "sqlstate", None) == _LOCK_NOT_AVAILABLE or not commit:
            raise _busy() from None  # the row stayed locked, or the caller's transaction fails
        raise Busy(_unconfirmed()) from None
    if status != "appended":
        return NotAppended(status, last_time)
    added = Appended(
        index,
        leaf.time,
        bytes(leaf_hash),
        bytes(root),
        tuple(reversed(merkle.split_frontier(bytes(frontier), index))),
    )
    return _head_if_due(election, added)


def _unconfirmed() -> str:
    return _(
        "The ballot box could not confirm that your ballot was stored. Please send the same"
        " ballot again: if it is on the board, you get its receipt; if not, it goes in now."
    )


# --- durability: no answer shows what a crash could still take back ----------------------

# If WAL was inserted that is not on disk yet, write a transactional logical-decoding
# message (a few bytes of WAL, no table, no lock): its COMMIT is synchronous and so waits
# until the WAL up to it — every commit this connection has seen — is flushed. Concurrent
# flushes are one fsync (PostgreSQL's group commit).
_DURABLE_SQL = (
    "SELECT CASE WHEN pg_current_wal_flush_lsn() < pg_current_wal_insert_lsn()"
    " THEN pg_logical_emit_message(true, 'saylau', 'durable') END"
)


def make_durable() -> None:
    """PostgreSQL: return once every commit this connection has seen is on disk — the
    board's appends commit without waiting for their flush (`append_ballot`), so whatever
    shows the board (a receipt, the board's pages and API) calls this after its
    last read and before its answer leaves (decision 0011). Outside a transaction it waits
    here; inside one, the transaction's COMMIT waits. Needs PostgreSQL's default
    `synchronous_commit` (on, or stronger) for the connection. A no-op elsewhere (SQLite
    commits every write synchronously)."""
    if connection.vendor != "postgresql":
        return
    with sql.cursor() as cursor:
        cursor.execute(_DURABLE_SQL)
        cursor.fetchone()


def store_head(election: Election, head: TreeHead) -> None:
    Head.objects.get_or_create(
        election=election,
        tree_size=head.tree_size,
        defaults={
            "timestamp": head.timestamp,
            "root_hash": head.root_hash,
            "signature": head.signature,
        },
    )


def leaf_time(state: BoardState, now: dt.datetime | None) -> int:
    """Leaf times never decrease, whichever app server's clock appends."""
    return max(to_ms(now), state.last_time)


@transaction.atomic
def open_board(election: Election, *, now: dt.datetime | None = None) -> TreeHead:
    """Start the board with its `open` leaf (leaf 0). Call it in the open transition's
    transaction, once the joint key (hence the fingerprint) is fixed."""
    fingerprint = log_id(election)
    ensure_board_key(election)
    BoardState.objects.get_or_create(election=election)
    state = lock_state(election)
    if state is None or state.size:
        raise BoardError(_("The bulletin board of this election is already open."))
    time_ms = leaf_time(state, now)
    data = events.leaf_bytes(events.open_event(fingerprint, time_ms))
    added = append_leaf(election, state, LeafRow(data, LeafKind.OPEN, time_ms))
    return sign_head(election, added.index + 1, added.time, added.root)


@transaction.atomic
def close_board(election: Election, *, now: dt.datetime | None = None) -> TreeHead:
    """Append the `close` leaf and store the final signed head (the record's last head)."""
    state = lock_state(election)
    if state is None or not state.size:
        raise BoardError(_("The bulletin board of this election was never opened."))
    if state.closed:
        raise BoardError(_("The bulletin board of this election is already closed."))
    time_ms = leaf_time(state, now)
    data = events.leaf_bytes(events.close_event(time_ms))
    added = append_leaf(election, state, LeafRow(data, LeafKind.CLOSE, time_ms))
    state.closed = True
    state.save(update_fields=["closed"])
    head = sign_head(election, added.index + 1, added.time, added.root)
    store_head(election, head)
    return head


# --- reading ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BoardInfo:
    size: int
    closed: bool
    head: TreeHead | None


def info(election: Election) -> BoardInfo:
    """The board's size and its signed head now (None before the open leaf)."""
    state = BoardState.objects.filter(election=election).first()
    if state is None or not state.size:
        return BoardInfo(0, False, None)
    frontier = merkle.split_frontier(bytes(state.frontier), state.size)
    head = sign_head(election, state.size, state.last_time, merkle.fold(frontier))
    return BoardInfo(state.size, state.closed, head)


def head_at(election: Election, size: int) -> TreeHead:
    """The signed head of the tree of `size` leaves (1 ≤ size ≤ the board's size)."""
    row = Leaf.objects.filter(election=election, index=size - 1).values_list("time", "root_hash")
    found = row.first() if size >= 1 else None
    if found is None:
        raise NotFound(_("The board has no tree of this size."))
    return sign_head(election, size, found[0], bytes(found[1]))


def _nodes(election: Election, wanted: set[merkle.Position]) -> dict[merkle.Position, bytes]:
    if not wanted:
        return {}
    by_level: dict[int, list[int]] = {}
    for level, index in wanted:
        by_level.setdefault(level, []).append(index)
    condition = Q()
    for level, indexes in by_level.items():
        condition |= Q(level=level, index__in=indexes)
    rows = Node.objects.filter(election=election).filter(condition)
    return {(lv, ix): bytes(h) for lv, ix, h in rows.values_list("level", "index", "hash")}


def inclusion_proof(election: Election, index: int, size: int) -> InclusionProof:
    plan = merkle.inclusion_plan(index, size)
    path = merkle.resolve(plan, _nodes(election, merkle.positions(plan)))
    return InclusionProof(index, size, tuple(path))


def consistency_proof(election: Election, old_size: int, new_size: int) -> ConsistencyProof:
    plan = merkle.consistency_plan(old_size, new_size)
    path = merkle.resolve(plan, _nodes(election, merkle.positions(plan)))
    return ConsistencyProof(old_size, new_size, tuple(path))


def leaf_by_code(election: Election, tracking_code: str) -> Leaf | None:
    # At most one row (a unique index), so no ORDER BY (the model's default ordering would
    # add one, and with it the (election, index) index for the planner to weigh).
    rows = Leaf.objects.filter(election=election, tracking_code=tracking_code).order_by()[:1]
    return next(iter(rows), None)


def credential_leaves(election: Election, credential: str) -> list[tuple[int, str, str | None]]:
    """(index, kind, tracking code) of every leaf naming the credential, the latest first:
    its ballots, re-votes and paper override (a handful at most)."""
    # Raw SQL: on every cast, under the board lock (the voting_leaf_cred index answers it).
    with connection.cursor() as cursor:
        cursor.execute(
            'SELECT "index", kind, tracking_code FROM voting_leaf'
            ' WHERE election_id = %s AND credential = %s ORDER BY "index" DESC',
            [election.pk, credential],
        )
        return [(int(index), kind, code) for index, kind, code in cursor.fetchall()]


def has_tracking_code(election: Election, tracking_code: str) -> bool:
    """Is a ballot with this tracking code on the board? (Raw SQL: asked on every cast.)"""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM voting_leaf WHERE election_id = %s AND tracking_code = %s",
            [election.pk, tracking_code],
        )
        return cursor.fetchone() is not None


def leaves(election: Election, start: int, limit: int) -> list[Leaf]:
    return list(Leaf.objects.filter(election=election, index__gte=start).order_by("index")[:limit])


def leaf_lines(election: Election, start: int, limit: int) -> Iterator[bytes]:
    """Leaves start … start+limit-1 (fewer at the end of the board), each one's exact bytes
    followed by a newline: a page of the record's board/leaves.jsonl."""
    rows = (
        Leaf.objects.filter(election=election, index__gte=start, index__lt=start + limit)
        .order_by("index")
        .values_list("data", flat=True)
    )
    for data in rows.iterator(chunk_size=500):
        yield bytes(data) + b"\n"


def board_leaves(election: Election) -> Iterator[bytes]:
    """Every leaf's exact bytes in order (the record's board/leaves.jsonl)."""
    rows = Leaf.objects.filter(election=election).order_by("index").values_list("data", flat=True)
    for data in rows.iterator(chunk_size=2000):
        yield bytes(data)


def board_heads(election: Election) -> Iterator[TreeHead]:
    """The stored signed heads in order (the record's board/heads.jsonl); the last one, stored
    by close_board, covers every leaf."""
    rows = Head.objects.filter(election=election).order_by("tree_size")
    for h in rows.iterator(chunk_size=2000):
        yield TreeHead(h.tree_size, h.timestamp, bytes(h.root_hash), bytes(h.signature))


def board_public_key(election: Election) -> bytes:
    return board_key(election).public


# --- the re-vote rule -------------------------------------------------------------------


def board_rules(election: Election) -> events.BoardRules:
    """Apply protocol.events.BoardRules to the board's leaves, from the stored columns."""
    fingerprint_hex = log_id(election).hex()
    rules = events.BoardRules(fingerprint_hex)
    rows = (
        Leaf.objects.filter(election=election)
        .order_by("index")
        .values_list("index", "kind", "time", "credential", "tracking_code", "replaces")
    )
    for index, kind, time_ms, credential, code, replaces in rows.iterator(chunk_size=5000):
        rules.apply(
            events.LeafSummary(
                index=index,
                type=kind,
                time=time_ms,
                credential=credential,
                tracking_code=code,
                replaces=replaces,
                election=fingerprint_hex if kind == LeafKind.OPEN else None,
            )
        )
    return rules


def _ballot_of(data: bytes) -> dict[str, Any]:
    raw = strict_loads(data)["ballot"]
    if not isinstance(raw, dict):
        raise BoardError(_("A ballot leaf of the board is damaged."))
    return raw


def counted_ballot_json(election: Election, chunk: int = 500) -> Iterator[bytes]:
    """The canonical JSON of every ballot that counts (the last per credential, none for a
    credential with a paper override), in board order."""
    counted = sorted(board_rules(election).counted().values())
    for i in range(0, len(counted), chunk):
        rows = (
            Leaf.objects.filter(election=election, index__in=counted[i : i + chunk])
            .order_by("index")
            .values_list("data", flat=True)
        )
        for data in rows:
            yield canonical_json(_ballot_of(bytes(data)))


def counted_ballots(election: Election) -> Iterator[Ballot]:
    """The parsed ballots that count (see counted_ballot_json); each was verified at cast."""
    for blob in counted_ballot_json(election):
        yield ballot_from_json(strict_loads(blob))
