"""Sanctions of the party control committee, as the election record carries them
(`sanctions.json`, docs/protocol.md §14).

A sanction is the operative part of a final committee decision. Three kinds change the
result: a deregistered candidate (an option of one contest, in one district or in all), an
annulled station (its paper protocols leave the consolidation) and an annulled district
(its contests have no winner: "annulled — re-vote"). A warning and a member's exclusion are
published but change no count. Only the kinds, ids and dates are here: no personal data.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from saylau.protocol.errors import ProtocolError
from saylau.protocol.manifest import Manifest

SANCTIONS_SCHEMA = "saylau-sanctions/1"

WARNING = "warning"
DEREGISTER_CANDIDATE = "deregister_candidate"
ANNUL_STATION = "annul_station"
ANNUL_DISTRICT = "annul_district"
EXCLUDE_MEMBER = "exclude_member"
KINDS = (WARNING, DEREGISTER_CANDIDATE, ANNUL_STATION, ANNUL_DISTRICT, EXCLUDE_MEMBER)
RESULT_KINDS = (DEREGISTER_CANDIDATE, ANNUL_STATION, ANNUL_DISTRICT)

# What happens to a deregistered candidate's votes (the election's configured rule):
# "set_aside": they leave the totals and are shown apart as excluded; the other options'
# totals are unchanged. "invalid": the same, and they are added to the contest's invalid count.
SET_ASIDE = "set_aside"
INVALID = "invalid"
VOTE_RULES = (SET_ASIDE, INVALID)


@dataclass(frozen=True)
class Sanction:
    """One sanction. `decision` is the public register's reference of the decision behind
    it (e.g. "PCC-2026-0042"); `decided_at` its final date (ISO 8601, UTC)."""

    id: str
    kind: str
    decision: str
    decided_at: str
    district: str | None = None  # deregister (None: every district), annul_district
    contest: str | None = None  # deregister; annul_district (None: all its contests)
    option: str | None = None  # deregister: the candidate's option id
    station: str | None = None  # annul_station: the station's code

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "kind": self.kind,
            "decision": self.decision,
            "decided_at": self.decided_at,
        }
        for key in ("district", "contest", "option", "station"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Sanction:
        """Raise `SanctionProblem` when a field is missing or of the wrong type."""
        try:
            fields = {k: data[k] for k in ("id", "kind", "decision", "decided_at")}
        except (KeyError, TypeError) as exc:
            raise SanctionProblem("sanction.malformed", f"missing field {exc}") from None
        optional = {k: data.get(k) for k in ("district", "contest", "option", "station")}
        for key, value in {**fields, **optional}.items():
            if value is not None and not isinstance(value, str):
                raise SanctionProblem("sanction.malformed", f"{key} is not a string")
        return cls(**fields, **optional)  # type: ignore[arg-type]  # checked just above


class SanctionProblem(ProtocolError):
    """A sanction that is malformed or does not fit the manifest; `code` names which."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code


def check(manifest: Manifest, sanctions: Iterable[Sanction], stations: Mapping[str, str]) -> None:
    """Raise `SanctionProblem` unless every sanction names things that exist.

    `stations`: station code → its district id (the record's paper/stations.json)."""
    seen: set[str] = set()
    districts = {d.id for d in manifest.districts}
    for s in sanctions:
        where = f"sanction {s.id}"
        if s.id in seen:
            raise SanctionProblem("sanction.duplicate", f"{where} appears twice")
        seen.add(s.id)
        if s.kind not in KINDS:
            raise SanctionProblem("sanction.kind", f"{where}: unknown kind {s.kind!r}")
        if s.district is not None and s.district not in districts:
            raise SanctionProblem("sanction.district", f"{where}: no district {s.district!r}")
        if s.kind == DEREGISTER_CANDIDATE:
            contest = next((c for c in manifest.contests if c.id == s.contest), None)
            if contest is None:
                raise SanctionProblem("sanction.contest", f"{where}: no contest {s.contest!r}")
            option = next((o for o in contest.options if o.id == s.option), None)
            if option is None or option.against_all:
                raise SanctionProblem("sanction.option", f"{where}: no candidate {s.option!r}")
        elif s.kind == ANNUL_STATION:
            if s.station not in stations:
                raise SanctionProblem("sanction.station", f"{where}: no station {s.station!r}")
        elif s.kind == ANNUL_DISTRICT:
            if s.district is None:
                raise SanctionProblem("sanction.district", f"{where}: names no district")
            if s.contest is not None and s.contest not in {
                c.id for c in manifest.contests_for(s.district)
            }:
                raise SanctionProblem("sanction.contest", f"{where}: no contest {s.contest!r}")


def document(sanctions: Iterable[Sanction], vote_rule: str) -> dict[str, Any]:
    """The `sanctions.json` document, sanctions in the order given (the register's)."""
    return {
        "schema": SANCTIONS_SCHEMA,
        "deregistered_votes": vote_rule,
        "sanctions": [s.to_json() for s in sanctions],
    }


def from_document(data: Mapping[str, Any]) -> tuple[str, tuple[Sanction, ...]]:
    """(vote rule, sanctions) from a `sanctions.json` document."""
    if not isinstance(data, Mapping) or data.get("schema") != SANCTIONS_SCHEMA:
        raise SanctionProblem("sanction.schema", f"not a {SANCTIONS_SCHEMA} document")
    rule = data.get("deregistered_votes")
    if rule not in VOTE_RULES:
        raise SanctionProblem("sanction.rule", f"unknown deregistered_votes {rule!r}")
    items = data.get("sanctions")
    if not isinstance(items, list):
        raise SanctionProblem("sanction.malformed", "sanctions is not a list")
    return rule, tuple(Sanction.from_json(item) for item in items)
