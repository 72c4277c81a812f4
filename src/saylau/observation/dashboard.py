"""What the headquarters sees for one election: per station its coverage, check-ins,
incidents and protocol copies; incident counts by category and region; the latest incidents;
and the reports refused because their sender was not accredited there (kept, never lost).

A coordinator sees their organisations' observers; an HQ account sees every organisation.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from saylau.observation.models import Accreditation, Organisation, Submission
from saylau.observation.roles import HEADQUARTERS, require_headquarters
from saylau.stations.models import Station

Kind = Submission.Kind


@dataclass(frozen=True)
class StationRow:
    station: Station
    observers: int
    checked_in: int
    missing_check_in: int
    incidents: int
    copies: int

    @property
    def coverage(self) -> str:
        """none, accredited (nobody checked in yet) or present."""
        if self.checked_in:
            return "present"
        return "accredited" if self.observers else "none"


def organisations(user: Any) -> QuerySet[Organisation]:
    require_headquarters(user)
    if user.has_perm(HEADQUARTERS):
        return Organisation.objects.all()
    return Organisation.objects.filter(hqs__coordinators=user).distinct()


def _accepted(election: Any, orgs: QuerySet[Organisation]) -> QuerySet[Submission]:
    return Submission.objects.filter(
        station__election=election,
        status=Submission.Status.ACCEPTED,
        observer__organisation__in=orgs,
    )


def station_rows(user: Any, election: Any, now: dt.datetime) -> list[StationRow]:
    orgs = organisations(user)
    active = Accreditation.objects.filter(
        station__election=election, status=Accreditation.Status.ACTIVE, organisation__in=orgs
    )
    observers: Counter[int] = Counter()
    checked: Counter[int] = Counter()
    missing: Counter[int] = Counter()
    for a in active.values("station_id", "role", "starts_at", "checked_in_at"):
        observers[a["station_id"]] += 1
        if a["checked_in_at"] is not None:
            checked[a["station_id"]] += 1
        elif a["role"] == Accreditation.Role.PRIMARY and a["starts_at"] <= now:
            missing[a["station_id"]] += 1
    sent = _accepted(election, orgs)
    incidents = Counter(sent.filter(kind=Kind.INCIDENT).values_list("station_id", flat=True))
    copies = Counter(sent.filter(kind=Kind.PROTOCOL_COPY).values_list("station_id", flat=True))
    return [
        StationRow(s, observers[s.pk], checked[s.pk], missing[s.pk], incidents[s.pk], copies[s.pk])
        for s in Station.objects.filter(election=election)
    ]


def incident_counts(user: Any, election: Any) -> tuple[Counter[str], Counter[str]]:
    """(incidents by category, incidents by region)."""
    rows = _accepted(election, organisations(user)).filter(kind=Kind.INCIDENT)
    by_category: Counter[str] = Counter()
    by_region: Counter[str] = Counter()
    for payload, district in rows.values_list("payload", "station__district"):
        by_category[payload.get("category", "other")] += 1
        by_region[district] += 1
    return by_category, by_region


def feed(user: Any, election: Any, limit: int = 50) -> list[Submission]:
    """The latest incidents, newest first."""
    rows = _accepted(election, organisations(user)).filter(kind=Kind.INCIDENT)
    return list(rows.select_related("station", "observer").order_by("-received_at")[:limit])


def refused(user: Any, limit: int = 200) -> list[Submission]:
    """Reports refused because the sender was not accredited there, newest first."""
    rows = Submission.objects.filter(
        status=Submission.Status.REFUSED, observer__organisation__in=organisations(user)
    )
    return list(rows.select_related("observer").order_by("-received_at")[:limit])
