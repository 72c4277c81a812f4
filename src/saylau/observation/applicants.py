"""The coordinator's list of applicants: those of the regions whose headquarters they
coordinate (every region for an HQ account), with each one's progress, read in a few
queries whatever the number of applicants. The IIN leaves this module masked."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from saylau.observation.errors import NotFound
from saylau.observation.models import (
    Checklist,
    Headquarters,
    Observer,
    Organisation,
    QuizAttempt,
    TrainingModule,
    TrainingSession,
)
from saylau.observation.recruitment import Progress
from saylau.observation.roles import HEADQUARTERS, require_coordinator


@dataclass(frozen=True)
class ApplicantRow:
    pk: int
    full_name: str
    iin_masked: str
    phone: str
    region: str
    status: str
    status_label: str
    availability: list[str]
    progress: Progress
    attended: frozenset[int]


def mask_iin(iin: str) -> str:
    """Only the last 4 digits: "••••••••1234"."""
    return "•" * max(0, len(iin) - 4) + iin[-4:]


def hqs_of(user: Any, organisation: Organisation) -> list[Headquarters]:
    """The headquarters whose applicants `user` sees (refused if they coordinate none);
    the other functions take this list, so the check is made once per page."""
    require_coordinator(user, organisation)
    found = Headquarters.objects.filter(organisation=organisation)
    if not user.has_perm(HEADQUARTERS):
        found = found.filter(coordinators=user)
    return list(found)


def _observers(hqs: list[Headquarters]) -> QuerySet[Observer]:
    organisations = {hq.organisation_id for hq in hqs}
    return Observer.objects.filter(
        organisation_id__in=organisations, region__in=[hq.region for hq in hqs]
    )


def applicant_of(hqs: list[Headquarters], pk: Any) -> Observer:
    found = _observers(hqs).filter(pk=pk).first() if str(pk).isdigit() else None
    if found is None:
        raise NotFound(_("There is no such applicant in your regions."))
    return found


def sessions_of(hqs: list[Headquarters]) -> list[TrainingSession]:
    return list(TrainingSession.objects.filter(hq__in=hqs).select_related("hq"))


def session_of(hqs: list[Headquarters], pk: Any) -> TrainingSession:
    found = TrainingSession.objects.filter(hq__in=hqs, pk=pk).first() if str(pk).isdigit() else None
    if found is None:
        raise NotFound(_("There is no such training session."))
    return found


def _count(rows: QuerySet[Any], field: str) -> Coalesce:
    counted = rows.order_by().values("observer").annotate(n=Count(field, distinct=True))
    return Coalesce(Subquery(counted.values("n")), Value(0), output_field=IntegerField())


def rows(
    hqs: list[Headquarters], organisation: Organisation, status: str = ""
) -> list[ApplicantRow]:
    """The applicants of `hqs` (filtered by `status` if given), newest first, with their
    progress (`recruitment.progress`'s numbers, for all of them at once)."""
    found = _observers(hqs).select_related("phone_check")
    if status:
        found = found.filter(status=status)
    passed = QuizAttempt.objects.filter(
        observer=OuterRef("pk"), passed=True, module__organisation_id=organisation.pk
    )
    attended_rows = TrainingSession.attendees.through.objects.filter(observer=OuterRef("pk"))
    found = found.annotate(
        passed_count=_count(passed, "module"), sessions_count=_count(attended_rows, "pk")
    ).order_by("-created_at", "-pk")
    observers = list(found)
    modules = TrainingModule.objects.filter(organisation=organisation).count()
    attended: dict[int, set[int]] = defaultdict(set)
    through = TrainingSession.attendees.through.objects.filter(
        observer_id__in=[o.pk for o in observers]
    ).values_list("observer_id", "trainingsession_id")
    for observer_id, session_id in through:
        attended[observer_id].add(session_id)
    labels = dict(Observer.Status.choices)
    phases = dict(Checklist.Phase.choices)
    result = []
    for o in observers:
        check = getattr(o, "phone_check", None)
        progress = Progress(
            status=o.status,
            phone_verified=check is not None and check.verified_at is not None,
            modules_passed=o.passed_count,
            modules=modules,
            sessions_attended=o.sessions_count,
        )
        result.append(
            ApplicantRow(
                o.pk,
                o.full_name,
                mask_iin(o.iin),
                o.phone,
                o.region,
                o.status,
                str(labels.get(o.status, o.status)),
                [str(phases.get(p, p)) for p in (check.availability if check else [])],
                progress,
                frozenset(attended[o.pk]),
            )
        )
    return result
