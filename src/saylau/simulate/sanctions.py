"""Sanctions in a simulated election (docs/protocol.md §14): the committee annuls stations,
deregisters winners and annuls districts, so that `saylau verify` is exercised on records
whose results the sanctions change."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from saylau.protocol.manifest import Manifest
from saylau.protocol.sanctions import (
    ANNUL_DISTRICT,
    ANNUL_STATION,
    DEREGISTER_CANDIDATE,
    SET_ASIDE,
    WARNING,
    Sanction,
)

DECIDED_AT = "2026-06-02T09:00:00Z"


@dataclass(frozen=True)
class SanctionPlan:
    """How many of each sanction to impose, and the election's rule for deregistered votes."""

    annul_stations: int = 0
    deregister: int = 0
    annul_districts: int = 0
    vote_rule: str = SET_ASIDE

    @property
    def any(self) -> bool:
        return bool(self.annul_stations or self.deregister or self.annul_districts)


def _sanction(n: int, kind: str, **where: str) -> Sanction:
    return Sanction(
        id=f"S-{n:04d}",
        kind=kind,
        decision=f"PCC-SIM-{n:04d}",
        decided_at=DECIDED_AT,
        **where,
    )


def plan_problem(plan: SanctionPlan, stations: int, districts: int) -> str | None:
    """Why the plan cannot be carried out in this election (None: it can)."""
    if plan.annul_stations > stations:
        return f"{plan.annul_stations} stations to annul, the election has {stations}"
    if plan.annul_districts >= districts and plan.annul_districts:
        return f"{plan.annul_districts} districts to annul: at least one must stay"
    return None


def impose(
    plan: SanctionPlan,
    manifest: Manifest,
    station_codes: Sequence[str],
    unsanctioned: Mapping[str, Any],
) -> list[Sanction]:
    """The sanctions: a warning first (it changes nothing), then the first stations by code
    annulled, the winner of the first contests that have one (in the consolidation without
    sanctions) deregistered in its district, and the last districts annulled. ValueError if
    the plan does not fit (plan_problem) or too few contests have a winner."""
    problem = plan_problem(plan, len(station_codes), len(manifest.districts))
    if problem:
        raise ValueError(problem)
    out = [_sanction(1, WARNING, district=manifest.districts[0].id)]
    for code in sorted(station_codes)[: plan.annul_stations]:
        out.append(_sanction(len(out) + 1, ANNUL_STATION, station=code))
    won = [
        (d.id, c.id, entry["winners"][0])
        for d in manifest.districts
        for c in manifest.contests_for(d.id)
        if (entry := unsanctioned["districts"][d.id]["contests"][c.id])["winners"]
    ]
    if len(won) < plan.deregister:
        raise ValueError(f"{plan.deregister} winners to deregister, {len(won)} contests have one")
    for district, contest, option in won[: plan.deregister]:
        where = {"district": district, "contest": contest, "option": option}
        out.append(_sanction(len(out) + 1, DEREGISTER_CANDIDATE, **where))
    for d in manifest.districts[len(manifest.districts) - plan.annul_districts :]:
        out.append(_sanction(len(out) + 1, ANNUL_DISTRICT, district=d.id))
    return out
