"""Paper polling stations in a simulated election: the stations spread over the districts,
which paper voter votes where, each station's protocol per contest (consistent with every
control relation), one recount, and the consolidation — the paper part of the record
(docs/protocol.md §13), written with the same builders as the server's publication."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from saylau.protocol import sanctions as record_sanctions
from saylau.protocol.consolidation import DEFAULT_RECOUNT_MARGIN
from saylau.protocol.documents import (
    CONSOLIDATION,
    PROTOCOLS,
    SANCTIONS,
    STATIONS,
    consolidation_document,
    protocol_line,
    protocols_lines,
    stations_document,
)
from saylau.protocol.manifest import Contest, Manifest
from saylau.protocol.paper_protocol import ProtocolCounts
from saylau.simulate.sanctions import SanctionPlan, impose

RECOUNT_REASON = "recount requested by an observer: one ballot was put on the wrong pile"

Marks = Callable[[Contest, random.Random], list[int]]


@dataclass
class PaperStations:
    """The stations of a simulated election and the paper voters of each."""

    stations: list[dict[str, Any]]
    by_district: dict[str, list[str]]
    voters: dict[str, list[int]] = field(default_factory=dict)  # station code → voters

    @classmethod
    def spread(cls, district_ids: Sequence[str], n: int) -> PaperStations:
        """`n` stations, station k in district k mod the number of districts."""
        stations: list[dict[str, Any]] = []
        by_district: dict[str, list[str]] = {d: [] for d in district_ids}
        for k in range(n):
            district = district_ids[k % len(district_ids)]
            code = f"PS-{k + 1:04d}"
            stations.append(
                {
                    "code": code,
                    "number": k + 1,
                    "district": district,
                    "address": f"{district}, school No. {k + 1}",
                }
            )
            by_district[district].append(code)
        return cls(stations, by_district)

    def station_for(self, voter: int, district: str) -> str | None:
        """The station of a member of `district` who votes on paper (None: the district has
        no paper station, so its members vote online)."""
        codes = self.by_district.get(district) or []
        return codes[voter % len(codes)] if codes else None

    def mark(self, voter: int, district: str) -> str:
        code = self.station_for(voter, district)
        if code is None:
            raise ValueError(f"district {district} has no paper station")
        self.voters.setdefault(code, []).append(voter)
        return code


def _scan(seed: str, station: str, contest: str, revision: int) -> str:
    return hashlib.sha256(f"{seed}/scan/{station}/{contest}/{revision}".encode()).hexdigest()


def station_counts(
    contest: Contest, came: int, rnd: random.Random, choose_marks: Marks
) -> ProtocolCounts:
    """A protocol consistent with every control relation: `came` voters got a ballot each."""
    cancelled, spoiled = rnd.randint(0, 5), rnd.randint(0, 1)
    invalid = rnd.randint(0, min(1, came))
    votes = [0] * len(contest.options)
    for _ in range(came - invalid):
        for j, m in enumerate(choose_marks(contest, rnd)):
            votes[j] += m
    return ProtocolCounts(
        voters_on_list=came + rnd.randint(0, 3),
        ballots_received=came + cancelled + spoiled,
        ballots_issued=came,
        ballots_cancelled=cancelled,
        ballots_spoiled=spoiled,
        ballots_lost=0,
        ballots_in_boxes=came,
        invalid=invalid,
        valid=came - invalid,
        options=tuple(votes),
    )


def recounted(p: ProtocolCounts) -> ProtocolCounts:
    """The recount: one ballot of the leading option belonged to the next one."""
    votes = list(p.options)
    top = max(range(len(votes)), key=lambda j: votes[j])
    if votes[top] > 0 and len(votes) > 1:
        votes[top] -= 1
        votes[(top + 1) % len(votes)] += 1
    return ProtocolCounts(**p.lines(), options=tuple(votes))


def protocols(
    manifest: Manifest, plan: PaperStations, seed: str, choose_marks: Marks
) -> list[dict[str, Any]]:
    """Every published protocol line: one per station and contest, and a revision 2 (with
    its reason) for the first contest of the first station."""
    lines: list[dict[str, Any]] = []
    for st in plan.stations:
        came = len(plan.voters.get(st["code"], []))
        for contest in manifest.contests_for(st["district"]):
            rnd = random.Random(f"{seed}/paper/{st['code']}/{contest.id}")
            counts = station_counts(contest, came, rnd, choose_marks)
            option_ids = [o.id for o in contest.options]
            revisions = [(1, "", counts)]
            if not lines:
                revisions.append((2, RECOUNT_REASON, recounted(counts)))
            for rev, reason, c in revisions:
                lines.append(
                    protocol_line(
                        st["code"],
                        st["district"],
                        contest.id,
                        rev,
                        reason,
                        c,
                        option_ids,
                        _scan(seed, st["code"], contest.id, rev),
                    )
                )
    return lines


def paper_files(
    manifest: Manifest,
    plan: PaperStations | None,
    online: Mapping[str, Mapping[str, Any]],
    seed: str,
    choose_marks: Marks,
    sanction_plan: SanctionPlan | None = None,
) -> dict[str, Any]:
    """The record's paper files: name → document (JSON) or list of line bytes (.jsonl);
    with sanctions, also sanctions.json (and, with no station, an empty station list)."""
    plan = plan or PaperStations([], {})
    lines = protocols(manifest, plan, seed, choose_marks)
    consolidation = consolidation_document(manifest, online, lines, DEFAULT_RECOUNT_MARGIN)
    files: dict[str, Any] = {
        STATIONS: stations_document(plan.stations),
        PROTOCOLS: protocols_lines(lines),
        CONSOLIDATION: consolidation,
    }
    if sanction_plan is not None and sanction_plan.any:
        codes = [st["code"] for st in plan.stations]
        imposed = impose(sanction_plan, manifest, codes, consolidation)
        rule = sanction_plan.vote_rule
        files[SANCTIONS] = record_sanctions.document(imposed, rule)
        files[CONSOLIDATION] = consolidation_document(
            manifest, online, lines, DEFAULT_RECOUNT_MARGIN, imposed, rule
        )
    return files
