"""Accrediting observers to stations, withdrawing them, and promoting reserves.

The partial unique index `observation_one_active_primary` decides between two coordinators
assigning a primary at once: the second insert fails and becomes `PrimaryTaken`. Promotion
locks the station's active accreditations of the organisation (SELECT … FOR UPDATE) and
turns the earliest reserve into the primary; the index keeps it single even so.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from saylau.elections.audit import audit
from saylau.observation.errors import PrimaryTaken, WrongState
from saylau.observation.models import Accreditation, Observer, Organisation
from saylau.observation.roles import require_coordinator
from saylau.stations.models import Station

Role = Accreditation.Role
Status = Accreditation.Status


def _actor(user: Any) -> str:
    return str(getattr(user, "username", "") or "system")


def assign(
    user: Any,
    observer: Observer,
    station: Station,
    role: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
) -> Accreditation:
    """Accredit `observer` to `station`; PrimaryTaken when their organisation has a primary."""
    require_coordinator(user, observer.organisation)
    if observer.status != Observer.Status.CERTIFIED:
        raise WrongState(_("Only a certified observer can be accredited."))
    if role not in Role.values:
        raise WrongState(_("The role must be primary or reserve."))
    if ends_at <= starts_at:
        raise WrongState(_("The accreditation must end after it starts."))
    try:
        with transaction.atomic():
            accreditation = Accreditation.objects.create(
                observer=observer,
                organisation_id=observer.organisation_id,
                station=station,
                role=role,
                starts_at=starts_at,
                ends_at=ends_at,
            )
    except IntegrityError as error:
        raise _taken(observer, station) from error
    audit(
        station.election,
        _actor(user),
        "observation.accredit",
        accreditation=accreditation.pk,
        station=station.code,
        role=role,
    )
    return accreditation


def _taken(observer: Observer, station: Station) -> PrimaryTaken:
    if Accreditation.objects.filter(
        observer=observer, station=station, status=Status.ACTIVE
    ).exists():
        return PrimaryTaken(_("This observer is already accredited to this station."))
    return PrimaryTaken(
        _("%(organisation)s already has a primary observer at station %(station)s.")
        % {"organisation": observer.organisation.name, "station": station.code}
    )


def withdraw(user: Any, accreditation: Accreditation, now: dt.datetime) -> Accreditation | None:
    """Withdraw an accreditation; a withdrawn primary's first reserve is promoted (returned)."""
    require_coordinator(user, accreditation.organisation)
    with transaction.atomic():
        locked = _lock(accreditation.organisation, accreditation.station)
        current = next((a for a in locked if a.pk == accreditation.pk), None)
        if current is None:
            raise WrongState(_("This accreditation is no longer active."))
        current.status = Status.WITHDRAWN
        current.save(update_fields=["status"])
        promoted = _promote(locked, current, now) if current.role == Role.PRIMARY else None
    audit(
        accreditation.station.election,
        _actor(user),
        "observation.withdraw",
        accreditation=accreditation.pk,
        promoted=promoted.pk if promoted else None,
    )
    return promoted


def _lock(organisation: Organisation | int, station: Station) -> list[Accreditation]:
    return list(
        Accreditation.objects.select_for_update()
        .filter(organisation=organisation, station=station, status=Status.ACTIVE)
        .order_by("created_at", "pk")
    )


def _promote(
    locked: list[Accreditation], gone: Accreditation, now: dt.datetime
) -> Accreditation | None:
    reserves = [a for a in locked if a.role == Role.RESERVE and a.pk != gone.pk and a.ends_at > now]
    if not reserves:
        return None
    reserve = reserves[0]
    reserve.role = Role.PRIMARY
    reserve.promoted_at = now
    reserve.save(update_fields=["role", "promoted_at"])
    return reserve


def promote_absent(now: dt.datetime, stations: Any = None) -> list[Accreditation]:
    """Replace every active primary whose window has started and who has not checked in by
    its reserve (when there is one); the promoted accreditations."""
    late = Accreditation.objects.filter(
        role=Role.PRIMARY, status=Status.ACTIVE, starts_at__lte=now, checked_in_at__isnull=True
    )
    if stations is not None:
        late = late.filter(station__in=stations)
    promoted = []
    for primary in late.select_related("station__election"):
        result = _replace_absent(primary.pk, now)
        if result is not None:
            promoted.append(result)
            audit(
                primary.station.election,
                "system",
                "observation.promote",
                absent=primary.pk,
                promoted=result.pk,
            )
    return promoted


def _replace_absent(primary_id: int, now: dt.datetime) -> Accreditation | None:
    with transaction.atomic():
        primary = Accreditation.objects.select_related("station").get(pk=primary_id)
        locked = _lock(primary.organisation_id, primary.station)
        current = next((a for a in locked if a.pk == primary_id), None)
        if current is None or current.role != Role.PRIMARY or current.checked_in_at is not None:
            return None
        if not any(a.role == Role.RESERVE and a.ends_at > now for a in locked):
            return None
        current.status = Status.REPLACED
        current.save(update_fields=["status"])
        return _promote(locked, current, now)


def active_at(observer: Observer, station: Station, now: dt.datetime) -> Accreditation | None:
    """The observer's active accreditation at `station` whose window holds `now`."""
    return (
        Accreditation.objects.filter(
            observer=observer,
            station=station,
            status=Status.ACTIVE,
            starts_at__lte=now,
            ends_at__gte=now,
        )
        .order_by("-role")
        .first()
    )
