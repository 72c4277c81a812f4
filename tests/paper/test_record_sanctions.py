"""Sanctions in the published record (paper.record_parts, docs/protocol.md §14.2): an election
with sanctions publishes sanctions.json and a consolidation with them applied, with or without
paper stations, and the record verifies; one without a sanction publishes no sanctions.json."""

from __future__ import annotations

import json

import pytest

from saylau.protocol.canonical import canonical_json
from saylau.protocol.documents import CONSOLIDATION, PAPER_FILES, PROTOCOLS, SANCTIONS, STATIONS
from saylau.protocol.sanctions import (
    ANNUL_DISTRICT,
    ANNUL_STATION,
    DEREGISTER_CANDIDATE,
    INVALID,
    WARNING,
    from_document,
)
from saylau.record.verify import verify_record
from tests.paper.sanctions_world import decided, sanction
from tests.paper.test_record_parts import SLUG, memory_board, published

pytestmark = pytest.mark.django_db
__all__ = ["decided", "memory_board"]  # the fixtures

SANCTIONS_GIVEN = (
    sanction(1, WARNING, district="KZ-71"),
    sanction(2, ANNUL_STATION, station="S-002"),
    sanction(3, DEREGISTER_CANDIDATE, district="KZ-75", contest="council", option="council-1"),
    sanction(4, ANNUL_DISTRICT, district="KZ-71"),
)


def test_the_record_carries_the_sanctions_and_verifies(memory_board, decided):
    decided[SLUG] = (INVALID, SANCTIONS_GIVEN)
    record = published(paper=True)
    raw = (record / SANCTIONS).read_bytes()
    assert raw == canonical_json(json.loads(raw))
    assert from_document(json.loads(raw)) == (INVALID, SANCTIONS_GIVEN)
    assert SANCTIONS in json.loads((record / "record.json").read_text())["files"]
    consolidation = json.loads((record / CONSOLIDATION).read_text())
    assert consolidation["sanctions"] == ["S-1", "S-2", "S-3", "S-4"]
    seat = consolidation["districts"]["KZ-75"]["contests"]["kz-75-seat"]
    assert seat["annulled_stations"] == ["S-002"]
    council = consolidation["districts"]["KZ-75"]["contests"]["council"]
    assert council["total"]["council-1"] == 0 and "council-1" not in council["winners"]
    for contest in consolidation["districts"]["KZ-71"]["contests"].values():
        assert contest["annulled"] and contest["winners"] == []
    report = verify_record(record, workers=1)
    assert report.ok, report.failures
    assert report.stats["sanctions"] == 4


def test_sanctions_without_paper_stations_still_publish_the_consolidation(memory_board, decided):
    decided[SLUG] = (INVALID, SANCTIONS_GIVEN[2:])
    record = published(paper=False)
    assert json.loads((record / STATIONS).read_text())["stations"] == []
    assert (record / PROTOCOLS).read_bytes() == b""
    assert all((record / name).is_file() for name in (*PAPER_FILES, SANCTIONS))
    council = json.loads((record / CONSOLIDATION).read_text())["districts"]["KZ-75"]
    assert council["contests"]["council"]["excluded"]["council-1"] >= 0
    report = verify_record(record, workers=1)
    assert report.ok, report.failures


def test_a_sanction_removed_from_the_published_record_fails_it(memory_board, decided):
    decided[SLUG] = (INVALID, SANCTIONS_GIVEN)
    record = published(paper=True)
    doc = json.loads((record / SANCTIONS).read_text())
    doc["sanctions"] = doc["sanctions"][:-1]
    (record / SANCTIONS).write_bytes(canonical_json(doc))
    report = verify_record(record, workers=1)
    assert {f.check for f in report.failures} >= {"record.files", "consolidation"}


def test_no_sanction_no_sanctions_file(memory_board, decided):
    record = published(paper=True)
    assert not (record / SANCTIONS).exists()
    assert "sanctions" not in json.loads((record / CONSOLIDATION).read_text())
