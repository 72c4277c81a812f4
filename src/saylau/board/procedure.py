"""PostgreSQL: a ballot's append and its flush in one call of a procedure; durability.

`saylau_append_ballot` (voting migration 0003) locks the state row, checks the board is open,
the leaf's time not before the last one and the credential without a leaf after the one the
caller saw, and appends as `protocol.merkle` does (held to it byte for byte by
tests/voting/test_procedure_property.py). Outside a transaction it commits without waiting
for the WAL flush — the row is free at once — and waits for the flush outside the lock:
durable when it returns. `saylau_append_first_cast` (`voting.first_cast_procedure`) checks a
first cast's voter in the same call.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from django.db import OperationalError, connection
from django.utils import timezone
from django.utils.translation import gettext as _

from saylau.board import sql
from saylau.board.errors import Busy
from saylau.board.keys import Owner
from saylau.board.store import Appended, BallotLeaf, busy, head_if_due
from saylau.protocol import merkle

Refusal = Literal["not_open", "closed", "credential", "time", "voter"]


@dataclass(frozen=True, slots=True)
class NotAppended:
    """Why `append_ballot` wrote nothing (a code): "not_open", "closed", "credential" (the
    credential has a leaf after `leaf.latest`), "time" (the board's last leaf is later:
    build the leaf again with `last_time`), or, for a `FirstCast`, "voter"."""

    why: Refusal
    last_time: int | None


@dataclass(frozen=True, slots=True)
class FirstCast:
    """A first cast's voter, checked by the append's own call (the voter's checks of
    `voting.voter_checks` for the session whose token's digest is `session`, the leaf's
    credential and `district`, at `now`), in the election with fingerprint `fingerprint`."""

    session: str
    district: str
    fingerprint: str
    now: dt.datetime


_OUT = "NULL, NULL, NULL, NULL, NULL, NULL)"  # status, index, leaf hash, root, frontier, time
_APPEND_CALL = (
    "CALL saylau_append_ballot(%s, %s::bytea, %s, %s::bigint, %s, %s, %s, %s::bigint,"
    " %s::timestamptz, %s, " + _OUT
)
_FIRST_CAST_CALL = (
    "CALL saylau_append_first_cast(%s, %s, %s, %s, %s::timestamptz, %s, %s::bytea, %s::bigint,"
    " %s, %s, %s::timestamptz, %s, " + _OUT
)
_LOCK_NOT_AVAILABLE = "55P03"  # lock_timeout


def appends_in_one_call() -> bool:
    """Whether a ballot's append goes through `append_ballot`: on PostgreSQL."""
    return connection.vendor == "postgresql"


def _call(
    election: Owner, leaf: BallotLeaf, first: FirstCast | None, commit: bool
) -> tuple[str, list[object]]:
    created = connection.ops.adapt_datetimefield_value(timezone.now())
    if first is None:
        args: list[object] = [election.pk, leaf.data, str(leaf.kind), leaf.time]
        args += [leaf.tracking_code, leaf.credential, leaf.replaces, leaf.latest, created, commit]
        return _APPEND_CALL, args
    assert leaf.kind == "cast" and leaf.latest == -1 and leaf.replaces is None
    now = connection.ops.adapt_datetimefield_value(first.now)
    args = [first.session, election.slug, first.district, first.fingerprint, now, election.pk]
    args += [leaf.data, leaf.time, leaf.tracking_code, leaf.credential, created, commit]
    return _FIRST_CAST_CALL, args


def append_ballot(
    election: Owner, leaf: BallotLeaf, first: FirstCast | None = None
) -> Appended | NotAppended:
    """Append a ballot's leaf in one round trip (with `first`, after checking the voter).
    Inside the caller's transaction the procedure neither commits nor waits for a flush. A
    database lost during the call may have taken the leaf or not: Busy asking for the same
    ballot again (a repeat gets its receipt)."""
    commit = not connection.in_atomic_block
    statement, args = _call(election, leaf, first, commit)
    try:
        with sql.cursor() as cursor:
            cursor.execute(statement, args)
            status, index, leaf_hash, root, frontier, last_time = cursor.fetchone()
    except OperationalError as error:
        if getattr(error.__cause__, "sqlstate", None) == _LOCK_NOT_AVAILABLE or not commit:
            raise busy() from None  # the row stayed locked, or the caller's transaction fails
        raise Busy(_unconfirmed()) from None
    if status != "appended":
        return NotAppended(status, last_time)
    path = tuple(reversed(merkle.split_frontier(bytes(frontier), index)))
    added = Appended(index, leaf.time, bytes(leaf_hash), bytes(root), path)
    return head_if_due(election, added)


def _unconfirmed() -> str:
    return _(
        "The ballot box could not confirm that your ballot was stored. Please send the same"
        " ballot again: if it is on the board, you get its receipt; if not, it goes in now."
    )


# If WAL was inserted that is not on disk yet, write a transactional logical-decoding
# message (a few bytes of WAL, no table, no lock): its synchronous COMMIT waits until the WAL
# up to it — every commit this connection has seen — is flushed (one grouped fsync).
_DURABLE_SQL = (
    "SELECT CASE WHEN pg_current_wal_flush_lsn() < pg_current_wal_insert_lsn()"
    " THEN pg_logical_emit_message(true, 'saylau', 'durable') END"
)


def make_durable() -> None:
    """PostgreSQL: return once every commit this connection has seen is on disk. Whatever
    shows the board (a receipt, the board's pages and API) calls this after its last read
    and before its answer leaves, since appends commit without waiting for their flush.
    Inside a transaction, its COMMIT waits. A no-op on SQLite (every commit is synchronous)."""
    if connection.vendor != "postgresql":
        return
    with sql.cursor() as cursor:
        cursor.execute(_DURABLE_SQL)
        cursor.fetchone()
