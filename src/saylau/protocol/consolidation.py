"""Consolidated results: the verified online tally plus the accepted paper protocols, per
district and contest, with the winners by the contest's rule and the recount flag
(docs/protocol.md §13.4).

The rule. A contest fills k = max_marks seats. Let A be the total of its "against all"
option (0 if it has none) and v₍k+1₎ the (k+1)-th largest total of its ordinary options (0 if
there are at most k). The *bar* is b = max(A, v₍k+1₎): an ordinary option wins iff its total
is above the bar. If fewer than k win and an ordinary option with a total above 0 stands at
the bar, the contest is a *tie*. The *margin* is 0 for a tie; otherwise the lowest winner's
total minus the bar, or, with no winner, the bar minus the best ordinary total. A tie, or a
margin at or under the recount threshold in a contest with any vote, flags a recount.

Sanctions (docs/protocol.md §14.3): an annulled station's protocols leave the sums; a
deregistered candidate's votes leave the totals (shown under `excluded`; under the "invalid"
rule they are also added to the contest's `invalid`), so the candidate cannot win; an
annulled district or contest has no winner, no tie, no margin and no recount: re-vote.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from saylau.protocol.manifest import Contest, Manifest
from saylau.protocol.sanctions import (
    ANNUL_DISTRICT,
    ANNUL_STATION,
    DEREGISTER_CANDIDATE,
    INVALID,
    SET_ASIDE,
    Sanction,
)

CONSOLIDATION_SCHEMA = "saylau-consolidation/1"
DEFAULT_RECOUNT_MARGIN = 2


@dataclass(frozen=True)
class Decision:
    winners: tuple[str, ...]  # option ids, best first (manifest order among equals)
    tie: bool
    margin: int | None  # None: the contest has no ordinary option
    recount: bool


def decide(contest: Contest, totals: Mapping[str, int], recount_margin: int) -> Decision:
    """The winners of `contest` given each option's total, by the rule above."""
    aa = contest.against_all_index
    against = totals.get(contest.options[aa].id, 0) if aa is not None else 0
    ordinary = [o.id for j, o in enumerate(contest.options) if j != aa]
    ranked = sorted(ordinary, key=lambda oid: -totals.get(oid, 0))  # stable: manifest order
    k = contest.max_marks
    if not ranked:
        return Decision((), False, None, False)
    next_best = totals.get(ranked[k], 0) if len(ranked) > k else 0
    bar = max(against, next_best)
    winners = tuple(oid for oid in ranked if totals.get(oid, 0) > bar)
    tie = len(winners) < k and any(totals.get(oid, 0) == bar > 0 for oid in ranked)
    if tie:
        margin = 0
    elif winners:
        margin = min(totals.get(oid, 0) for oid in winners) - bar
    else:
        margin = bar - totals.get(ranked[0], 0)
    voted = any(totals.get(o.id, 0) for o in contest.options)
    return Decision(winners, tie, margin, tie or (voted and margin <= recount_margin))


def _zero(contest: Contest) -> dict[str, int]:
    return {o.id: 0 for o in contest.options}


@dataclass(frozen=True)
class Effects:
    """What a list of sanctions does to the consolidation."""

    annulled_stations: frozenset[str]
    deregistered: frozenset[tuple[str | None, str, str]]  # (district or None: all, contest, option)
    annulled: frozenset[tuple[str, str | None]]  # (district, contest or None: all)

    @classmethod
    def of(cls, sanctions: Iterable[Sanction]) -> Effects:
        items = list(sanctions)
        return cls(
            frozenset(s.station for s in items if s.kind == ANNUL_STATION and s.station),
            frozenset(
                (s.district, s.contest, s.option)
                for s in items
                if s.kind == DEREGISTER_CANDIDATE and s.contest and s.option
            ),
            frozenset(
                (s.district, s.contest) for s in items if s.kind == ANNUL_DISTRICT and s.district
            ),
        )

    def excluded(self, district: str, contest: Contest) -> list[str]:
        """The options of `contest` deregistered in `district`, in manifest order."""
        return [
            o.id
            for o in contest.options
            if (district, contest.id, o.id) in self.deregistered
            or (None, contest.id, o.id) in self.deregistered
        ]

    def is_annulled(self, district: str, contest: str) -> bool:
        return (district, None) in self.annulled or (district, contest) in self.annulled


