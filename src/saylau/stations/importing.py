"""Import an election's polling stations and their commissions from CSV files.

Each row is checked on its own: a bad row is listed with its line number and the reason, in
the user's language, and every good row is kept. A file is one transaction: either all its
good rows are written, or (when the file itself cannot be read) none. A station already
imported (same code) is updated, so a corrected file can be imported again.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any, BinaryIO

from django.db import transaction
from django.utils.translation import gettext as _

from saylau.stations import manifest
from saylau.stations.csvfile import Columns, Row, read_rows
from saylau.stations.models import CommissionMember, Station
from saylau.stations.report import ImportReport

CODE_RE = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
MAX_NUMBER = 2_147_483_647
MAX_ADDRESS = 500
MAX_NAME = 200

STATION_COLUMNS = Columns(
    required=("code", "number", "district", "address"),
    optional=("latitude", "longitude", "voters"),
    aliases={
        "code": ("station", "station code", "код", "код участка", "учаскенің коды"),
        "number": ("no", "№", "номер", "нөмір", "номер участка", "учаске нөмірі"),
        "district": ("округ", "район", "регион", "өңір", "округ id"),
        "address": ("адрес", "мекенжай"),
        "latitude": ("lat", "широта", "ендік"),
        "longitude": ("lon", "lng", "долгота", "бойлық"),
        "voters": (
            "electors",
            "registered electors",
            "избиратели",
            "число избирателей",
            "количество избирателей",
            "сайлаушылар",
            "сайлаушылар саны",
        ),
    },
)
COMMISSION_COLUMNS = Columns(
    required=("station", "name", "role"),
    optional=(),
    aliases={
        "station": ("station code", "code", "участок", "учаске", "код участка"),
        "name": ("full name", "full_name", "фио", "ф.и.о.", "аты-жөні", "аты жөні"),
        "role": ("position", "должность", "роль", "лауазымы", "рөлі"),
    },
)
ROLES = {
    CommissionMember.Role.CHAIR: ("chair", "chairman", "председатель", "төраға"),
    CommissionMember.Role.DEPUTY: (
        "deputy",
        "deputy chair",
        "заместитель",
        "заместитель председателя",
        "орынбасар",
        "төрағаның орынбасары",
    ),
    CommissionMember.Role.SECRETARY: ("secretary", "секретарь", "хатшы"),
    CommissionMember.Role.MEMBER: ("member", "член", "член комиссии", "мүше", "комиссия мүшесі"),
}
_ROLE = {alias: role for role, aliases in ROLES.items() for alias in aliases}
#: roles a station has at most one of
SINGLE_ROLES = (CommissionMember.Role.CHAIR, CommissionMember.Role.SECRETARY)


def undecodable() -> str:
    return _("This line is not text in the file's encoding (UTF-8 or Windows-1251).")


def valid_code(code: str) -> str | None:
    """Why `code` is not a station code, or None."""
    if not CODE_RE.match(code):
        return _(
            "A station code has 1 to 64 Latin letters, digits, '-', '_' or '.' (got “%(code)s”)."
        ) % {"code": code[:70]}
    return None


def _number(text: str) -> int | None:
    return int(text) if text.isascii() and text.isdigit() and 1 <= int(text) <= MAX_NUMBER else None


def _voters(row: Row) -> dict[str, int | None] | str:
    """{"voters": the count} (None for an empty cell), {} without the column, or why not."""
    if "voters" not in row.values:
        return {}
    text = row.values["voters"].replace(" ", "").replace("\u00a0", "")
    if not text:
        return {"voters": None}
    if not (text.isascii() and text.isdigit() and int(text) <= MAX_NUMBER):
        return _("The number of electors must be a whole number from 0 (got “%(value)s”).") % {
            "value": row.values["voters"][:20]
        }
    return {"voters": int(text)}


def _coordinate(text: str, limit: int) -> Decimal | None:
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation:
        return None
    if not value.is_finite() or abs(value) > limit:
        return None
    return value.quantize(Decimal("0.000001"))


def _coordinates(row: Row) -> tuple[Decimal | None, Decimal | None] | str:
    lat_text, lon_text = row.values.get("latitude", ""), row.values.get("longitude", "")
    if not lat_text and not lon_text:
        return None, None
    if not lat_text or not lon_text:
        return _("Give both the latitude and the longitude, or neither.")
    lat, lon = _coordinate(lat_text, 90), _coordinate(lon_text, 180)
    if lat is None:
        return _("The latitude must be a number from -90 to 90.")
    if lon is None:
        return _("The longitude must be a number from -180 to 180.")
    return lat, lon


def _station_fields(row: Row, districts: set[str]) -> dict[str, Any] | str:
    """The row's station fields, or the first reason it is wrong."""
    v = row.values
    number = _number(v["number"])
    district = v["district"].upper()
    bad_code = valid_code(v["code"])
    if bad_code:
        return bad_code
    if number is None:
        return _("The station number must be a whole number from 1 (got “%(value)s”).") % {
            "value": v["number"][:20]
        }
    if district not in districts:
        return _("“%(district)s” is not a district of this election (%(districts)s).") % {
            "district": v["district"][:70],
            "districts": ", ".join(sorted(districts)),
        }
    if not v["address"]:
        return _("The address is missing.")
    if len(v["address"]) > MAX_ADDRESS:
        return _("The address is longer than %(max)d characters.") % {"max": MAX_ADDRESS}
    place = _coordinates(row)
    if isinstance(place, str):
        return place
    latitude, longitude = place
    voters = _voters(row)
    if isinstance(voters, str):
        return voters
    return {
        **voters,
        "code": v["code"],
        "number": number,
        "district": district,
        "address": v["address"],
        "latitude": latitude,
        "longitude": longitude,
    }


