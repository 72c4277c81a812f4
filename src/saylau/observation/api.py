"""Observers' API (mounted at /api/observation/): what the phone pages and their service
worker send, and the coordinators' accreditation calls. Session sign-in (with the CSRF
header); every submission carries the device's UUID, so a retry is answered, not repeated.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone, translation
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.security import django_auth

from saylau.observation import accreditation as acc
from saylau.observation import media, submissions
from saylau.observation.letter import credential_letter
from saylau.observation.models import Accreditation, Observer
from saylau.observation.roles import observer_of, require_coordinator
from saylau.stations.models import Station

router = Router(tags=["observation"], auth=django_auth)


class SubmissionIn(Schema):
    client_uuid: uuid.UUID
    kind: str
    station: str
    occurred_at: dt.datetime
    payload: dict[str, Any] = {}


class SubmissionOut(Schema):
    client_uuid: uuid.UUID
    kind: str
    station: str
    status: str
    received_at: dt.datetime
    stored_now: bool


class MediaOut(Schema):
    sha256: str
    kind: str
    size: int
    stored_now: bool


class AccreditationIn(Schema):
    observer: int
    station: str
    election: str
    role: str
    starts_at: dt.datetime
    ends_at: dt.datetime


class AccreditationOut(Schema):
    id: int
    observer: int
    station: str
    role: str
    status: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    checked_in_at: dt.datetime | None


def _accreditation_out(a: Accreditation) -> dict[str, Any]:
    return {
        "id": a.pk,
        "observer": a.observer_id,
        "station": a.station.code,
        "role": a.role,
        "status": a.status,
        "starts_at": a.starts_at,
        "ends_at": a.ends_at,
        "checked_in_at": a.checked_in_at,
    }


@router.post(
    "/submissions",
    response={200: SubmissionOut, 201: SubmissionOut},
    summary="Send a check-in, check-out, checklist, incident or protocol copy (observers)",
    description=(
        "201 when stored, 200 when this `client_uuid` was stored before (a retry: nothing is "
        "added). 403 `observation.not_accredited` when the observer is not accredited to the "
        "station at `occurred_at`: the report is kept, refused, for the coordinator."
    ),
)
def submit(request: HttpRequest, body: SubmissionIn) -> Any:
    observer = observer_of(request.user)
    sent = submissions.Sent(
        body.client_uuid, body.kind, body.station, body.occurred_at, body.payload
    )
    stored, created = submissions.submit(observer, sent, timezone.now())
    out = {
        "client_uuid": stored.client_uuid,
        "kind": stored.kind,
        "station": stored.station_code,
        "status": stored.status,
        "received_at": stored.received_at,
        "stored_now": created,
    }
    return Status(201 if created else 200, out)


@router.post(
    "/submissions/{client_uuid}/media",
    response={200: MediaOut, 201: MediaOut},
    summary="Attach a photo or video to an accepted submission (observers)",
    description="Checked by content (JPEG, PNG, WebP, MP4, WebM, MOV, 3GP; 20 MB at most); "
    "the same file sent again is answered 200 and not stored twice.",
)
def attach(request: HttpRequest, client_uuid: uuid.UUID, file: File[UploadedFile]) -> Any:
    observer = observer_of(request.user)
    stored, created = media.attach(observer, client_uuid, file.chunks())
    out = {"sha256": stored.sha256, "kind": stored.kind, "size": stored.size}
    return Status(201 if created else 200, {**out, "stored_now": created})


@router.get(
    "/accreditations/mine",
    response=list[AccreditationOut],
    summary="The signed-in observer's accreditations",
)
def mine(request: HttpRequest) -> Any:
    observer = observer_of(request.user)
    found = Accreditation.objects.filter(observer=observer).select_related("station")
    return [_accreditation_out(a) for a in found]


@router.post(
    "/accreditations",
    response={201: AccreditationOut},
    summary="Accredit an observer to a station (coordinators)",
    description="409 `observation.primary_taken` when the organisation already has an "
    "active primary at the station (the database holds the rule).",
)
def accredit(request: HttpRequest, body: AccreditationIn) -> Any:
    observer = get_object_or_404(Observer.objects.select_related("organisation"), pk=body.observer)
    require_coordinator(request.user, observer.organisation)
    station = get_object_or_404(Station, code=body.station, election__slug=body.election)
    made = acc.assign(request.user, observer, station, body.role, body.starts_at, body.ends_at)
    return Status(201, _accreditation_out(made))


@router.post(
    "/accreditations/{accreditation_id}/withdraw",
    response={200: list[AccreditationOut]},
    summary="Withdraw an accreditation; a primary's first reserve is promoted (coordinators)",
)
def withdraw(request: HttpRequest, accreditation_id: int) -> Any:
    found = get_object_or_404(
        Accreditation.objects.select_related("organisation", "station"), pk=accreditation_id
    )
    promoted = acc.withdraw(request.user, found, timezone.now())
    return [_accreditation_out(promoted)] if promoted else []


@router.get(
    "/accreditations/{accreditation_id}/letter",
    summary="The credential letter (PDF) of an accreditation (its observer, coordinators)",
)
def letter(request: HttpRequest, accreditation_id: int, lang: str = "") -> HttpResponse:
    found = get_object_or_404(
        Accreditation.objects.select_related("organisation", "station", "observer"),
        pk=accreditation_id,
    )
    own = found.observer.user_id == request.user.pk
    if not own:
        require_coordinator(request.user, found.organisation)
    language = lang if lang in ("kk", "ru", "en") else translation.get_language() or "kk"
    pdf = credential_letter(found, language)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="credential-{found.pk}.pdf"'
    return response
