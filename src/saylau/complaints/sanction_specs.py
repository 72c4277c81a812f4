"""The sanctions a decision imposes: what the chair names, checked against the election's
manifest, stations and members before anything is stored, and their published shape."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from saylau.complaints import places
from saylau.complaints.errors import SanctionRefused
from saylau.complaints.models import Decision, ImposedSanction
from saylau.elections.models import Election
from saylau.protocol import sanctions as shape
from saylau.registry.models import Member


@dataclass(frozen=True)
class SanctionSpec:
    kind: str
    district: str = ""
    contest: str = ""
    option: str = ""
    station: str = ""
    member_id: int | None = None


def utc_text(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def published(item: ImposedSanction, decision: Decision, index: int) -> shape.Sanction:
    """The record's shape of one sanction (no member id: only the decision is named)."""
    moment = decision.final_at or decision.decided_at
    return shape.Sanction(
        id=f"{decision.reference}-{index}",
        kind=item.kind,
        decision=decision.reference,
        decided_at=utc_text(moment),
        district=item.district or None,
        contest=item.contest or None,
        option=item.option or None,
        station=item.station or None,
    )


def _filled(election: Election, spec: SanctionSpec) -> SanctionSpec:
    """A deregistration's contest from its candidate; kind-irrelevant fields dropped."""
    if spec.kind == shape.DEREGISTER_CANDIDATE:
        manifest = places.manifest_of(election)
        contest = next(
            (c.id for c in manifest.contests if spec.option in {o.id for o in c.options}), ""
        )
        return SanctionSpec(spec.kind, spec.district, contest, spec.option)
    if spec.kind == shape.ANNUL_STATION:
        return SanctionSpec(spec.kind, station=spec.station)
    if spec.kind == shape.ANNUL_DISTRICT:
        return SanctionSpec(spec.kind, spec.district, spec.contest)
    if spec.kind == shape.EXCLUDE_MEMBER:
        return SanctionSpec(spec.kind, member_id=spec.member_id)
    return SanctionSpec(spec.kind)


def checked(election: Election, specs: Sequence[SanctionSpec]) -> list[SanctionSpec]:
    """The specs, filled; SanctionRefused naming the first that names nothing real."""
    out = [_filled(election, s) for s in specs]
    drafts = [
        shape.Sanction(
            f"draft-{i}",
            s.kind,
            "draft",
            "",
            s.district or None,
            s.contest or None,
            s.option or None,
            s.station or None,
        )
        for i, s in enumerate(out)
    ]
    try:
        shape.check(places.manifest_of(election), drafts, places.station_codes(election))
    except shape.SanctionProblem as problem:
        raise SanctionRefused(_refusal(problem.code), field="sanction") from None
    for spec in out:
        if spec.kind == shape.EXCLUDE_MEMBER:
            member = Member.objects.filter(pk=spec.member_id or 0).first()
            if member is None or member.status != Member.Status.ACTIVE:
                raise SanctionRefused(
                    _("There is no active member with this number."), field="member"
                )
    return out


def _refusal(code: str) -> str:
    messages = {
        "sanction.kind": _("Choose the kind of sanction."),
        "sanction.district": _("Name a district of this election."),
        "sanction.contest": _("There is no such contest in this district."),
        "sanction.option": _("There is no such candidate in this election."),
        "sanction.station": _("There is no such station in this election."),
    }
    return messages.get(code, _("This sanction does not fit the election."))
