"""Taking an interviewer's entry: once per client UUID, only at an assigned station.

The phone makes a UUID for each respondent (or refusal, or non-contact) and sends it again
on every retry; the first arrival is stored and every later one gets the same answer
(201 first, 200 after; 409 for the UUID reused with other content). An entry from a station
the interviewer is not assigned to is stored as refused with the reason, so the pollster
sees it, and the interviewer is told why (as observation/submissions.py does).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from saylau.exitpoll.errors import DuplicateMismatch, InvalidEntry, NotAssigned
from saylau.exitpoll.models import REFUSED_TO_SAY, Entry, Interviewer, Poll, SampledStation
from saylau.exitpoll.polls import contest_of
from saylau.protocol.canonical import canonical_json

#: how far ahead of the server's clock a phone's time may be
CLOCK_SKEW = dt.timedelta(minutes=10)
Kind = Entry.Kind


@dataclass(frozen=True)
class Sent:
    """What the phone sent."""

    client_uuid: uuid.UUID
    station: str
    kind: str
    option: str
    occurred_at: dt.datetime

    def digest(self, poll: Poll) -> str:
        body = {
            "poll": poll.slug,
            "station": self.station,
            "kind": self.kind,
            "option": self.option,
            "occurred_at": self.occurred_at.isoformat(),
        }
        return hashlib.sha256(canonical_json(body)).hexdigest()


def record(interviewer: Interviewer, sent: Sent, now: dt.datetime) -> tuple[Entry, bool]:
    """(the stored entry, whether this call stored it). Raises NotAssigned (the refused entry
    is stored), InvalidEntry (nothing is stored) or DuplicateMismatch."""
    poll = interviewer.poll
    existing = Entry.objects.filter(client_uuid=sent.client_uuid).first()
    if existing is not None:
        return _replay(existing, interviewer, sent), False
    _check(poll, sent, now)
    sampled = SampledStation.objects.filter(poll=poll, station__code=sent.station).first()
    assigned = sampled is not None and interviewer.stations.filter(pk=sampled.pk).exists()
    if not assigned:
        return _refuse(interviewer, sent, sampled), True
    try:
        with transaction.atomic():
            stored = _store(interviewer, sent, sampled)
    except IntegrityError:
        # the same UUID arrived twice at once: the other request stored it
        existing = Entry.objects.get(client_uuid=sent.client_uuid)
        return _replay(existing, interviewer, sent), False
    return stored, True


def _check(poll: Poll, sent: Sent, now: dt.datetime) -> None:
    if sent.kind not in Kind.values:
        raise InvalidEntry(_("Unknown kind of entry."), field="kind")
    if sent.occurred_at > now + CLOCK_SKEW:
        raise InvalidEntry(_("The entry's time is in the future."), field="occurred_at")
    if sent.kind == Kind.ANSWER:
        allowed = {o.id for o in contest_of(poll).options} | {REFUSED_TO_SAY}
        if sent.option not in allowed:
            raise InvalidEntry(_("Choose one of the poll's options."), field="option")
    elif sent.option:
        raise InvalidEntry(_("Only a respondent's entry has an option."), field="option")


def _store(
    interviewer: Interviewer,
    sent: Sent,
    sampled: SampledStation | None,
    refusal: NotAssigned | None = None,
) -> Entry:
    return Entry.objects.create(
        client_uuid=sent.client_uuid,
        poll=interviewer.poll,
        interviewer=interviewer,
        station_code=sent.station[:64],
        sampled=sampled,
        kind=sent.kind,
        option=sent.option,
        digest=sent.digest(interviewer.poll),
        occurred_at=sent.occurred_at,
        status=Entry.Status.REFUSED if refusal else Entry.Status.ACCEPTED,
        refusal_code=refusal.code if refusal else "",
        refusal=str(refusal.message) if refusal else "",
    )


def _refuse(interviewer: Interviewer, sent: Sent, sampled: SampledStation | None) -> Entry:
    if sampled is None:
        message = _(
            "Station %(station)s is not in this poll's sample; the entry is kept for the pollster."
        )
    else:
        message = _(
            "You are not assigned to station %(station)s; the entry is kept for the pollster."
        )
    refusal = NotAssigned(message % {"station": sent.station})
    try:
        with transaction.atomic():
            _store(interviewer, sent, sampled, refusal)
    except IntegrityError:
        existing = Entry.objects.get(client_uuid=sent.client_uuid)
        return _replay(existing, interviewer, sent)
    raise refusal


def _replay(existing: Entry, interviewer: Interviewer, sent: Sent) -> Entry:
    """The answer to a retry: the stored entry, or its refusal again."""
    if existing.interviewer_id != interviewer.pk or existing.digest != sent.digest(
        interviewer.poll
    ):
        raise DuplicateMismatch(_("This entry number was already used for another entry."))
    if existing.status == Entry.Status.REFUSED:
        raise NotAssigned(existing.refusal)
    return existing
