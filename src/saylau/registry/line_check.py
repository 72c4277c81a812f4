"""Checking one line of a member file on its own: IIN rules, name, phone, district, dates,
status. A line's problems are stable codes (``iin.checksum`` …, see registry/messages.py)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from saylau.registry import districts as district_rules
from saylau.registry import iin as iin_rules
from saylau.registry import phone as phone_rules
from saylau.registry.messages import problem_message
from saylau.registry.models import Member
from saylau.registry.rows import Cell, RawRow

_STATUS = {
    "": Member.Status.ACTIVE,
    "active": Member.Status.ACTIVE,
    "активен": Member.Status.ACTIVE,
    "активный": Member.Status.ACTIVE,
    "белсенді": Member.Status.ACTIVE,
    "excluded": Member.Status.EXCLUDED,
    "исключен": Member.Status.EXCLUDED,
    "исключён": Member.Status.EXCLUDED,
    "шығарылған": Member.Status.EXCLUDED,
}
_DMY = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$")
_NAME_MARKS = frozenset(" -'’.")


@dataclass(frozen=True, slots=True)
class Problem:
    field: str
    code: str
    other_line: int | None = None

    @property
    def message(self) -> str:
        return problem_message(self.code, self.other_line)


@dataclass(slots=True)
class Candidate:
    line: int
    iin: str
    full_name: str
    phone: str
    district: str
    join_date: dt.date
    status: str
    excluded_reason: str
    excluded_on: dt.date | None


def parse_date(value: Cell) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    text = value.strip()
    match = _DMY.match(text)
    try:
        if match:
            day, month, year = (int(part) for part in match.groups())
            return dt.date(year, month, day)
        if len(text) >= 10 and text[4] == "-":
            return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None
    return None


def _text(value: Cell) -> str:
    return value.isoformat() if isinstance(value, dt.date) else value


def _name(text: str, problems: list[Problem]) -> str:
    name = " ".join(text.split())
    code = None
    if not name:
        code = "full_name.missing"
    elif len(name) > 200:
        code = "full_name.too_long"
    elif not all(ch.isalpha() or ch in _NAME_MARKS for ch in name) or not any(
        ch.isalpha() for ch in name
    ):
        code = "full_name.invalid"
    if code:
        problems.append(Problem("full_name", code))
    return name


def _iin(text: str, today: dt.date, problems: list[Problem]) -> tuple[str | None, dt.date | None]:
    """(the IIN if valid, the birth date it holds)."""
    if not text:
        problems.append(Problem("iin", "iin.missing"))
        return None, None
    try:
        return text, iin_rules.parse(text, today=today).birth_date
    except iin_rules.IINError as error:
        problems.append(Problem("iin", "iin." + error.code))
        return None, None


def _phone(text: str, problems: list[Problem]) -> str | None:
    if not text.strip():
        problems.append(Problem("phone", "phone.missing"))
        return None
    try:
        return phone_rules.normalize(text)
    except phone_rules.PhoneError as error:
        problems.append(Problem("phone", "phone." + error.code))
        return None


def _district(text: str, districts: dict[str, str], problems: list[Problem]) -> str | None:
    district = district_rules.resolve(text, districts) if text.strip() else None
    if district is None:
        code = "district.unknown" if text.strip() else "district.missing"
        problems.append(Problem("district", code))
    return district


def _join_date(
    raw: Cell, birth: dt.date | None, today: dt.date, problems: list[Problem]
) -> dt.date | None:
    join_date = parse_date(raw) if raw else None
    if not raw:
        problems.append(Problem("join_date", "join_date.missing"))
    elif join_date is None:
        problems.append(Problem("join_date", "join_date.invalid"))
    elif join_date > today:
        problems.append(Problem("join_date", "join_date.future"))
    elif birth is not None and join_date < birth:
        problems.append(Problem("join_date", "join_date.before_birth"))
    return join_date


def _status(
    values: dict[str, Cell], problems: list[Problem]
) -> tuple[str | None, str, dt.date | None]:
    """(status, exclusion reason, exclusion date): an excluded member needs both, an active
    one neither."""
    status = _STATUS.get(_text(values.get("status", "")).strip().casefold())
    reason = " ".join(_text(values.get("excluded_reason", "")).split())
    excluded_raw = values.get("excluded_on", "")
    excluded_on = parse_date(excluded_raw) if excluded_raw else None
    if status is None:
        problems.append(Problem("status", "status.invalid"))
    elif status == Member.Status.EXCLUDED:
        if not reason:
            problems.append(Problem("excluded_reason", "excluded_reason.missing"))
        if not excluded_raw:
            problems.append(Problem("excluded_on", "excluded_on.missing"))
        elif excluded_on is None:
            problems.append(Problem("excluded_on", "excluded_on.invalid"))
    elif reason or excluded_raw:
        problems.append(Problem("excluded_on", "excluded_on.unexpected"))
    return status, reason, excluded_on


def check_line(
    row: RawRow, districts: dict[str, str], today: dt.date
) -> tuple[Candidate | None, list[Problem], str | None, str | None]:
    """Check one line on its own: (candidate or None, problems, valid IIN, valid phone of an
    active member)."""
    values = row.values
    problems: list[Problem] = []
    good_iin, birth = _iin("".join(_text(values.get("iin", "")).split()), today, problems)
    full_name = _name(_text(values.get("full_name", "")), problems)
    good_phone = _phone(_text(values.get("phone", "")), problems)
    district = _district(_text(values.get("district", "")), districts, problems)
    join_date = _join_date(values.get("join_date", ""), birth, today, problems)
    status, reason, excluded_on = _status(values, problems)
    sharing_phone = good_phone if status != Member.Status.EXCLUDED else None
    if problems:
        return None, problems, good_iin, sharing_phone
    candidate = Candidate(
        line=row.line,
        iin=good_iin or "",
        full_name=full_name,
        phone=good_phone or "",
        district=district or "",
        join_date=join_date or today,
        status=str(status),
        excluded_reason=reason,
        excluded_on=excluded_on,
    )
    return candidate, problems, good_iin, sharing_phone
