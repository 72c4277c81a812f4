"""The exit poll's API (mounted at /api/exitpoll/): what the interviewer's phone page and its
service worker send, and the estimates. Session sign-in (with the CSRF header); every entry
carries the phone's UUID, so a retry is answered, not repeated. The estimates of an
election's polls are public once its polls close.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.http import HttpRequest
from django.utils import timezone, translation
from ninja import Router, Schema, Status
from ninja.security import django_auth

from saylau.elections import services as elections
from saylau.exitpoll import entries
from saylau.exitpoll.models import Poll
from saylau.exitpoll.polls import get_poll
from saylau.exitpoll.results import Results, results
from saylau.exitpoll.roles import interviewer_of

router = Router(tags=["exitpoll"], auth=django_auth)


class EntryIn(Schema):
    client_uuid: uuid.UUID
    poll: str
    station: str
    kind: str
    option: str = ""
    occurred_at: dt.datetime


class EntryOut(Schema):
    client_uuid: uuid.UUID
    station: str
    kind: str
    status: str
    received_at: dt.datetime
    stored_now: bool


class OptionOut(Schema):
    name: str
    share: float
    se: float
    low: float
    high: float
    boot_se: float | None
    boot_low: float | None
    boot_high: float | None
    official: float | None
    difference: float | None


class ResultsOut(Schema):
    poll: str
    name: str
    organisation: str
    closed: bool
    visible: bool
    sampled: int
    stations: int
    respondents: int
    refused_to_say: int
    refusals: int
    non_contacts: int
    response_rate: float
    problem: str
    options: list[OptionOut]
    wpe_mean: float | None
    wpe_se: float | None


@router.post(
    "/entries",
    response={200: EntryOut, 201: EntryOut},
    summary="Send one respondent's answer, a refusal or a non-contact (interviewers)",
    description=(
        "`kind`: answer (with `option`: an option id of the contest, or refused_to_say), "
        "refusal or non_contact. 201 when stored, 200 when this `client_uuid` was stored "
        "before (a retry: nothing is added), 409 `exitpoll.uuid_reused` when it was used for "
        "another entry. 403 `exitpoll.not_assigned` when the interviewer is not assigned to "
        "the station: the entry is kept, refused, for the pollster."
    ),
)
def send(request: HttpRequest, body: EntryIn) -> Any:
    poll = get_poll(body.poll)
    interviewer = interviewer_of(request.user, poll)
    sent = entries.Sent(body.client_uuid, body.station, body.kind, body.option, body.occurred_at)
    stored, created = entries.record(interviewer, sent, timezone.now())
    out = {
        "client_uuid": stored.client_uuid,
        "station": stored.station_code,
        "kind": stored.kind,
        "status": stored.status,
        "received_at": stored.received_at,
        "stored_now": created,
    }
    return Status(201 if created else 200, out)


@router.get(
    "/{election}/polls",
    response=list[ResultsOut],
    auth=None,
    summary="The exit polls of an election, with their estimates once they may be shown",
    description="Before the polls close a poll's estimates are shown to its pollsters only: "
    "for anyone else `visible` is false and `options` empty (publishing exit poll numbers "
    "while voting runs is not allowed).",
)
def election_polls(request: HttpRequest, election: str) -> Any:
    found = elections.get_election(election)
    language = translation.get_language() or "kk"
    now = timezone.now()
    polls = Poll.objects.filter(election=found).select_related("election").order_by("slug")
    return [_results_out(results(request.user, poll, now, language)) for poll in polls]


def _results_out(found: Results) -> dict[str, Any]:
    wpe = found.comparison.wpe if found.comparison else None
    return {
        "poll": found.poll.slug,
        "name": found.poll.name,
        "organisation": found.poll.organisation,
        "closed": found.closed,
        "visible": found.visible,
        "sampled": found.sampled,
        "stations": found.stations,
        "respondents": found.respondents,
        "refused_to_say": found.refused_to_say,
        "refusals": found.refusals,
        "non_contacts": found.non_contacts,
        "response_rate": found.response_rate,
        "problem": found.problem,
        "options": [vars(r) for r in found.rows],
        "wpe_mean": wpe.mean if wpe else None,
        "wpe_se": wpe.se if wpe else None,
    }
