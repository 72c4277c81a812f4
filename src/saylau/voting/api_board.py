"""Voting API, the public board (a router `voting.api` mounts, under /api/voting/): the signed head,
leaves, leaves in bulk as JSON Lines, look-up by tracking code with an inclusion proof,
consistency proofs, the stored heads. Each answer waits until what it shows is durable.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, StreamingHttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from saylau.board import services as board
from saylau.elections import services as elections
from saylau.elections.models import Election
from saylau.protocol import board as protocol_board
from saylau.voting import public
from saylau.voting.errors import BoardError, NotFound

router = Router(tags=["voting"])

MAX_LEAVES = 500
MAX_LEAF_LINES = 10_000
JSONL = "application/jsonl"


class HeadOut(Schema):
    tree_size: int
    timestamp: int
    root_hash: str
    signature: str


class BoardOut(Schema):
    election: str
    log_id: str
    board_public_key: str
    size: int
    closed: bool
    tree_head: HeadOut | None


class LeafOut(Schema):
    index: int
    kind: str
    time: int
    tracking_code: str | None
    replaces: str | None
    leaf_hash: str
    data: str


class LeavesOut(Schema):
    size: int
    start: int
    leaves: list[LeafOut]


class BallotOut(Schema):
    leaf: LeafOut
    tree_head: HeadOut
    inclusion_proof: dict[str, Any]
    replaced_by: str | None


class ConsistencyOut(Schema):
    old_size: int
    new_size: int
    path: list[str]
    old_head: HeadOut | None
    new_head: HeadOut


class LeavesQuery(Schema):
    start: int | None = Field(None, ge=0)
    limit: int = Field(50, ge=1, le=MAX_LEAVES)


class LeafLinesQuery(Schema):
    start: int = Field(0, ge=0)
    limit: int = Field(MAX_LEAF_LINES, ge=1, le=MAX_LEAF_LINES)


class ConsistencyQuery(Schema):
    old: int = Field(..., ge=1)
    new: int | None = Field(None, ge=1)


def _election(slug: str) -> Election:
    return elections.get_election(slug)


def _head(head: protocol_board.TreeHead) -> dict[str, Any]:
    return protocol_board.tree_head_to_json(head)


def _leaf(leaf: Any) -> dict[str, Any]:
    return {
        "index": leaf.index,
        "kind": leaf.kind,
        "time": leaf.time,
        "tracking_code": leaf.tracking_code,
        "replaces": leaf.replaces,
        "leaf_hash": bytes(leaf.leaf_hash).hex(),
        "data": bytes(leaf.data).decode("utf-8"),
    }


@router.get("/{slug}/board", response=BoardOut, summary="The board's signed tree head now")
def board_head(request: HttpRequest, slug: str) -> Any:
    election = _election(slug)
    state = board.info(election)
    board.make_durable()  # what this shows is on disk (decision 0011)
    return {
        "election": election.slug,
        "log_id": board.log_id(election).hex() if state.head else election.fingerprint,
        "board_public_key": election.board_public_key,
        "size": state.size,
        "closed": state.closed,
        "tree_head": _head(state.head) if state.head else None,
    }


@router.get("/{slug}/board/heads", response=list[HeadOut], summary="The stored signed heads")
def board_heads(request: HttpRequest, slug: str) -> Any:
    return [_head(h) for h in board.board_heads(_election(slug))]


@router.get(
    "/{slug}/board/leaves",
    response=LeavesOut,
    summary="Leaves of the board (default: the latest)",
    description=("`data` is the leaf's exact text: its leaf hash is SHA-256(0x00 || UTF-8(data))."),
)
def board_leaves(request: HttpRequest, slug: str, query: Query[LeavesQuery]) -> Any:
    election = _election(slug)
    size = board.info(election).size
    start = query.start if query.start is not None else max(0, size - query.limit)
    limit = max(0, min(query.limit, size - start))  # leaves appended after the size: not yet
    found = [_leaf(leaf) for leaf in board.leaves(election, start, limit)]
    board.make_durable()
    return {"size": size, "start": start, "leaves": found}


@router.get(
    "/{slug}/board/leaves.jsonl",
    summary="Leaves of the board in bulk, as JSON Lines (one page)",
    description=(
        "Leaves `start` … `start + limit - 1` (fewer at the end of the board; none past it), "
        "each leaf's exact bytes followed by a newline: a page of the record's "
        "board/leaves.jsonl. Leaf i's hash is SHA-256(0x00 || line i without its newline). "
        "For downloading the whole board (trustees check it before decrypting; observers): "
        "ask for pages until the signed head's tree size is reached."
    ),
    openapi_extra={
        "responses": {
            200: {
                "description": "The leaves, one per line.",
                "content": {JSONL: {"schema": {"type": "string"}}},
            }
        }
    },
)
def board_leaf_lines(request: HttpRequest, slug: str, query: Query[LeafLinesQuery]) -> Any:
    election = _election(slug)
    # The lines are read while the answer streams: only leaves below the size read here,
    # made durable before the first line leaves.
    state = board.read_state(election)
    board.make_durable()
    limit = max(0, min(query.limit, (state.size if state else 0) - query.start))
    return StreamingHttpResponse(board.leaf_lines(election, query.start, limit), content_type=JSONL)


@router.get(
    "/{slug}/board/ballots/{code}",
    response=BallotOut,
    summary="Find a ballot by its tracking code, with its inclusion proof in the head now",
)
def board_ballot(request: HttpRequest, slug: str, code: str) -> Any:
    election = _election(slug)
    code = code.lower()
    leaf = board.leaf_by_code(election, code) if len(code) == 64 else None
    if leaf is None:
        raise NotFound(_("No ballot with this tracking code is on the board."))
    head = board.info(election).head
    if head is None:  # cannot happen with a leaf on the board
        raise NotFound(_("No ballot with this tracking code is on the board."))
    proof = board.inclusion_proof(election, leaf.index, head.tree_size)
    replaced_by = public.replaced_by(election, code)
    board.make_durable()
    return {
        "leaf": _leaf(leaf),
        "tree_head": _head(head),
        "inclusion_proof": protocol_board.inclusion_proof_to_json(proof),
        "replaced_by": replaced_by,
    }


@router.get(
    "/{slug}/board/consistency",
    response=ConsistencyOut,
    summary="A consistency proof between two tree sizes (default: to the head now)",
)
def board_consistency(request: HttpRequest, slug: str, query: Query[ConsistencyQuery]) -> Any:
    election = _election(slug)
    size = board.info(election).size
    new = query.new if query.new is not None else size
    if not 1 <= query.old <= new <= size:
        raise BoardError(
            _("Tree sizes must satisfy 1 ≤ old ≤ new ≤ %(size)d.") % {"size": size},
            code="board.sizes",
        )
    proof = board.consistency_proof(election, query.old, new)
    old_head, new_head = board.head_at(election, query.old), board.head_at(election, new)
    board.make_durable()
    return {
        "old_size": proof.old_size,
        "new_size": proof.new_size,
        "path": [h.hex() for h in proof.path],
        "old_head": _head(old_head),
        "new_head": _head(new_head),
    }
