"""Reading the board: its head, proofs from the stored subtrees, leaves, the record's files."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.db import connection
from django.db.models import Q
from django.utils.translation import gettext as _

from saylau.board.errors import NotFound
from saylau.board.keys import Owner, sign_head
from saylau.board.models import BoardState, Head, Leaf, Node
from saylau.protocol import merkle
from saylau.protocol.board import ConsistencyProof, InclusionProof, TreeHead


@dataclass(frozen=True, slots=True)
class BoardInfo:
    size: int
    closed: bool
    head: TreeHead | None


def info(election: Owner) -> BoardInfo:
    """The board's size and its signed head now (None before the open leaf)."""
    state = BoardState.objects.filter(election_id=election.pk).first()
    if state is None or not state.size:
        return BoardInfo(0, False, None)
    frontier = merkle.split_frontier(bytes(state.frontier), state.size)
    root = merkle.fold_subtree_roots(frontier)
    head = sign_head(election, state.size, state.last_time, root)
    return BoardInfo(state.size, state.closed, head)


def head_at(election: Owner, size: int) -> TreeHead:
    """The signed head of the tree of `size` leaves (1 ≤ size ≤ the board's size)."""
    row = Leaf.objects.filter(election_id=election.pk, index=size - 1)
    found = row.values_list("time", "root_hash").first() if size >= 1 else None
    if found is None:
        raise NotFound(_("The board has no tree of this size."))
    return sign_head(election, size, found[0], bytes(found[1]))


def _nodes(election: Owner, wanted: set[merkle.Position]) -> dict[merkle.Position, bytes]:
    if not wanted:
        return {}
    by_level: dict[int, list[int]] = {}
    for level, index in wanted:
        by_level.setdefault(level, []).append(index)
    condition = Q()
    for level, indexes in by_level.items():
        condition |= Q(level=level, index__in=indexes)
    rows = Node.objects.filter(election_id=election.pk).filter(condition)
    return {(lv, ix): bytes(h) for lv, ix, h in rows.values_list("level", "index", "hash")}


def inclusion_proof(election: Owner, index: int, size: int) -> InclusionProof:
    plan = merkle.inclusion_plan(index, size)
    path = merkle.resolve(plan, _nodes(election, merkle.positions(plan)))
    return InclusionProof(index, size, tuple(path))


def consistency_proof(election: Owner, old_size: int, new_size: int) -> ConsistencyProof:
    plan = merkle.consistency_plan(old_size, new_size)
    path = merkle.resolve(plan, _nodes(election, merkle.positions(plan)))
    return ConsistencyProof(old_size, new_size, tuple(path))


def leaf_by_code(election: Owner, tracking_code: str) -> Leaf | None:
    # At most one row (a unique index): no ORDER BY for the planner to weigh.
    rows = Leaf.objects.filter(election_id=election.pk, tracking_code=tracking_code).order_by()
    return next(iter(rows[:1]), None)


def credential_leaves(election: Owner, credential: str) -> list[tuple[int, str, str | None]]:
    """(index, kind, tracking code) of every leaf naming the credential, the latest first:
    its ballots, re-votes and paper override (a handful at most). Raw SQL: under the lock."""
    with connection.cursor() as cursor:
        cursor.execute(
            'SELECT "index", kind, tracking_code FROM voting_leaf'
            ' WHERE election_id = %s AND credential = %s ORDER BY "index" DESC',
            [election.pk, credential],
        )
        return [(int(index), kind, code) for index, kind, code in cursor.fetchall()]


def has_tracking_code(election: Owner, tracking_code: str) -> bool:
    """Is a ballot with this tracking code on the board?"""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM voting_leaf WHERE election_id = %s AND tracking_code = %s",
            [election.pk, tracking_code],
        )
        return cursor.fetchone() is not None


def leaves(election: Owner, start: int, limit: int) -> list[Leaf]:
    rows = Leaf.objects.filter(election_id=election.pk, index__gte=start).order_by("index")
    return list(rows[:limit])


def leaf_lines(election: Owner, start: int, limit: int) -> Iterator[bytes]:
    """Leaves start … start+limit-1 (fewer at the end), each one's exact bytes and a newline:
    a page of the record's board/leaves.jsonl."""
    rows = (
        Leaf.objects.filter(election_id=election.pk, index__gte=start, index__lt=start + limit)
        .order_by("index")
        .values_list("data", flat=True)
    )
    for data in rows.iterator(chunk_size=500):
        yield bytes(data) + b"\n"


def board_leaves(election: Owner) -> Iterator[bytes]:
    """Every leaf's exact bytes in order (the record's board/leaves.jsonl)."""
    rows = Leaf.objects.filter(election_id=election.pk).order_by("index")
    for data in rows.values_list("data", flat=True).iterator(chunk_size=2000):
        yield bytes(data)


def board_heads(election: Owner) -> Iterator[TreeHead]:
    """The stored signed heads in order (board/heads.jsonl); the last, stored at the close,
    covers every leaf."""
    rows = Head.objects.filter(election_id=election.pk).order_by("tree_size")
    for h in rows.iterator(chunk_size=2000):
        yield TreeHead(h.tree_size, h.timestamp, bytes(h.root_hash), bytes(h.signature))