def _start(manifest: Manifest, online: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    districts: dict[str, Any] = {}
    for d in manifest.districts:
        got = online.get(d.id, {})
        contests = {}
        for c in manifest.contests_for(d.id):
            on = dict(_zero(c), **got.get("contests", {}).get(c.id, {}))
            contests[c.id] = {
                "online": on,
                "paper": _zero(c),
                "paper_valid": 0,
                "paper_invalid": 0,
                "paper_stations": 0,
            }
        districts[d.id] = {"online_ballots": got.get("ballots_counted", 0), "contests": contests}
    return districts


def _add_paper(
    districts: dict[str, Any], protocols: Iterable[Mapping[str, Any]], effects: Effects
) -> None:
    for p in protocols:
        entry = districts[p["district"]]["contests"][p["contest"]]
        if p["station"] in effects.annulled_stations:
            entry["annulled_stations"] = sorted({*entry.get("annulled_stations", ()), p["station"]})
            continue
        for oid, votes in p["options"].items():
            entry["paper"][oid] += votes
        entry["paper_valid"] += p["counts"]["valid"]
        entry["paper_invalid"] += p["counts"]["invalid"]
        entry["paper_stations"] += 1


def _decide(
    entry: dict[str, Any],
    district: str,
    c: Contest,
    effects: Effects,
    vote_rule: str,
    recount_margin: int,
) -> None:
    entry["total"] = {o.id: entry["online"][o.id] + entry["paper"][o.id] for o in c.options}
    excluded = {oid: entry["total"][oid] for oid in effects.excluded(district, c)}
    if excluded:
        entry["excluded"] = excluded
        entry["total"].update(dict.fromkeys(excluded, 0))
        added = sum(excluded.values()) if vote_rule == INVALID else 0
        entry["invalid"] = entry["paper_invalid"] + added
    if effects.is_annulled(district, c.id):
        entry.update(annulled=True, winners=[], tie=False, margin=None, recount=False)
        return
    decision = decide(c, entry["total"], recount_margin)
    entry["winners"] = list(decision.winners)
    entry["tie"] = decision.tie
    entry["margin"] = decision.margin
    entry["recount"] = decision.recount


def consolidate(
    manifest: Manifest,
    online: Mapping[str, Mapping[str, Any]],
    protocols: Iterable[Mapping[str, Any]],
    recount_margin: int = DEFAULT_RECOUNT_MARGIN,
    sanctions: Sequence[Sanction] = (),
    vote_rule: str = SET_ASIDE,
) -> dict[str, Any]:
    """The consolidation document (`saylau-consolidation/1`).

    `online`: the verified online counts, district → {"ballots_counted": n, "contests":
    {contest → {option → votes}}} (results.json's shape; a district with no online ballot may
    be absent). `protocols`: the protocols that count, one per station and contest (the last
    accepted revision), each with `station`, `district`, `contest`, `counts` and `options`
    already checked against the manifest. `sanctions` (already checked against the manifest
    and the stations, protocol.sanctions.check) and `vote_rule`: sanctions.json's; with no
    sanction the document is exactly the one of §13.4."""
    effects = Effects.of(sanctions)
    districts = _start(manifest, online)
    _add_paper(districts, protocols, effects)
    for d in manifest.districts:
        for c in manifest.contests_for(d.id):
            entry = districts[d.id]["contests"][c.id]
            _decide(entry, d.id, c, effects, vote_rule, recount_margin)
    document: dict[str, Any] = {
        "schema": CONSOLIDATION_SCHEMA,
        "recount_margin": recount_margin,
        "districts": districts,
    }
    if sanctions:
        document["sanctions"] = [s.id for s in sanctions]
        document["deregistered_votes"] = vote_rule
    return document
