"""Which protocols are published and which count: the highest accepted revision per station
and contest; drafts and conflicts never; the stations document without personal data."""

from __future__ import annotations

import pytest

from saylau.paper import counting
from saylau.paper.models import Protocol
from saylau.protocol.canonical import canonical_json
from saylau.protocol.paper_protocol import FIELDS, InvalidProtocolCounts
from saylau.stations.models import CommissionMember
from tests.paper.results_world import SEAT, protocol, results_world, scan_hash, votes

pytestmark = pytest.mark.django_db

LINE_KEYS = {"station", "district", "contest", "revision", "reason", "counts", "options"}


def test_the_highest_accepted_revision_counts():
    world = results_world()
    counted = counting.counting_protocols(world.election)
    keys = [(p["station"], p["contest"], p["revision"]) for p in counted]
    # S-001's seat: revision 2 (accepted) over 1 (superseded); its draft 3 does not count.
    # S-101's seat: revision 1; the conflicting revision 2 does not count.
    assert keys == [
        ("S-001", "council", 1),
        ("S-001", SEAT, 2),
        ("S-002", SEAT, 1),
        ("S-101", "kz-71-seat", 1),
    ]
    s1 = next(p for p in counted if p["station"] == "S-001" and p["contest"] == SEAT)
    assert s1["options"][f"{SEAT}-1"] == 3 and s1["options"][f"{SEAT}-2"] == 3
    assert s1["reason"] == "A bundle of ballots was misread"


def test_a_later_accepted_revision_replaces_the_earlier_one():
    world = results_world()
    s2 = world.stations["S-002"]
    Protocol.objects.filter(station=s2).update(status=Protocol.Status.SUPERSEDED)
    protocol(s2, SEAT, votes(world.election, SEAT, c3=4), revision=2, reason="recount")
    counted = [p for p in counting.counting_protocols(world.election) if p["station"] == "S-002"]
    assert [(p["revision"], p["options"][f"{SEAT}-3"]) for p in counted] == [(2, 4)]
    # Of one station only: the same answer.
    assert counting.counting_protocols(world.election, "S-002") == counted


def test_published_lines_are_the_accepted_and_superseded_revisions_sorted():
    world = results_world()
    lines = counting.published_protocols(world.election)
    keys = [(p["station"], p["contest"], p["revision"]) for p in lines]
    assert keys == [
        ("S-001", "council", 1),
        ("S-001", SEAT, 1),
        ("S-001", SEAT, 2),
        ("S-002", SEAT, 1),
        ("S-101", "kz-71-seat", 1),
    ]
    assert keys == sorted(keys)
    for line in lines:
        assert set(line) == LINE_KEYS | {"scan_sha256"}
        assert list(line["counts"]) == list(FIELDS)
        assert set(line["options"]) == set(votes(world.election, line["contest"]))
        assert bool(line["reason"]) == (line["revision"] > 1)
        assert line["scan_sha256"] == scan_hash(
            f"{line['station']}/{line['contest']}/{line['revision']}"
        )
    assert {line["district"] for line in lines if line["station"] == "S-101"} == {"KZ-71"}


def test_a_protocol_that_does_not_fit_the_manifest_is_refused_by_name():
    world = results_world()
    broken = Protocol.objects.get(station=world.stations["S-002"], contest=SEAT)
    broken.options = {f"{SEAT}-1": 2}  # the other options are missing
    broken.save(update_fields=["options"])
    with pytest.raises(InvalidProtocolCounts) as caught:
        counting.published_protocols(world.election)
    assert caught.value.code == "paper.missing"
    broken.options = dict(votes(world.election, SEAT, c1=2), **{"nobody": 1})
    broken.save(update_fields=["options"])
    with pytest.raises(InvalidProtocolCounts) as caught:
        counting.counting_protocols(world.election)
    assert caught.value.code == "paper.unknown_field"


def test_the_stations_document_is_sorted_and_holds_no_member():
    world = results_world()
    CommissionMember.objects.create(station=world.stations["S-002"], name="Айгүл Серікқызы")
    doc = counting.election_stations_document(world.election)
    assert doc["schema"] == "saylau-stations/1"
    assert [s["code"] for s in doc["stations"]] == ["S-001", "S-002", "S-101"]
    assert doc["stations"][2] == {
        "code": "S-101",
        "number": 3,
        "district": "KZ-71",
        "address": "Street 3",
    }
    assert "Айгүл".encode() not in canonical_json(doc)
    assert counting.has_paper(world.election)
