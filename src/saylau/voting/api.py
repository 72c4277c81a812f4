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

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import FileResponse, HttpRequest, HttpResponse
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Router, Schema, Status
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, django_auth

from saylau.elections import services as elections
from saylau.elections.models import Election
from saylau.protocol.receipt import receipt_to_json
from saylau.voting import api_board, cast, network, public, signin
from saylau.voting.errors import NotFound, TooLarge
from saylau.voting.signin_schemas import SignInIn, VerifyIn
from saylau.web.bearer import bearer_token
from saylau.web.non_atomic import mark_request, non_atomic
from saylau.web.proxy import client_ip

router = Router(tags=["voting"])
router.add_router("", api_board.router)  # the public board's operations

TRACKING_CODE = r"^[0-9a-f]{64}$"


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


class ChallengeOut(Schema):
    challenge: str
    expires_in: int
    resend_after: int
    message: str


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


class CredentialsOut(Schema):
    schema_: str = Field(..., alias="schema")
    districts: dict[str, list[str]]


# --- helpers ----------------------------------------------------------------------------


def _election(slug: str) -> Election:
    return elections.get_election(slug)


def _voter_election(slug: str) -> Election:
    """For sign-in and the cast, which never read the manifest: leave it in the database."""
    return elections.get_election(slug, manifest=False)


def cast_answer(result: cast.CastResult) -> dict[str, Any]:
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


@router.post(
    "/{slug}/sign-out",
    response={204: None},
    auth=voter,
    summary="End the session",
    description="401 when the token names no session (never signed in, or signed out).",
)
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
    return Status(200 if result.repeat else 201, cast_answer(result))


def cast_directly(request: HttpRequest, slug: str) -> HttpResponse:
    """`cast_ballot` without the URL resolver and ninja's operation around it (the cast's
    short way, voting.shortcut, decision 0013): the same authenticator, the same view, and
    the API's own renderer and exception handlers for the answer. Runs outside the request's
    transaction, as `@non_atomic` asks. The API is the one the site mounts this router in
    (settings.SAYLAU_API)."""
    api: NinjaAPI = import_string(settings.SAYLAU_API)
    mark_request(request)
    try:
        token = voter(request)
        if token is None:
            raise AuthenticationError()
        request.auth = token  # type: ignore[attr-defined]  # what ninja sets (web/bearer.py)
        answer = cast_ballot(request, slug)
        return api.create_response(request, answer.value, status=answer.status_code)
    except Exception as error:  # every error, as ninja does: the API's handlers answer
        return api.on_exception(request, error)


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
