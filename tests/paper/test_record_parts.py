"""The record's paper part: paper/stations.json, paper/protocols.jsonl and consolidation.json
exactly as the formats fix them, listed in record.json, re-derivable from the record alone;
a record with them still verifies; an election without paper stations writes none."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from saylau.demo import play as demo
from saylau.elections import publication, services
from saylau.elections.models import Status
from saylau.paper.record_parts import write_paper_part
from saylau.protocol.canonical import canonical_json
from saylau.protocol.consolidation import consolidate
from saylau.protocol.documents import CONSOLIDATION, PROTOCOLS, STATIONS
from saylau.protocol.manifest import manifest_from_json
from saylau.protocol.paper_protocol import FIELDS, check_relations, counts_from_json
from saylau.record.verify import verify_record
from tests.elections.conftest import close_roll, through_stage
from tests.elections.memory_board import MemoryBoard
from tests.paper.results_world import add_paper

pytestmark = pytest.mark.django_db
SLUG = "paper-record"
ROLL = {"KZ-75": 3, "KZ-71": 2}
HEX64 = re.compile(r"[0-9a-f]{64}")


@pytest.fixture
def memory_board(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    settings.SAYLAU_BOARD_SOURCE = MemoryBoard
    MemoryBoard.reset()
    yield MemoryBoard
    MemoryBoard.reset()


def published(paper: bool) -> Path:
    """An election taken through a real tally and published; with `paper`, stations and
    protocols added before publication. Returns the record directory."""
    election = services.create_election(
        demo.sample_manifest(SLUG), actor="test", trustees=3, threshold=2
    )
    close_roll(SLUG, ROLL)
    election, _info = through_stage(election, Status.TALLIED)
    if paper:
        add_paper(election)
    election = services.transition(election, Status.PUBLISHED, actor="test")
    return services.records_dir(election)


def read_json(path: Path):
    raw = path.read_bytes()
    value = json.loads(raw)
    assert raw == canonical_json(value), f"{path.name} is not canonical JSON"
    return value


def test_the_paper_part_is_registered_once():
    assert write_paper_part in publication.record_parts()
    publication.register_record_part(write_paper_part)
    assert publication.record_parts().count(write_paper_part) == 1


def test_the_record_holds_the_paper_files_as_the_formats_fix_them(memory_board):
    record = published(paper=True)
    index = read_json(record / "record.json")
    for name in (STATIONS, PROTOCOLS, CONSOLIDATION):
        assert name in index["files"], name
    manifest = manifest_from_json(read_json(record / "manifest.json"))

    stations = read_json(record / STATIONS)
    assert stations["schema"] == "saylau-stations/1" and set(stations) == {"schema", "stations"}
    codes = [s["code"] for s in stations["stations"]]
    assert codes == sorted(set(codes)) == ["S-001", "S-002", "S-101"]
    for s in stations["stations"]:
        assert set(s) == {"code", "number", "district", "address"}
        assert s["number"] >= 1 and s["district"] in {d.id for d in manifest.districts}
    district_of = {s["code"]: s["district"] for s in stations["stations"]}

    raw_lines = (record / PROTOCOLS).read_bytes().split(b"\n")
    assert raw_lines[-1] == b""
    lines = [json.loads(line) for line in raw_lines[:-1]]
    assert [canonical_json(line) for line in lines] == raw_lines[:-1]
    keys = [(p["station"], p["contest"], p["revision"]) for p in lines]
    assert keys == sorted(keys) and len(keys) == 5  # no draft, no conflict
    latest: dict[tuple[str, str], dict] = {}
    for p in lines:
        contest = manifest.contest(p["contest"])
        assert set(p) == {
            "station",
            "district",
            "contest",
            "revision",
            "reason",
            "counts",
            "options",
            "scan_sha256",
        }
        assert p["district"] == district_of[p["station"]]
        assert contest in manifest.contests_for(p["district"])
        assert list(p["counts"]) == sorted(FIELDS) and set(p["counts"]) == set(FIELDS)
        option_ids = [o.id for o in contest.options]
        assert set(p["options"]) == set(option_ids)
        counts = counts_from_json(p["counts"], p["options"], option_ids, "test")
        assert (
            check_relations(counts, min_marks=contest.min_marks, max_marks=contest.max_marks) == []
        )
        assert bool(p["reason"]) == (p["revision"] > 1)
        assert HEX64.fullmatch(p["scan_sha256"])
        previous = latest.get((p["station"], p["contest"]))
        assert p["revision"] == (previous["revision"] + 1 if previous else 1)  # no gap
        latest[(p["station"], p["contest"])] = p

    consolidation = read_json(record / CONSOLIDATION)
    online = read_json(record / "results.json")["districts"]
    again = consolidate(manifest, online, latest.values(), consolidation["recount_margin"])
    assert consolidation == again  # re-derived from the record's own files
    assert consolidation["recount_margin"] == 2
    seat = consolidation["districts"]["KZ-75"]["contests"]["kz-75-seat"]
    assert seat["paper"]["kz-75-seat-1"] == 5 and seat["paper_stations"] == 2

    report = verify_record(record, workers=1)
    assert report.ok, report.failures


def test_a_tampered_paper_file_fails_the_record(memory_board):
    record = published(paper=True)
    path = record / PROTOCOLS
    path.write_bytes(path.read_bytes().replace(b'"valid":', b'"valid":1', 1))
    report = verify_record(record, workers=1)
    assert not report.ok
    assert any(PROTOCOLS in f.item or PROTOCOLS in f.message for f in report.failures)


def test_an_election_without_paper_stations_writes_no_paper_file(memory_board):
    record = published(paper=False)
    index = read_json(record / "record.json")
    assert not (record / "paper").exists() and not (record / CONSOLIDATION).exists()
    assert not [name for name in index["files"] if "paper" in name or "consolidation" in name]
    assert verify_record(record, workers=1).ok
