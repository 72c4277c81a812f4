"""API for the trustees' and the credential authority's tools (`Authorization: Bearer`).

Trustees relay their key-ceremony messages and decryption shares through these endpoints;
the server checks each one and refuses a bad one with 422 (or 409 when it comes at the wrong
time), naming what is wrong. The CA fetches the closed roll (the one place phone numbers
leave the server) and uploads the public credentials with the member mapping.
"""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.security import HttpBearer

from saylau.elections import services
from saylau.elections.models import Election, PublicCredential, Seat
from saylau.web.bearer import bearer_token

router = Router(tags=["trustees and credential authority"])

MessageKind = Literal["transport_key", "deal", "complaint", "extraction", "disclosure"]


class SeatToken(HttpBearer):
    """Any bearer token; the view checks it opens the right seat of the path's election."""

    def authenticate(self, request: HttpRequest, token: str) -> str | None:
        return token or None


bearer = SeatToken()


def _seat(request: HttpRequest, slug: str, role: str) -> tuple[Election, Seat]:
    election = services.get_election(slug)
    return election, services.authenticate_seat(election, bearer_token(request), role)


class MessageIn(Schema):
    kind: MessageKind
    payload: dict[str, Any]


class AcceptedOut(Schema):
    accepted: bool
    phase: str


class SharesIn(Schema):
    districts: dict[str, Any]


class BatchIn(Schema):
    members: list[dict[str, Any]]


class BatchOut(Schema):
    stored: int
    total: int


class CompleteIn(Schema):
    counts: dict[str, int]
    digest: str


class CompleteOut(Schema):
    districts: dict[str, int]


class CaStatusOut(Schema):
    election: str
    status: str
    stored: int
    finished: bool


@router.get(
    "/{slug}/ceremony",
    response=dict[str, Any],
    auth=bearer,
    summary="The key ceremony's phase and every public message so far (trustee)",
)
def ceremony_state(request: HttpRequest, slug: str) -> Any:
    election, seat = _seat(request, slug, Seat.Role.TRUSTEE)
    return services.ceremony_state(election, seat.index)


@router.post(
    "/{slug}/ceremony/messages",
    response={201: AcceptedOut},
    auth=bearer,
    summary="Send a key-ceremony message (trustee)",
    description="Checked with saylau.crypto.dkg on arrival; a bad one is refused (422).",
)
def ceremony_message(request: HttpRequest, slug: str, body: MessageIn) -> Any:
    election, seat = _seat(request, slug, Seat.Role.TRUSTEE)
    services.submit_ceremony_message(election, seat.index, body.kind, body.payload)
    phase = services.ceremony_state(election, seat.index)["phase"]
    return Status(201, {"accepted": True, "phase": phase})


@router.get(
    "/{slug}/tally/sums",
    response=dict[str, Any],
    auth=bearer,
    summary="The encrypted sums to decrypt (trustee)",
)
def tally_sums(request: HttpRequest, slug: str) -> Any:
    election, _ = _seat(request, slug, Seat.Role.TRUSTEE)
    return services.tally_sums(election)


@router.post(
    "/{slug}/tally/shares",
    response={201: AcceptedOut},
    auth=bearer,
    summary="Send decryption shares for every encrypted sum (trustee)",
)
def tally_shares(request: HttpRequest, slug: str, body: SharesIn) -> Any:
    election, seat = _seat(request, slug, Seat.Role.TRUSTEE)
    services.submit_decryption_shares(election, seat.index, {"districts": body.districts})
    return Status(201, {"accepted": True, "phase": "decryption"})


@router.get(
    "/{slug}/ca",
    response=CaStatusOut,
    auth=bearer,
    summary="What the server holds of the credential authority's upload (CA)",
)
def ca_status(request: HttpRequest, slug: str) -> Any:
    election, seat = _seat(request, slug, Seat.Role.CA)
    stored = PublicCredential.objects.filter(election=election).count()
    return {
        "election": election.slug,
        "status": election.status,
        "stored": stored,
        "finished": seat.finished_at is not None,
    }


@router.get(
    "/{slug}/ca/roll",
    response=dict[str, Any],
    auth=bearer,
    summary="One page of the closed roll with phone numbers (CA only)",
)
def ca_roll(request: HttpRequest, slug: str, after: int = 0, limit: int = 10_000) -> Any:
    election, _ = _seat(request, slug, Seat.Role.CA)
    return services.roll_for_ca(election, after=after, limit=limit)


@router.post(
    "/{slug}/ca/credentials",
    response={201: BatchOut},
    auth=bearer,
    summary="Upload a batch of (member, district, public credential) rows (CA)",
)
def ca_credentials(request: HttpRequest, slug: str, body: BatchIn) -> Any:
    election, _ = _seat(request, slug, Seat.Role.CA)
    stored = services.upload_credential_batch(election, {"members": body.members})
    total = PublicCredential.objects.filter(election=election).count()
    return Status(201, {"stored": stored, "total": total})


@router.post(
    "/{slug}/ca/credentials/complete",
    response=CompleteOut,
    auth=bearer,
    summary="Finish the upload: counts per district and the list digest must match (CA)",
)
def ca_complete(request: HttpRequest, slug: str, body: CompleteIn) -> Any:
    election, _ = _seat(request, slug, Seat.Role.CA)
    counts = services.complete_credential_upload(
        election, {"counts": body.counts, "digest": body.digest}
    )
    return {"districts": counts}
