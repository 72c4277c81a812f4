"""Elections API for organisers (session login and permissions) and the public.

Public: the list of elections and each one's parameters. Organisers (`elections.add_election`
to create, `elections.run_election` for everything that changes an election; auditors read
the audit log). Trustees and the credential authority use api_relay.py with their tokens.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import get_language
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.security import django_auth

from saylau.elections import lifecycle, services
from saylau.elections.api_relay import router as relay_router
from saylau.elections.audit import audit_events
from saylau.elections.ceremony import get_ceremony
from saylau.elections.models import Election, IpPolicy

router = Router(tags=["elections"])

IpPolicyName = Literal["strict", "limit", "flag"]
StageName = Literal[
    "roll_closed", "keys_ready", "credentials_issued", "open", "closed", "tallied", "published"
]


class ElectionSummaryOut(Schema):
    slug: str
    title: str
    status: str
    opens_at: dt.datetime | None
    closes_at: dt.datetime | None


class ElectionOut(ElectionSummaryOut):
    trustees: int
    threshold: int
    ip_policy: str
    ip_limit_per_hour: int
    ceremony_phase: str
    next_stage: str | None
    joint_public_key: str
    fingerprint: str
    board_public_key: str
    manifest: dict[str, Any]


class TokenOut(Schema):
    role: str
    index: int
    name: str
    token: str


class CreatedOut(Schema):
    election: ElectionOut
    tokens: list[TokenOut]


class CreateIn(Schema):
    manifest: dict[str, Any]
    trustees: int = 3
    threshold: int = 2
    opens_at: dt.datetime | None = None
    closes_at: dt.datetime | None = None
    ip_policy: IpPolicyName = "strict"
    ip_limit_per_hour: int = 20
    trustee_names: list[str] = []


class TransitionIn(Schema):
    to: StageName


MOMENT = "A moment from 2000-01-01 to 2099-12-31 (UTC); 400 outside, naming the field."


class ScheduleIn(Schema):
    opens_at: dt.datetime | None = Field(None, description=MOMENT)
    closes_at: dt.datetime | None = Field(None, description=MOMENT)


class AuditOut(Schema):
    id: int
    at: dt.datetime
    actor: str
    action: str
    details: dict[str, Any]


class TallyPreparedOut(Schema):
    ballots_counted: dict[str, int]


def _require(request: HttpRequest, permission: str) -> str:
    if not request.user.has_perm(permission):
        raise PermissionDenied
    return f"user:{request.user.get_username()}"


def _aware(moment: dt.datetime | None) -> dt.datetime | None:
    if moment is not None and timezone.is_naive(moment):
        return timezone.make_aware(moment)
    return moment


def summary(election: Election) -> dict[str, Any]:
    return {
        "slug": election.slug,
        "title": election.title(get_language() or "kk"),
        "status": election.status,
        "opens_at": election.opens_at,
        "closes_at": election.closes_at,
    }


def detail(election: Election) -> dict[str, Any]:
    next_stage = lifecycle.next_status(election)
    return {
        **summary(election),
        "trustees": election.trustees,
        "threshold": election.threshold,
        "ip_policy": election.ip_policy,
        "ip_limit_per_hour": election.ip_limit_per_hour,
        "ceremony_phase": get_ceremony(election).phase,
        "next_stage": str(next_stage) if next_stage else None,
        "joint_public_key": election.joint_public_key,
        "fingerprint": election.fingerprint,
        "board_public_key": election.board_public_key,
        "manifest": election.manifest,
    }


def created(election: Election) -> dict[str, Any]:
    tokens = [
        {"role": t.role, "index": t.index, "name": t.name, "token": t.token}
        for t in election.issued_tokens
    ]
    return {"election": detail(election), "tokens": tokens}


@router.get("/", response=list[ElectionSummaryOut], summary="Every election")
def list_elections(request: HttpRequest) -> Any:
    return [summary(e) for e in Election.objects.all()]


@router.post(
    "/",
    response={201: CreatedOut},
    auth=django_auth,
    summary="Create an election from a manifest (organiser)",
    description="The answer holds the trustees' and the CA's tokens: shown this once only.",
)
def create(request: HttpRequest, body: CreateIn) -> Any:
    actor = _require(request, "elections.add_election")
    election = services.create_election(
        body.manifest,
        actor=actor,
        trustees=body.trustees,
        threshold=body.threshold,
        opens_at=_aware(body.opens_at),
        closes_at=_aware(body.closes_at),
        ip_policy=body.ip_policy,
        ip_limit_per_hour=body.ip_limit_per_hour,
        trustee_names=body.trustee_names,
    )
    return Status(201, created(election))


@router.post(
    "/upload",
    response={201: CreatedOut},
    auth=django_auth,
    summary="Create an election from a manifest file, YAML or JSON (organiser)",
)
def upload(
    request: HttpRequest,
    file: File[UploadedFile],
    trustees: Form[int] = 3,
    threshold: Form[int] = 2,
    opens_at: Form[dt.datetime | None] = None,
    closes_at: Form[dt.datetime | None] = None,
    ip_policy: Form[IpPolicyName] = IpPolicy.STRICT,  # type: ignore[assignment]
    ip_limit_per_hour: Form[int] = 20,
) -> Any:
    actor = _require(request, "elections.add_election")
    election = services.create_election_from_file(
        file.read(),
        file.name or "",
        actor=actor,
        trustees=trustees,
        threshold=threshold,
        opens_at=_aware(opens_at),
        closes_at=_aware(closes_at),
        ip_policy=ip_policy,
        ip_limit_per_hour=ip_limit_per_hour,
    )
    return Status(201, created(election))


@router.get("/{slug}", response=ElectionOut, summary="An election's parameters and stage")
def get_election(request: HttpRequest, slug: str) -> Any:
    return detail(services.get_election(slug))


@router.post(
    "/{slug}/transition",
    response=ElectionOut,
    auth=django_auth,
    summary="Move the election to its next stage (organiser)",
    description="Refused with 409 and the reason when the order or a precondition fails.",
)
def transition(request: HttpRequest, slug: str, body: TransitionIn) -> Any:
    actor = _require(request, "elections.run_election")
    election = services.transition(services.get_election(slug), body.to, actor=actor)
    return detail(election)


@router.put(
    "/{slug}/schedule",
    response=ElectionOut,
    auth=django_auth,
    summary="Set when voting opens and closes (organiser)",
)
def schedule(request: HttpRequest, slug: str, body: ScheduleIn) -> Any:
    actor = _require(request, "elections.run_election")
    election = services.set_schedule(
        services.get_election(slug), _aware(body.opens_at), _aware(body.closes_at), actor=actor
    )
    return detail(election)


@router.post(
    "/{slug}/ceremony/close-phase",
    response=ElectionOut,
    auth=django_auth,
    summary="Close the key ceremony's current phase without silent trustees (organiser)",
)
def close_phase(request: HttpRequest, slug: str) -> Any:
    actor = _require(request, "elections.run_election")
    election = services.get_election(slug)
    services.force_ceremony_phase(election, actor=actor)
    return detail(election)


@router.post(
    "/{slug}/ceremony/reset",
    response=ElectionOut,
    auth=django_auth,
    summary="Start the key ceremony again, discarding every message (organiser)",
)
def reset_ceremony(request: HttpRequest, slug: str) -> Any:
    actor = _require(request, "elections.run_election")
    election = services.get_election(slug)
    services.reset_ceremony(election, actor=actor)
    return detail(election)


@router.post(
    "/{slug}/seats/{role}/{index}/token",
    response=TokenOut,
    auth=django_auth,
    summary="Issue a new token for a trustee's or the CA's seat (organiser)",
)
def reissue(request: HttpRequest, slug: str, role: Literal["trustee", "ca"], index: int) -> Any:
    actor = _require(request, "elections.run_election")
    token = services.reissue_token(services.get_election(slug), role, index, actor=actor)
    return {"role": token.role, "index": token.index, "name": token.name, "token": token.token}


@router.post(
    "/{slug}/tally/prepare",
    response=TallyPreparedOut,
    auth=django_auth,
    summary="Sum the counted ballots of a closed election (organiser)",
)
def prepare_tally(request: HttpRequest, slug: str) -> Any:
    actor = _require(request, "elections.run_election")
    tally = services.prepare_tally(services.get_election(slug), actor=actor)
    return {"ballots_counted": tally.counts}


@router.get(
    "/{slug}/audit",
    response=list[AuditOut],
    auth=django_auth,
    summary="The election's audit log, newest first (auditors, organisers)",
)
def audit_log(request: HttpRequest, slug: str, limit: int = 1000) -> Any:
    _require(request, "elections.view_auditevent")
    events = audit_events(services.get_election(slug), max(1, min(limit, 10_000)))
    return [
        {"id": e.pk, "at": e.at, "actor": e.actor, "action": e.action, "details": e.details}
        for e in events
    ]


router.add_router("/", relay_router)
