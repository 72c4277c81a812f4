"""Voting API: sign-in, the cast, and the public board (mounted at /api/voting/).

Voters: POST sign-in → POST sign-in/verify → `Authorization: Bearer <token>` → POST ballots.
Everyone: the election's public parameters, the board (signed head, leaves, leaves in bulk
as JSON Lines, look-up by tracking code with an inclusion proof, consistency proofs, stored
heads), the public credential list, per-district counts, results once tallied, the record
once published. Organisers: network clusters.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, django_auth

from saylau.elections import services as elections
from saylau.elections.models import Election
from saylau.protocol import board as protocol_board
from saylau.protocol.receipt import receipt_to_json
from saylau.site.bearer import bearer_token
from saylau.site.non_atomic import mark_request, non_atomic
from saylau.site.proxy import client_ip
from saylau.voting import board, cast, network, public, signin
from saylau.voting.errors import BoardError, NotFound, TooLarge

router = Router(tags=["voting"])

TRACKING_CODE = r"^[0-9a-f]{64}$"
MAX_LEAVES = 500
MAX_LEAF_LINES = 10_000
JSONL = "application/jsonl"


class VoterToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> str | None:
        return token or None


voter = VoterToken()


# --- schemas ----------------------------------------------------------------------------


class ElectionOut(Schema):
    slug: str
    title: str
    status: str
    opens_at: dt.datetime | None
    closes_at: dt.datetime | None
    ip_policy: str
    manifest: dict[str, Any]
    joint_public_key: str
    fingerprint: str
    board_public_key: str


class SignInIn(Schema):
    iin: str = Field(..., max_length=32)
    phone: str = Field(..., max_length=32)


class ChallengeOut(Schema):
    challenge: str
    expires_in: int
    resend_after: int
    message: str


class VerifyIn(Schema):
    challenge: str = Field(..., max_length=64)
    code: str = Field(..., max_length=16)


class SessionOut(Schema):
    token: str
    token_type: str = "Bearer"  # noqa: S105 - the scheme, not a secret
    expires_at: dt.datetime


class MeOut(Schema):
    district: str | None
    credential: str | None
    latest_tracking_code: str | None
    latest_leaf_index: int | None


class CastOut(Schema):
    receipt: dict[str, Any]
    leaf_index: int
    kind: str
    time: int
    replaces: str | None
    repeat: bool


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


class DistrictCountsOut(Schema):
    code: str
    name: str
    roll: int | None
    credentials: int


class CountsOut(Schema):
    election: str
    roll_closed: bool
    districts: list[DistrictCountsOut]
    board_size: int


class ClusterOut(Schema):
    network: str
    members: int
    sign_ins: int
    first: dt.datetime
    last: dt.datetime


class LeavesQuery(Schema):
    start: int | None = Field(None, ge=0)
    limit: int = Field(50, ge=1, le=MAX_LEAVES)


class LeafLinesQuery(Schema):
    start: int = Field(0, ge=0)
    limit: int = Field(MAX_LEAF_LINES, ge=1, le=MAX_LEAF_LINES)


class CredentialsOut(Schema):
    schema_: str = Field(..., alias="schema")
    districts: dict[str, list[str]]


class ConsistencyQuery(Schema):
    old: int = Field(..., ge=1)
    new: int | None = Field(None, ge=1)


# --- helpers ----------------------------------------------------------------------------


def _election(slug: str) -> Election:
    return elections.get_election(slug)


def _voter_election(slug: str) -> Election:
    """For sign-in and the cast, which never read the manifest: leave it in the database."""
    return elections.get_election(slug, manifest=False)


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


def _cast_out(result: cast.CastResult) -> dict[str, Any]:
    return {
        "receipt": receipt_to_json(result.receipt),
        "leaf_index": result.leaf_index,
        "kind": result.kind,
        "time": result.time,
        "replaces": result.replaces,
        "repeat": result.repeat,
    }


# --- the election, sign-in, the cast ----------------------------------------------------


@router.get("/{slug}", response=ElectionOut, summary="An election's public parameters")
def election_info(request: HttpRequest, slug: str) -> Any:
    return public.election_parameters(_election(slug), request.LANGUAGE_CODE)


@router.post(
    "/{slug}/sign-in",
    response={202: ChallengeOut},
    summary="Ask for a one-time code by SMS",
    description=(
        "The answer is the same whether or not the IIN and phone match the roll (or the IIN "
        "is locked out): a challenge id, and a code by SMS only if they match. 429 with "
        "Retry-After when codes are asked too often; 403 when the election's IP policy "
        "refuses another voter from this network address."
    ),
)
def sign_in(request: HttpRequest, slug: str, payload: SignInIn) -> Any:
    issued = signin.request_code(
        _voter_election(slug), payload.iin, payload.phone, client_ip(request)
    )
    return Status(
        202,
        {
            "challenge": issued.challenge,
            "expires_in": issued.expires_in,
            "resend_after": issued.resend_after,
            "message": signin.code_sent_message(),
        },
    )


@router.post(
    "/{slug}/sign-in/verify",
    response=SessionOut,
    summary="Check the code; get a voter session token",
    description="Wrong, expired and used codes, and locked-out IINs, get one answer (400).",
)
def verify(request: HttpRequest, slug: str, payload: VerifyIn) -> Any:
    session = signin.verify_code(
        _voter_election(slug), payload.challenge, payload.code, client_ip(request)
    )
    return {"token": session.token, "expires_at": session.expires_at}


@router.post("/{slug}/sign-out", response={204: None}, auth=voter, summary="End the session")
def sign_out(request: HttpRequest, slug: str) -> Any:
    signin.end_session(_election(slug), bearer_token(request))
    return Status(204, None)


@router.get("/{slug}/me", response=MeOut, auth=voter, summary="The signed-in voter's status")
def me(request: HttpRequest, slug: str) -> Any:
    election = _election(slug)
    member_id = signin.session_member(election, bearer_token(request))
    return public.voter_status(election, member_id)


@router.post(
    "/{slug}/ballots",
    response={200: CastOut, 201: CastOut},
    auth=voter,
    summary="Cast an encrypted ballot",
    description=(
        "The body is the ballot as protocol.ballot defines it. 201: on the board, with a "
        "receipt (tracking code, signed tree head, inclusion proof) returned only after the "
        "leaf is committed; `time` and `replaces` let the voter rebuild the leaf and check "
        "the proof. 200: the same ballot was cast before: its receipt again. A later ballot "
        "replaces the earlier one (kind `revote`). 400 names the failed check; 403 a "
        "credential that is not the voter's; 409 voting not open, closed, or voted on paper; "
        "503 with Retry-After when the board is busy."
    ),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"type": "object"}}},
        }
    },
)
@non_atomic  # the leaf commits before the receipt is built: the board lock is held shorter
def cast_ballot(request: HttpRequest, slug: str) -> Any:
    try:
        body = request.body
    except RequestDataTooBig:
        raise TooLarge(_("The request is too large.")) from None
    result = cast.cast_for_session(slug, bearer_token(request), body)
    return Status(200 if result.repeat else 201, _cast_out(result))


def cast_directly(request: HttpRequest, slug: str) -> HttpResponse:
    """`cast_ballot` without the URL resolver and ninja's operation around it (the cast's
    short way, voting.shortcut, decision 0013): the same authenticator, the same view, and
    the API's own renderer and exception handlers for the answer. Runs outside the request's
    transaction, as `@non_atomic` asks."""
    from saylau.site.api import api

    mark_request(request)
    try:
        token = voter(request)
        if token is None:
            raise AuthenticationError()
        request.auth = token  # type: ignore[attr-defined]  # what ninja sets (site/bearer.py)
        answer = cast_ballot(request, slug)
        return api.create_response(request, answer.value, status=answer.status_code)
    except Exception as error:  # every error, as ninja does: the API's handlers answer
        return api.on_exception(request, error)


# --- the public board -------------------------------------------------------------------


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


@router.get(
    "/{slug}/credentials",
    response=CredentialsOut,
    by_alias=True,
    summary="The public credential list per district (once the CA's upload is complete)",
    description=(
        'The record\'s credentials.json: `{"schema": "saylau-credentials/1", '
        '"districts": {district: [public credential hex, …]}}`, sorted; it names no member. '
        "404 before the credentials are issued."
    ),
)
def credentials(request: HttpRequest, slug: str) -> Any:
    found = public.credentials(_election(slug))
    if found is None:
        raise NotFound(_("The list of public credentials is not final yet."))
    return found


@router.get(
    "/{slug}/counts",
    response=CountsOut,
    summary="Per-district roll and credential counts",
)
def counts(request: HttpRequest, slug: str) -> Any:
    return public.district_counts(_election(slug), request.LANGUAGE_CODE)


@router.get(
    "/{slug}/results",
    response=dict[str, Any],
    summary="Results, once tallied",
    description=(
        "The record's results.json once the election is tallied; before that 409 with the "
        "code `results.not_ready` and a message naming the election's stage."
    ),
)
def results(request: HttpRequest, slug: str) -> Any:
    election = _election(slug)
    found = public.results(election)
    if found is None:
        raise public.ResultsNotReady(election)
    return found


@router.get("/{slug}/record", summary="The election record (zip), once published")
def record(request: HttpRequest, slug: str) -> Any:
    path = public.record_zip(_election(slug))
    if path is None:
        raise NotFound(_("The election record has not been published yet."))
    return FileResponse(path.open("rb"), as_attachment=True, filename=f"{slug}-record.zip")


@router.get(
    "/{slug}/networks",
    response=list[ClusterOut],
    auth=django_auth,
    summary="Network addresses shared by several voters (organisers)",
    description="Never an IIN or a name: network, number of members, sign-ins, first, last.",
)
def networks(request: HttpRequest, slug: str, min_members: int = 2) -> Any:
    if not request.user.has_perm("elections.run_election"):
        raise PermissionDenied
    election = _election(slug)
    return [vars_of(c) for c in network.clusters(election, max(1, min_members))]


def vars_of(cluster: network.Cluster) -> dict[str, Any]:
    return {
        "network": cluster.network,
        "members": cluster.members,
        "sign_ins": cluster.sign_ins,
        "first": cluster.first,
        "last": cluster.last,
    }
