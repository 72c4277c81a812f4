"""Taking an observer's submission: once per client UUID, only from an accredited station.

The device makes a UUID for each report and sends it again on every retry; the first
arrival is stored and every later one gets the same answer. A report from a station the
observer is not accredited to (now, or at all) is stored as refused with the reason, so the
coordinator sees it, and the observer is told why.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from saylau.observation import payloads
from saylau.observation.accreditation import active_at
from saylau.observation.errors import DuplicateMismatch, InvalidSubmission, NotAccredited
from saylau.observation.models import Accreditation, Observer, Submission
from saylau.protocol.canonical import canonical_json
from saylau.stations.models import Station

#: how far ahead of the server's clock a device's time may be
CLOCK_SKEW = dt.timedelta(minutes=10)
Kind = Submission.Kind


@dataclass(frozen=True)
class Sent:
    """What the device sent."""

    client_uuid: uuid.UUID
    kind: str
    station: str
    occurred_at: dt.datetime
    payload: Any

    def digest(self) -> str:
        body = {
            "kind": self.kind,
            "station": self.station,
            "occurred_at": self.occurred_at.isoformat(),
            "payload": self.payload,
        }
        return hashlib.sha256(canonical_json(body)).hexdigest()


def submit(observer: Observer, sent: Sent, now: dt.datetime) -> tuple[Submission, bool]:
    """(the stored submission, whether this call stored it). Raises NotAccredited (the
    refused submission is stored) or InvalidSubmission (nothing is stored)."""
    existing = Submission.objects.filter(client_uuid=sent.client_uuid).first()
    if existing is not None:
        return _replay(existing, observer, sent), False
    if sent.kind not in Kind.values:
        raise InvalidSubmission(_("Unknown kind of report."), field="kind")
    if sent.occurred_at > now + CLOCK_SKEW:
        raise InvalidSubmission(_("The report's time is in the future."), field="occurred_at")
    stations = _stations(observer, sent.station)
    accreditation = _accreditation(observer, stations, sent.occurred_at)
    if accreditation is None:
        return _refuse(observer, sent, stations), True
    payload = payloads.clean(sent.kind, accreditation.station, sent.payload)
    try:
        with transaction.atomic():
            stored = _store(observer, sent, accreditation.station, payload)
            _apply(stored, accreditation)
    except IntegrityError:
        # the same UUID arrived twice at once: the other request stored it
        existing = Submission.objects.get(client_uuid=sent.client_uuid)
        return _replay(existing, observer, sent), False
    return stored, True


def _stations(observer: Observer, code: str) -> list[Station]:
    ids = Accreditation.objects.filter(observer=observer).values_list("station_id", flat=True)
    return list(Station.objects.filter(code=code, pk__in=ids).select_related("election"))


def _accreditation(
    observer: Observer, stations: list[Station], when: dt.datetime
) -> Accreditation | None:
    for station in stations:
        found = active_at(observer, station, when)
        if found is not None:
            return found
    return None


def _store(
    observer: Observer,
    sent: Sent,
    station: Station | None,
    payload: Any,
    refusal: NotAccredited | None = None,
) -> Submission:
    return Submission.objects.create(
        client_uuid=sent.client_uuid,
        observer=observer,
        station_code=sent.station[:64],
        station=station,
        kind=sent.kind,
        payload=payload,
        digest=sent.digest(),
        occurred_at=sent.occurred_at,
        status=Submission.Status.REFUSED if refusal else Submission.Status.ACCEPTED,
        refusal_code=refusal.code if refusal else "",
        refusal=str(refusal.message) if refusal else "",
    )


def _not_accredited(sent: Sent, known: bool) -> NotAccredited:
    if known:
        return NotAccredited(
            _(
                "You are not accredited to station %(station)s at this time; the report is kept "
                "for your coordinator."
            )
            % {"station": sent.station}
        )
    return NotAccredited(
        _("You are not accredited to station %(station)s; the report is kept for your coordinator.")
        % {"station": sent.station}
    )


def _refuse(observer: Observer, sent: Sent, stations: list[Station]) -> Submission:
    refusal = _not_accredited(sent, bool(stations))
    try:
        with transaction.atomic():
            _store(observer, sent, stations[0] if stations else None, sent.payload, refusal)
    except IntegrityError:
        existing = Submission.objects.get(client_uuid=sent.client_uuid)
        return _replay(existing, observer, sent)
    raise refusal


def _replay(existing: Submission, observer: Observer, sent: Sent) -> Submission:
    """The answer to a retry: the stored submission, or its refusal again."""
    if existing.observer_id != observer.pk or existing.digest != sent.digest():
        raise DuplicateMismatch(_("This report number was already used for another report."))
    if existing.status == Submission.Status.REFUSED:
        raise NotAccredited(existing.refusal)
    return existing


def _apply(submission: Submission, accreditation: Accreditation) -> None:
    """A check-in or check-out marks the accreditation (the first one counts)."""
    if submission.kind == Kind.CHECK_IN and accreditation.checked_in_at is None:
        accreditation.checked_in_at = submission.occurred_at
        accreditation.save(update_fields=["checked_in_at"])
    elif submission.kind == Kind.CHECK_OUT and accreditation.checked_out_at is None:
        accreditation.checked_out_at = submission.occurred_at
        accreditation.save(update_fields=["checked_out_at"])
