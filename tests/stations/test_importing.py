"""Importing stations and commissions: good rows kept, every bad row named by line, in
the user's language."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from saylau.stations import services
from saylau.stations.models import CommissionMember, Station
from tests.stations.conftest import STATION_HEADER, STATIONS, csv_bytes, stream

pytestmark = pytest.mark.django_db

BAD_STATIONS = [
    ("ALM-1", "1", "KZ-75", "Абай 10", "", ""),  # line 2: good
    ("ALM 2", "2", "KZ-75", "x", "", ""),  # 3: a space in the code
    ("ALM-3", "three", "KZ-75", "x", "", ""),  # 4: not a number
    ("ALM-4", "4", "KZ-99", "x", "", ""),  # 5: not a district of the election
    ("ALM-5", "5", "KZ-75", "", "", ""),  # 6: no address
    ("ALM-6", "6", "KZ-75", "x", "43.2", ""),  # 7: latitude without longitude
    ("ALM-7", "7", "KZ-75", "x", "91", "76"),  # 8: latitude out of range
    ("ALM-1", "8", "KZ-75", "x", "", ""),  # 9: the code again
    ("ALM-9", "1", "KZ-75", "x", "", ""),  # 10: the number again
    ("alm-10", "10", "kz-71", "Астана", "51,1282", "71,4304"),  # 11: good (comma decimals)
    ("ALM-11", "0", "KZ-75", "x", "", ""),  # 12: number 0
]


def import_stations(world, rows, header=STATION_HEADER):
    return services.import_stations(world.election, stream(csv_bytes(rows, header)))


def test_good_rows_are_kept_and_every_bad_one_is_named(world, english):
    report = import_stations(world, BAD_STATIONS)
    assert report.created == 2
    reasons = {row.line: row.reason for row in report.rejected}
    assert sorted(reasons) == [3, 4, 5, 6, 7, 8, 9, 10, 12]
    assert "station code" in reasons[3] and "“ALM 2”" in reasons[3]
    assert "whole number" in reasons[4] and "three" in reasons[4]
    assert "KZ-99" in reasons[5] and "KZ-71, KZ-75" in reasons[5]
    assert reasons[6] == "The address is missing."
    assert "both the latitude and the longitude" in reasons[7]
    assert "-90 to 90" in reasons[8]
    assert reasons[9] == "The station code ALM-1 is also on line 2."
    assert reasons[10] == "Station number 1 is also on line 2."
    assert "whole number" in reasons[12]
    kept = Station.objects.get(code="alm-10")
    assert (kept.district, kept.latitude, kept.longitude) == (
        "KZ-71",
        Decimal("51.128200"),
        Decimal("71.430400"),
    )
    assert Station.objects.filter(election=world.election).count() == 2


def test_importing_again_updates_and_counts_the_same_rows(world):
    first = import_stations(world, STATIONS)
    assert (first.created, first.updated, first.unchanged) == (3, 0, 0)
    changed = [list(row) for row in STATIONS]
    changed[1][3] = "Алматы қ., Сәтбаев көшесі 24"
    changed[2][1] = "30"
    again = import_stations(world, changed)
    assert (again.created, again.updated, again.unchanged, again.rejected) == (0, 2, 1, [])
    assert Station.objects.get(code="ALM-2").address.endswith("24")
    assert Station.objects.get(code="AST-1").number == 30


def test_a_number_that_another_station_has_is_refused(world, english):
    import_stations(world, STATIONS)
    report = import_stations(world, [("NEW-1", "2", "KZ-75", "x", "", "")])
    assert report.created == 0
    assert report.rejected[0].reason == "Station number 2 already belongs to station ALM-2."
    # a swap of numbers in one file is refused row by row: each number is still held
    swap = [("ALM-1", "2", "KZ-75", "a", "", ""), ("ALM-2", "1", "KZ-75", "b", "", "")]
    report = import_stations(world, swap)
    assert [r.line for r in report.rejected] == [2, 3] and report.accepted == 0
    # a number freed earlier in the same file can be taken by a later row
    move = [("ALM-1", "5", "KZ-75", "a", "", ""), ("ALM-2", "1", "KZ-75", "b", "", "")]
    report = import_stations(world, move)
    assert report.rejected == [] and report.updated == 2
    assert Station.objects.get(code="ALM-2").number == 1


def test_a_file_without_a_required_column_changes_nothing(world, english):
    with pytest.raises(services.StationFileError) as error:
        import_stations(world, [("A", "1", "x")], header=("code", "number", "address"))
    assert "district" in str(error.value)
    assert not Station.objects.exists()


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("kk", "Мекенжай көрсетілмеген."),
        ("ru", "Адрес не указан."),
        ("en", "The address is missing."),
    ],
)
def test_reasons_are_in_the_users_language(world, lang, expected):
    with translation.override(lang):
        report = import_stations(world, [("A-1", "1", "KZ-75", "", "", "")])
    assert report.rejected[0].reason == expected


COMMISSION = [
    ("ALM-1", "Серікбаев Нұрлан", "chair"),  # 2
    ("ALM-1", "Иванова Ольга", "Секретарь"),  # 3: a Russian role name
    ("ALM-1", "Жұмабаев Ерлан", "мүше"),  # 4: a Kazakh one
    ("ALM-1", "Петров Пётр", "chair"),  # 5: a second chair
    ("NOPE", "Ким Алексей", "member"),  # 6: no such station
    ("ALM-2", "", "member"),  # 7: no name
    ("ALM-2", "Ахметова Айгүл", "boss"),  # 8: no such role
    ("ALM-2", "Ахметова Айгүл", "deputy"),  # 9: good
]


def test_commission_import(stations, english):
    CommissionMember.objects.all().delete()
    report = services.import_commission(
        stations.election, stream(csv_bytes(COMMISSION, ("station", "name", "role")))
    )
    assert report.created == 4
    reasons = {row.line: row.reason for row in report.rejected}
    assert sorted(reasons) == [5, 6, 7, 8]
    assert reasons[5] == "Station ALM-1 already has a chair: Серікбаев Нұрлан."
    assert reasons[6] == "This election has no station with the code “NOPE”."
    assert reasons[7] == "The name is missing."
    assert "chair, deputy, secretary or member" in reasons[8] and "boss" in reasons[8]
    roles = dict(CommissionMember.objects.values_list("name", "role"))
    assert roles == {
        "Серікбаев Нұрлан": "chair",
        "Иванова Ольга": "secretary",
        "Жұмабаев Ерлан": "member",
        "Ахметова Айгүл": "deputy",
    }


def test_commission_import_again_changes_a_role(stations):
    rows = [("ALM-1", "Жұмабаев Ерлан", "deputy"), ("ALM-1", "Серікбаев Нұрлан Әбілұлы", "chair")]
    report = services.import_commission(
        stations.election, stream(csv_bytes(rows, ("station", "name", "role")))
    )
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    assert CommissionMember.objects.get(name="Жұмабаев Ерлан").role == "deputy"


def test_lookups(stations):
    election = stations.election
    assert services.station_by_code(election, "ALM-2").number == 2
    assert [s.code for s in services.stations_of(election)] == ["AST-1", "ALM-1", "ALM-2"]
    assert [s.code for s in services.stations_of(election, "KZ-75")] == ["ALM-1", "ALM-2"]
    assert services.is_paper_station(election, "AST-1")
    assert not services.is_paper_station(election, "AST-2")
    assert services.find_station(election, "AST-2") is None
    with pytest.raises(services.StationNotFound) as missing:
        services.station_by_code(election, "AST-2")
    assert missing.value.status == 404 and missing.value.code == "stations.not_found"
    with pytest.raises(services.StationError):
        services.assign_paper_station(election, stations.voters[0].member_id, "bad code")


def test_the_services_take_bytes_too(world):
    report = services.import_stations(world.election, csv_bytes(STATIONS, STATION_HEADER))
    assert report.created == 3
