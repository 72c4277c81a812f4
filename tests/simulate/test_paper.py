"""A simulated election with paper stations: the stations spread over the districts, the
overrides name them, each protocol holds every control relation, one recount, and the
consolidation is online + the counting revisions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from saylau.protocol.canonical import canonical_json
from saylau.protocol.consolidation import consolidate
from saylau.protocol.documents import CONSOLIDATION, PROTOCOLS, STATIONS, counting_protocols
from saylau.protocol.manifest import Manifest, manifest_from_json
from saylau.protocol.paper_protocol import check_relations, counts_from_json
from saylau.simulate.run import SimConfig, run


@pytest.fixture(scope="module")
def record(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sim-paper") / "rec"
    run(
        SimConfig(voters=50, paper_rate=0.3, paper_stations=5, out=out, workers=1, seed="sim-paper")
    )
    return out


def load(record: Path, name: str) -> Any:
    return json.loads((record / name).read_text())


def lines(record: Path) -> list[dict[str, Any]]:
    return [json.loads(x) for x in (record / PROTOCOLS).read_bytes().splitlines()]


def manifest(record: Path) -> Manifest:
    return manifest_from_json(load(record, "manifest.json"))


def test_stations_spread_over_the_districts(record: Path) -> None:
    stations = load(record, STATIONS)["stations"]
    assert [s["code"] for s in stations] == [f"PS-{k:04d}" for k in range(1, 6)]
    assert {s["district"] for s in stations} == {d.id for d in manifest(record).districts}
    assert (record / STATIONS).read_bytes() == canonical_json(load(record, STATIONS))


def test_every_protocol_holds_and_one_is_recounted(record: Path) -> None:
    m = manifest(record)
    found = lines(record)
    for line in found:
        contest = m.contest(line["contest"])
        ids = [o.id for o in contest.options]
        p = counts_from_json(line["counts"], line["options"], ids, "line")
        assert check_relations(p, min_marks=contest.min_marks, max_marks=contest.max_marks) == []
    recounts = [x for x in found if x["revision"] > 1]
    assert len(recounts) == 1 and recounts[0]["revision"] == 2 and recounts[0]["reason"]
    assert len(found) == 5 * 2 + 1  # two contests per district's ballot


def test_overrides_are_the_stations_paper_voters(record: Path) -> None:
    leaves = [json.loads(x) for x in (record / "board/leaves.jsonl").read_bytes().splitlines()]
    per_station: dict[str, int] = {}
    for e in leaves:
        if e["type"] == "paper_override":
            per_station[e["precinct"]] = per_station.get(e["precinct"], 0) + 1
    issued = {x["station"]: x["counts"]["ballots_issued"] for x in lines(record)}
    assert per_station and all(n == issued[s] for s, n in per_station.items())
    online = {e["ballot"]["credential"] for e in leaves if e["type"] in ("cast", "revote")}
    paper = {e["credential"] for e in leaves if e["type"] == "paper_override"}
    assert online & paper  # some paper voters had also voted online


def test_the_consolidation_is_online_plus_the_counting_revisions(record: Path) -> None:
    online = load(record, "results.json")["districts"]
    expected = consolidate(manifest(record), online, counting_protocols(lines(record)))
    assert load(record, CONSOLIDATION) == expected
