"""Assigning paper voters from a CSV of IIN + station code: the roll and the district
decide; bad rows are named by line, never by IIN."""

from __future__ import annotations

import pytest

from saylau.stations import services
from saylau.stations.models import PaperAssignment
from tests.stations.conftest import csv_bytes, stream, voters_in

pytestmark = pytest.mark.django_db
HEADER = ("iin", "station")


def assign(world, rows, header=HEADER):
    return services.assign_paper_voters(world.election, stream(csv_bytes(rows, header)))


def outsider_iin(world):
    from saylau.registry import synth

    known = {v.iin for v in world.voters}
    return next(m.iin for m in synth.generate(50, seed=99) if m.iin not in known)


def test_assignment_good_and_bad_rows(stations, english):
    almaty, astana = voters_in(stations, "KZ-75"), voters_in(stations, "KZ-71")
    bad_checksum = almaty[2].iin[:11] + str((int(almaty[2].iin[11]) + 1) % 10)
    rows = [
        (almaty[0].iin, "ALM-1"),  # 2: good
        (f"{almaty[1].iin[:6]} {almaty[1].iin[6:]}", "ALM-1"),  # 3: good, spaces dropped
        (bad_checksum, "ALM-1"),  # 4: a typo in the IIN
        ("12345", "ALM-1"),  # 5: too short
        (outsider_iin(stations), "ALM-1"),  # 6: a valid IIN not on the roll
        (astana[0].iin, "ALM-2"),  # 7: a member of another district
        (astana[1].iin, "NOPE"),  # 8: no such station
        (almaty[0].iin, "ALM-2"),  # 9: the same IIN again
        ("", "ALM-1"),  # 10: no IIN
        (astana[1].iin, "AST-1"),  # 11: good
    ]
    report = assign(stations, rows)
    assert report.created == 3
    reasons = {row.line: row.reason for row in report.rejected}
    assert sorted(reasons) == [4, 5, 6, 7, 8, 9, 10]
    assert "check digit" in reasons[4]
    assert "12 digits" in reasons[5]
    assert reasons[6] == "No member with this IIN is on this election's roll."
    assert reasons[7] == (
        "This member is on the roll in district KZ-71, but station ALM-2 is in district KZ-75."
    )
    assert reasons[8] == "This election has no station with the code “NOPE”."
    assert reasons[9] == "The same IIN is also on line 2."
    assert reasons[10] == "The IIN is missing."
    every_reason = " ".join(reasons.values())
    assert not any(v.iin in every_reason or v.iin[:8] in every_reason for v in stations.voters)
    election = stations.election
    assert services.paper_voters(election, "ALM-1") == sorted(
        [almaty[0].member_id, almaty[1].member_id]
    )
    assert services.paper_voters(election, services.station_by_code(election, "AST-1")) == [
        astana[1].member_id
    ]
    assert services.precinct_of_member(election, almaty[0].member_id) == "ALM-1"
    assert services.precinct_of_member(election, almaty[2].member_id) is None
    assert services.paper_station_of_member(election, astana[1].member_id).number == 3


def test_a_member_moves_to_another_station_and_the_same_row_is_unchanged(stations):
    voter = voters_in(stations, "KZ-75")[0]
    assert assign(stations, [(voter.iin, "ALM-1")]).created == 1
    again = assign(stations, [(voter.iin, "ALM-1")])
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    moved = assign(stations, [(voter.iin, "ALM-2")])
    assert moved.updated == 1
    assert PaperAssignment.objects.get(member_id=voter.member_id).station == "ALM-2"


def test_many_rows_go_in_batches(stations, monkeypatch):
    from saylau.stations import paper_voters

    monkeypatch.setattr(paper_voters, "BATCH", 2)
    rows = [(v.iin, "ALM-1" if v.district == "KZ-75" else "AST-1") for v in stations.voters]
    report = assign(stations, rows)
    assert report.created == len(stations.voters) and not report.rejected
    assert PaperAssignment.objects.count() == len(stations.voters)


def test_the_roll_must_be_closed(db, english):
    from saylau.elections.models import Election
    from saylau.registry import services as registry
    from tests.voting.helpers import FREEZE, make_manifest

    election = Election.objects.create(slug="open-roll", manifest=make_manifest("open-roll"))
    registry.open_roll("open-roll", FREEZE)
    with pytest.raises(registry.RollNotFound):
        services.assign_paper_voters(election, stream(csv_bytes([], HEADER)))


@pytest.mark.parametrize(("lang", "word"), [("kk", "ЖСН"), ("ru", "ИИН"), ("en", "IIN")])
def test_reasons_in_each_language(stations, lang, word):
    from django.utils import translation

    with translation.override(lang):
        report = assign(stations, [(outsider_iin(stations), "ALM-1"), ("", "NOPE")])
    assert all(word in r.reason or "NOPE" in r.reason for r in report.rejected)
    assert len({r.reason for r in report.rejected}) == 2


def test_no_iin_reaches_the_logs(stations, caplog):
    import logging

    caplog.set_level(logging.DEBUG)
    rows = [(v.iin, "ALM-1") for v in stations.voters]  # half of them in the wrong district
    report = assign(stations, rows)
    assert report.created and report.rejected
    assert not any(v.iin in caplog.text or v.phone in caplog.text for v in stations.voters)
