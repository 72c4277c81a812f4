"""The DEMO counting stations' numbers (saylau.demo.counts): every protocol holds the control
relations and is possible (no option above the valid ballots), electors in the hundreds to low
thousands, the planted anomalies are there, and the same seed gives the same numbers."""

from __future__ import annotations

import pytest

from saylau.demo import counts
from saylau.demo import setup as demo_setup
from saylau.demo.observers import MOVED, alter
from saylau.elections import manifest_io
from saylau.protocol.paper_protocol import check_relations, counts_from_json
from tests.voting.helpers import ensure_districts


@pytest.fixture
def manifest(db):
    ensure_districts()
    return manifest_io.check_manifest(manifest_io.normalise(demo_setup.manifest()))


def relations(contest, typed):
    ids = [o.id for o in contest.options]
    read = counts_from_json(typed.counts, typed.options, ids, "demo")
    return read, check_relations(read, min_marks=contest.min_marks, max_marks=contest.max_marks)


def test_about_thirty_stations_per_district_beside_the_named_ones():
    found = counts.counting_stations(demo_setup.DISTRICTS)
    assert len(found) == 3 * (counts.PER_DISTRICT - 1)
    assert len({s.code for s in found}) == len({s.number for s in found}) == len(found)
    assert {"DEMO-71-001", "DEMO-75-001"}.isdisjoint(s.code for s in found)
    assert all(300 <= s.electors < 2400 and "(DEMO)" in s.address for s in found)
    assert {counts.ANOMALY_STUFFED, counts.ANOMALY_ROUND} <= {s.code for s in found}
    assert found == counts.counting_stations(demo_setup.DISTRICTS)  # seeded


def test_every_protocol_holds_the_relations_and_varies(manifest):
    turnouts = []
    for station in counts.counting_stations(demo_setup.DISTRICTS):
        contests = list(manifest.contests_for(station.district))
        sheets = counts.station_sheets(station, contests)
        for contest in contests:
            read, failed = relations(contest, sheets[contest.id])
            assert failed == [], (station.code, contest.id, failed)
            assert max(read.options) <= read.valid  # one mark per option and ballot at most
            assert read.ballots_issued <= read.voters_on_list
        turnouts.append(read.ballots_issued / read.voters_on_list)
    assert min(turnouts) < 0.45 and max(turnouts) > 0.7  # turnout varies by station


def test_the_planted_anomalies(manifest):
    by_code = {s.code: s for s in counts.counting_stations(demo_setup.DISTRICTS)}
    stuffed = by_code[counts.ANOMALY_STUFFED]
    (one, _up_to_three) = manifest.contests_for(stuffed.district)
    read, _failed = relations(one, counts.station_sheets(stuffed, [one])[one.id])
    assert read.ballots_issued / read.voters_on_list > 0.95
    assert max(read.options) / read.valid > 0.85
    rounded = by_code[counts.ANOMALY_ROUND]
    for contest in manifest.contests_for(rounded.district):
        read, failed = relations(contest, counts.station_sheets(rounded, [contest])[contest.id])
        assert not failed and read.ballots_issued * 10 == read.voters_on_list * 7
        assert all(v % 10 == 0 for v in read.options)


def test_the_altered_protocol_moves_votes_and_still_holds_the_relations(manifest):
    station = counts.counting_stations(demo_setup.DISTRICTS)[0]
    contest = manifest.contests_for(station.district)[0]
    signed = counts.station_sheets(station, [contest])[contest.id]
    entered = alter(signed)
    assert relations(contest, entered)[1] == []
    moved = {o: entered.options[o] - signed.options[o] for o in signed.options}
    assert sorted(moved.values())[0] == -MOVED and sorted(moved.values())[-1] == MOVED
    assert entered.counts == signed.counts
