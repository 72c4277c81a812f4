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


class PlanDoesNotFit(ValueError):
    """The plan asks for more than the election has: `wanted` of `what` ("stations",
    "districts", "winners"), `available` there."""

    def __init__(self, what: str, wanted: int, available: int) -> None:
        super().__init__(f"{wanted} {what} to sanction, the election has {available}")
        self.what, self.wanted, self.available = what, wanted, available


def impose(
    plan: SanctionPlan,
    manifest: Manifest,
    station_codes: Sequence[str],
    unsanctioned: Mapping[str, Any],
) -> list[Sanction]:
    """The sanctions: a warning first (it changes nothing), then the first stations by code
    annulled, the winner of the first contests that have one (in the consolidation without
    sanctions) deregistered in its district, and the last districts annulled (one district at
    least stays). PlanDoesNotFit if the election has too few of any."""
    if plan.annul_stations > len(station_codes):
        raise PlanDoesNotFit("stations", plan.annul_stations, len(station_codes))
    if plan.annul_districts and plan.annul_districts >= len(manifest.districts):
        raise PlanDoesNotFit("districts", plan.annul_districts, len(manifest.districts) - 1)
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
        raise PlanDoesNotFit("winners", plan.deregister, len(won))
    for district, contest, option in won[: plan.deregister]:
        where = {"district": district, "contest": contest, "option": option}
        out.append(_sanction(len(out) + 1, DEREGISTER_CANDIDATE, **where))
    for d in manifest.districts[len(manifest.districts) - plan.annul_districts :]:
        out.append(_sanction(len(out) + 1, ANNUL_DISTRICT, district=d.id))
    return out
