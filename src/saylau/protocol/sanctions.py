"""Sanctions of the party control committee, as the election record carries them
(`sanctions.json`, docs/protocol.md §14).

A sanction is the operative part of a final committee decision. Three kinds change the
result: a deregistered candidate (an option of one contest, in one district or in all), an
annulled station (its paper protocols leave the consolidation) and an annulled district
(its contests have no winner: "annulled — re-vote"). A warning and a member's exclusion are
published but change no count. Only the kinds, ids and dates are here: no personal data.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from saylau.protocol.errors import ProtocolError
from saylau.protocol.manifest import Contest, Manifest

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
    def from_json(cls, data: Any) -> Sanction:
        """Raise `SanctionProblem` unless `data` is an object with the four required fields,
        at most the optional ones besides, and every value a non-empty string."""
        if not isinstance(data, Mapping) or not set(REQUIRED) <= set(data) <= set(FIELDS):
            raise SanctionProblem(
                "sanction.keys",
                "a sanction has the wrong keys",
                keys=", ".join(REQUIRED),
                optional=", ".join(OPTIONAL),
            )
        for key in FIELDS:
            value = data.get(key, "-")
            if not isinstance(value, str) or not value:
                raise SanctionProblem("sanction.text", f"{key} is not a text", key=repr(key))
        return cls(**{k: data.get(k) for k in FIELDS})  # type: ignore[arg-type]  # checked


REQUIRED = ("id", "kind", "decision", "decided_at")
OPTIONAL = ("district", "contest", "option", "station")
FIELDS = REQUIRED + OPTIONAL
DOCUMENT_KEYS = frozenset({"schema", "deregistered_votes", "sanctions"})


class SanctionProblem(ProtocolError):
    """A sanction that is malformed or does not fit the manifest; `code` names which (a code
    of protocol.failures.MESSAGES, whose template `params` fill)."""

    def __init__(self, code: str, detail: str, **params: str | int) -> None:
        super().__init__(detail)
        self.code = code
        self.params = params
        self.item = ""  # "sanction <id>" once the sanction is read


#: The optional fields a result-changing kind must leave out (they would mean nothing).
UNUSED: dict[str, tuple[str, ...]] = {
    DEREGISTER_CANDIDATE: ("station",),
    ANNUL_STATION: ("contest", "option"),
    ANNUL_DISTRICT: ("option", "station"),
}


def _problem(s: Sanction, code: str, detail: str, **params: str | int) -> SanctionProblem:
    problem = SanctionProblem(code, f"sanction {s.id}: {detail}", **params)
    problem.item = f"sanction {s.id}"
    return problem


def _deregister_problem(ballot: Sequence[Contest], s: Sanction) -> SanctionProblem | None:
    contest = next((c for c in ballot if c.id == s.contest), None)
    if contest is None:
        return _problem(s, "sanction.contest", f"no contest {s.contest!r}", contest=repr(s.contest))
    option = next((o for o in contest.options if o.id == s.option), None)
    if option is None or option.against_all:
        return _problem(
            s,
            "sanction.option",
            f"no candidate {s.option!r}",
            option=repr(s.option),
            contest=repr(s.contest),
        )
    return None


def _station_problem(stations: Mapping[str, str], s: Sanction) -> SanctionProblem | None:
    district = stations.get(s.station or "")
    if district is None:
        return _problem(s, "sanction.station", f"no station {s.station!r}", station=repr(s.station))
    if s.district is not None and s.district != district:
        return _problem(
            s,
            "sanction.station_district",
            f"station {s.station!r} is in district {district!r}",
            station=repr(s.station),
            expected=repr(district),
            district=repr(s.district),
        )
    return None


def _district_problem(ballot: Sequence[Contest], s: Sanction) -> SanctionProblem | None:
    if s.district is None:
        return _problem(s, "sanction.no_district", "names no district")
    if s.contest is not None and s.contest not in {c.id for c in ballot}:
        return _problem(s, "sanction.contest", f"no contest {s.contest!r}", contest=repr(s.contest))
    return None


def _kind_problem(
    manifest: Manifest, s: Sanction, stations: Mapping[str, str]
) -> SanctionProblem | None:
    """The first way `s` does not fit the manifest and the stations (None: it fits)."""
    if s.kind not in KINDS:
        return _problem(s, "sanction.kind", f"unknown kind {s.kind!r}", kind=repr(s.kind))
    for key in UNUSED.get(s.kind, ()):
        if getattr(s, key) is not None:
            return _problem(s, "sanction.field", f"a {s.kind} names no {key}", kind=s.kind, key=key)
    if s.district is not None and s.district not in {d.id for d in manifest.districts}:
        return _problem(
            s, "sanction.district", f"no district {s.district!r}", district=repr(s.district)
        )
    ballot = manifest.contests if s.district is None else manifest.contests_for(s.district)
    if s.kind == DEREGISTER_CANDIDATE:
        return _deregister_problem(ballot, s)
    if s.kind == ANNUL_STATION:
        return _station_problem(stations, s)
    if s.kind == ANNUL_DISTRICT:
        return _district_problem(ballot, s)
    return None


def problems(
    manifest: Manifest, sanctions: Iterable[Sanction], stations: Mapping[str, str]
) -> list[SanctionProblem]:
    """Every sanction that repeats an earlier id or names something that does not exist, in
    order (one problem per sanction: the first). `stations`: station code → its district id
    (the record's paper/stations.json)."""
    found: list[SanctionProblem] = []
    seen: set[str] = set()
    for s in sanctions:
        problem: SanctionProblem | None
        if s.id in seen:
            problem = _problem(s, "sanction.duplicate", "appears twice", id=repr(s.id))
        else:
            problem = _kind_problem(manifest, s, stations)
        seen.add(s.id)
        if problem is not None:
            found.append(problem)
    return found


def check(manifest: Manifest, sanctions: Iterable[Sanction], stations: Mapping[str, str]) -> None:
    """Raise the first `SanctionProblem` of `problems` (every sanction names things that
    exist, and only the fields its kind uses)."""
    found = problems(manifest, sanctions, stations)
    if found:
        raise found[0]


def document(sanctions: Iterable[Sanction], vote_rule: str) -> dict[str, Any]:
    """The `sanctions.json` document, sanctions in the order given (the register's)."""
    return {
        "schema": SANCTIONS_SCHEMA,
        "deregistered_votes": vote_rule,
        "sanctions": [s.to_json() for s in sanctions],
    }


def from_document(data: Any) -> tuple[str, tuple[Sanction, ...]]:
    """(vote rule, sanctions) from a `sanctions.json` document; `SanctionProblem` for the
    first thing wrong with its shape (not yet checked against the manifest: `problems`)."""
    if not isinstance(data, Mapping) or data.get("schema") != SANCTIONS_SCHEMA:
        raise SanctionProblem(
            "sanction.schema", f"not a {SANCTIONS_SCHEMA} document", schema=repr(SANCTIONS_SCHEMA)
        )
    if set(data) != DOCUMENT_KEYS:
        raise SanctionProblem("sanctions.keys", "wrong keys", keys=", ".join(sorted(DOCUMENT_KEYS)))
    rule = data["deregistered_votes"]
    if rule not in VOTE_RULES:
        raise SanctionProblem(
            "sanction.rule",
            f"unknown deregistered_votes {rule!r}",
            rule=repr(rule) if isinstance(rule, str) else "?",
            rules=", ".join(VOTE_RULES),
        )
    items = data["sanctions"]
    if not isinstance(items, list):
        raise SanctionProblem("sanctions.not_list", "sanctions is not a list")
    return rule, tuple(Sanction.from_json(item) for item in items)