def import_stations(election: Any, stream: BinaryIO | bytes) -> ImportReport:
    """Create or update the election's stations from a CSV file (docs/stations-csv.md)."""
    districts = set(manifest.district_ids(election))
    report = ImportReport()
    seen_codes: dict[str, int] = {}
    seen_numbers: dict[int, int] = {}
    new: list[Station] = []
    with transaction.atomic():
        existing = {s.code: s for s in Station.objects.filter(election_id=election.pk)}
        numbers = {s.number: s.code for s in existing.values()}
        for row in read_rows(stream, STATION_COLUMNS):
            fields = undecodable() if row.undecodable else _station_fields(row, districts)
            if isinstance(fields, str):
                report.reject(row.line, fields)
                continue
            code, number = fields["code"], fields["number"]
            if code in seen_codes:
                report.reject(
                    row.line,
                    _("The station code %(code)s is also on line %(line)d.")
                    % {"code": code, "line": seen_codes[code]},
                )
                continue
            if number in seen_numbers:
                report.reject(
                    row.line,
                    _("Station number %(number)d is also on line %(line)d.")
                    % {"number": number, "line": seen_numbers[number]},
                )
                continue
            holder = numbers.get(number)
            if holder is not None and holder != code:
                report.reject(
                    row.line,
                    _("Station number %(number)d already belongs to station %(code)s.")
                    % {"number": number, "code": holder},
                )
                continue
            seen_codes[code], seen_numbers[number] = row.line, row.line
            station = _save_station(existing, numbers, fields, report)
            if station is None:
                new.append(Station(election_id=election.pk, **fields))
        Station.objects.bulk_create(new, batch_size=1000)
    report.created = len(new)
    return report


def _save_station(
    existing: dict[str, Station],
    numbers: dict[int, str],
    fields: dict[str, Any],
    report: ImportReport,
) -> Station | None:
    """Update the station with this code; None when there is none yet (to be created)."""
    numbers[fields["number"]] = fields["code"]
    station = existing.get(fields["code"])
    if station is None:
        return None
    if all(getattr(station, k) == v for k, v in fields.items()):
        report.unchanged += 1
        return station
    if numbers.get(station.number) == station.code and station.number != fields["number"]:
        numbers.pop(station.number)
    for key, value in fields.items():
        setattr(station, key, value)
    station.save()
    report.updated += 1
    return station


def _member_fields(row: Row) -> tuple[str, str, str] | str:
    v = row.values
    role = _ROLE.get(" ".join(v["role"].split()).casefold())
    if not v["name"]:
        return _("The name is missing.")
    if len(v["name"]) > MAX_NAME:
        return _("The name is longer than %(max)d characters.") % {"max": MAX_NAME}
    if role is None:
        return _("The role must be chair, deputy, secretary or member (got “%(value)s”).") % {
            "value": v["role"][:40]
        }
    return v["station"], " ".join(v["name"].split()), str(role)


class _Commissions:
    """The election's commission members by (station, name), and who holds each single role."""

    def __init__(self, election: Any) -> None:
        self.members = {
            (m.station_id, m.name): m
            for m in CommissionMember.objects.filter(station__election_id=election.pk)
        }
        self.holders = {
            (m.station_id, m.role): m.name for m in self.members.values() if m.role in SINGLE_ROLES
        }

    def role_taken(self, station: Station, name: str, role: str) -> str | None:
        holder = self.holders.get((station.pk, role))
        if holder is None or holder == name:
            return None
        return _("Station %(code)s already has a %(role)s: %(name)s.") % {
            "code": station.code,
            "role": CommissionMember.Role(role).label,
            "name": holder,
        }

    def save(self, station: Station, name: str, role: str, report: ImportReport) -> None:
        member = self.members.get((station.pk, name))
        if member is None:
            member = CommissionMember.objects.create(station=station, name=name, role=role)
            self.members[(station.pk, name)] = member
            report.created += 1
        elif member.role == role:
            report.unchanged += 1
            return
        else:
            self.holders.pop((station.pk, member.role), None)
            member.role = role
            member.save(update_fields=["role"])
            report.updated += 1
        if role in SINGLE_ROLES:
            self.holders[(station.pk, role)] = name


def import_commission(election: Any, stream: BinaryIO | bytes) -> ImportReport:
    """Add the commission members of the election's stations from a CSV file.

    A person is one name at one station: importing them again with another role changes
    their role. A station has one chair and one secretary at most.
    """
    report = ImportReport()
    with transaction.atomic():
        stations = {s.code: s for s in Station.objects.filter(election_id=election.pk)}
        commissions = _Commissions(election)
        for row in read_rows(stream, COMMISSION_COLUMNS):
            fields = undecodable() if row.undecodable else _member_fields(row)
            if isinstance(fields, str):
                report.reject(row.line, fields)
                continue
            code, name, role = fields
            station = stations.get(code)
            if station is None:
                report.reject(row.line, no_station(code))
                continue
            problem = commissions.role_taken(station, name, role)
            if problem:
                report.reject(row.line, problem)
                continue
            commissions.save(station, name, role, report)
    return report


def no_station(code: str) -> str:
    return _("This election has no station with the code “%(code)s”.") % {"code": code[:70]}
