"""Stations test fixtures: an open election (tests/voting/helpers.py) with stations in its
two districts, CSV files written as bytes, and an import helper."""

from __future__ import annotations

import csv
import io

import pytest

from tests.voting.helpers import World, build_world

KAZAKH_LETTERS = "әғқңөұүһі" + "ӘҒҚҢӨҰҮҺІ"
# every Kazakh letter, lower and upper case
KAZAKH_NAME = "Әлиғазы-Төлеуқызы Ғаниұлы Қаңтарбек Ңөүһі Өмір Ұлықбек Үміт Һанша Ізбасар Сәке"
STATION_HEADER = ("code", "number", "district", "address", "latitude", "longitude")
STATIONS = [
    ("ALM-1", "1", "KZ-75", "Алматы қ., Абай даңғылы 10, №12 мектеп", "43.238949", "76.889709"),
    ("ALM-2", "2", "KZ-75", "Алматы қ., Сәтбаев көшесі 22", "", ""),
    ("AST-1", "3", "KZ-71", "Астана қ., Қабанбай батыр 5", "51.128207", "71.430420"),
]


@pytest.fixture(autouse=True)
def inline_sms(settings):
    settings.SAYLAU_OTP_SMS_MODE = "inline"
    settings.ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]


def csv_bytes(rows, header=None, delimiter=",", encoding="utf-8") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    if header is not None:
        writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def stream(data: bytes) -> io.BytesIO:
    return io.BytesIO(data)


@pytest.fixture
def world(db, members) -> World:
    return build_world(members)


@pytest.fixture
def stations(world):
    """The election with STATIONS imported, and a commission at ALM-1."""
    from saylau.stations import services

    report = services.import_stations(world.election, stream(csv_bytes(STATIONS, STATION_HEADER)))
    assert report.created == 3 and not report.rejected
    commission = [
        ("ALM-1", "Серікбаев Нұрлан Әбілұлы", "chair"),
        ("ALM-1", "Иванова Ольга Петровна", "secretary"),
        ("ALM-1", "Жұмабаев Ерлан", "member"),
    ]
    report = services.import_commission(
        world.election, stream(csv_bytes(commission, ("station", "name", "role")))
    )
    assert report.created == 3 and not report.rejected
    return world


def voters_in(world, district):
    return [v for v in world.voters if v.district == district]
