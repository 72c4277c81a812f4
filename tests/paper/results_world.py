"""An election for the results tests: the demo's sample manifest (KZ-75 and KZ-71, a
vote-for-1 seat each and a shared vote-for-up-to-2 council), paper stations and accepted
protocols made directly with the ORM (the protocol workflow's contract), and a decrypted
online tally as results.json."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from saylau.demo import play as demo
from saylau.elections import services
from saylau.elections.models import Election, Status, Tally
from saylau.paper.models import Protocol
from saylau.protocol.manifest import manifest_from_json
from saylau.stations.models import Station

SLUG = "paper-results"
SEAT = "kz-75-seat"


def lines(valid: int, invalid: int = 1, *, extra_issued: int = 2) -> dict[str, int]:
    """Count lines that satisfy every control relation for `valid` and `invalid` ballots."""
    in_boxes = valid + invalid
    issued = in_boxes + extra_issued
    return {
        "voters_on_list": issued + 20,
        "ballots_received": issued + 7,
        "ballots_issued": issued,
        "ballots_cancelled": 5,
        "ballots_spoiled": 2,
        "ballots_lost": 0,
        "ballots_in_boxes": in_boxes,
        "invalid": invalid,
        "valid": valid,
    }


def scan_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def protocol(
    station: Station,
    contest: str,
    options: dict[str, int],
    *,
    revision: int = 1,
    status: str = Protocol.Status.ACCEPTED,
    reason: str = "",
    valid: int | None = None,
) -> Protocol:
    """A protocol of `station` for `contest`; valid ballots = the votes unless given."""
    return Protocol.objects.create(
        election_id=station.election_id,
        station=station,
        contest=contest,
        revision=revision,
        status=status,
        reason=reason,
        counts=lines(sum(options.values()) if valid is None else valid),
        options=options,
        scan_sha256=scan_hash(f"{station.code}/{contest}/{revision}"),
    )


def zeros(election: Election, contest: str) -> dict[str, int]:
    manifest = manifest_from_json(election.manifest)
    return {o.id: 0 for o in manifest.contest(contest).options}


def votes(election: Election, contest: str, **given: int) -> dict[str, int]:
    """Every option of `contest` at 0 but the given ones (keyword = the option's suffix:
    c1 for "<contest>-1", aa for "against all")."""
    out = zeros(election, contest)
    for suffix, n in given.items():
        out[f"{contest}-{suffix.removeprefix('c')}"] = n
    return out


def online_results(election: Election, counts: dict[str, dict[str, dict[str, int]]]) -> dict:
    """results.json with `counts` (district → contest → option → votes; the rest 0)."""
    manifest = manifest_from_json(election.manifest)
    districts: dict[str, Any] = {}
    for d in manifest.districts:
        contests = {}
        for c in manifest.contests_for(d.id):
            given = counts.get(d.id, {}).get(c.id, {})
            contests[c.id] = {o.id: given.get(o.id, 0) for o in c.options}
        districts[d.id] = {"ballots_counted": 10, "contests": contests}
    return {"schema": "saylau-results/1", "districts": districts}


def mark_tallied(election: Election, results: dict) -> None:
    """The election tallied with `results` as its decrypted online counts."""
    Tally.objects.update_or_create(
        election=election, defaults={"sums": {}, "counts": {}, "results": results}
    )
    election.status = Status.TALLIED
    election.save(update_fields=["status"])


@dataclass
class ResultsWorld:
    election: Election
    stations: dict[str, Station] = field(default_factory=dict)


def add_paper(election: Election) -> dict[str, Station]:
    """Three paper stations (two in KZ-75, one in KZ-71) and their protocols: S-001's KZ-75
    seat recounted (revision 1 superseded, 2 accepted, 3 a draft), S-101's revision 2 in
    conflict."""
    stations = {}
    for number, (code, district) in enumerate(
        [("S-001", "KZ-75"), ("S-002", "KZ-75"), ("S-101", "KZ-71")], start=1
    ):
        stations[code] = Station.objects.create(
            election=election,
            code=code,
            number=number,
            district=district,
            address=f"Street {number}",
        )
    s1, s2, s3 = stations.values()
    e = election
    protocol(s1, SEAT, votes(e, SEAT, c1=3, c2=4), status=Protocol.Status.SUPERSEDED)
    protocol(
        s1, SEAT, votes(e, SEAT, c1=3, c2=3), revision=2, reason="A bundle of ballots was misread"
    )
    protocol(
        s1,
        SEAT,
        votes(e, SEAT, c1=9),
        revision=3,
        reason="Asked again",
        status=Protocol.Status.DRAFT,
    )
    protocol(s2, SEAT, votes(e, SEAT, c1=2, c2=1, c3=1))
    protocol(s1, "council", votes(e, "council", c1=10, c2=8, aa=1), valid=10)
    protocol(s3, "kz-71-seat", votes(e, "kz-71-seat", c1=5, c2=4))
    protocol(
        s3,
        "kz-71-seat",
        votes(e, "kz-71-seat", c1=50),
        revision=2,
        reason="Asked",
        status=Protocol.Status.CONFLICT,
    )
    return stations


def results_world(*, tallied: bool = True, names: bool = True) -> ResultsWorld:
    """A closed election with three paper stations (two in KZ-75, one in KZ-71) and their
    protocols; KZ-75's seat ends in a tie (7 : 7), KZ-71's seat in a 2-vote margin (9 : 7),
    the council in KZ-75 clearly. Station S-001's KZ-75 seat protocol was recounted."""
    manifest = demo.sample_manifest(SLUG)
    if names:
        city = {"KZ-75": ("Алматы", "Алматы", "Almaty"), "KZ-71": ("Астана", "Астана", "Astana")}
        for d in manifest["districts"]:
            d["name"] = dict(zip(("kk", "ru", "en"), city[d["id"]], strict=True))
    election = services.create_election(manifest, actor="test", trustees=3, threshold=2)
    election.status = Status.CLOSED
    election.save(update_fields=["status"])
    world = ResultsWorld(election, add_paper(election))
    if tallied:
        online = {
            "KZ-75": {SEAT: {f"{SEAT}-1": 2, f"{SEAT}-2": 3}, "council": {"council-1": 4}},
            "KZ-71": {"kz-71-seat": {"kz-71-seat-1": 4, "kz-71-seat-2": 3}},
        }
        mark_tallied(election, online_results(election, online))
    return world
