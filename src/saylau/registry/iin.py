"""Kazakhstan individual identification numbers (IIN, ЖСН / ИИН). Pure, no Django.

Layout: ``YYMMDD C NNNN K`` (12 digits).

- ``YYMMDD``: date of birth;
- ``C``: century and sex: 1/2 = 1800s male/female, 3/4 = 1900s, 5/6 = 2000s;
- ``NNNN``: serial number;
- ``K``: check digit. First round: weights 1..11 over the first 11 digits, sum
  mod 11. If that is 10, second round with weights 3,4,5,6,7,8,9,10,11,1,2,
  sum mod 11. If that is 10 too, no valid IIN has these 11 digits.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

Sex = Literal["m", "f"]

WEIGHTS_FIRST = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)
WEIGHTS_SECOND = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)

_CENTURY: dict[int, tuple[int, Sex]] = {
    1: (1800, "m"),
    2: (1800, "f"),
    3: (1900, "m"),
    4: (1900, "f"),
    5: (2000, "m"),
    6: (2000, "f"),
}
_DIGITS = frozenset("0123456789")


class IINError(ValueError):
    """An IIN is not valid. ``code`` says why: length, digits, century, birth_date, checksum."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code


@dataclass(frozen=True, slots=True)
class IIN:
    value: str
    birth_date: dt.date
    sex: Sex

    def __str__(self) -> str:
        return self.value


def check_digit(first11: str) -> int | None:
    """The check digit for 11 leading digits, or ``None`` if both rounds give 10."""
    if len(first11) != 11 or not _DIGITS.issuperset(first11):
        raise IINError("digits", "expected 11 digits")
    digits = [ord(ch) - 48 for ch in first11]
    total = sum(w * d for w, d in zip(WEIGHTS_FIRST, digits, strict=True)) % 11
    if total == 10:
        total = sum(w * d for w, d in zip(WEIGHTS_SECOND, digits, strict=True)) % 11
        if total == 10:
            return None
    return total


def parse(value: str, *, today: dt.date | None = None) -> IIN:
    """Check ``value`` and return its parts; raise ``IINError`` naming the first fault.

    With ``today``, a birth date after it is rejected too.
    """
    if len(value) != 12:
        raise IINError("length", "an IIN has 12 digits")
    if not _DIGITS.issuperset(value):
        raise IINError("digits", "an IIN has only digits")
    century_sex = _CENTURY.get(ord(value[6]) - 48)
    if century_sex is None:
        raise IINError("century", "the 7th digit (century and sex) must be 1 to 6")
    century, sex = century_sex
    try:
        birth = dt.date(century + int(value[0:2]), int(value[2:4]), int(value[4:6]))
    except ValueError:
        raise IINError("birth_date", "the first six digits are not a date") from None
    if today is not None and birth > today:
        raise IINError("birth_date", "the birth date is in the future")
    expected = check_digit(value[:11])
    if expected is None or expected != ord(value[11]) - 48:
        raise IINError("checksum", "the check digit does not match")
    return IIN(value=value, birth_date=birth, sex=sex)


def is_valid(value: str, *, today: dt.date | None = None) -> bool:
    try:
        parse(value, today=today)
    except IINError:
        return False
    return True


def century_sex_digit(birth_date: dt.date, sex: Sex) -> int:
    base = {1800: 1, 1900: 3, 2000: 5}.get(birth_date.year // 100 * 100)
    if base is None:
        raise IINError("century", "IINs cover births from 1800 to 2099")
    return base + (1 if sex == "f" else 0)


def build(birth_date: dt.date, sex: Sex, serial: int) -> str | None:
    """The IIN for a birth date, sex and 4-digit serial, or ``None`` if it has no check digit."""
    if not 0 <= serial <= 9999:
        raise ValueError("serial must be 0..9999")
    first11 = (
        f"{birth_date.year % 100:02d}{birth_date.month:02d}{birth_date.day:02d}"
        f"{century_sex_digit(birth_date, sex)}{serial:04d}"
    )
    digit = check_digit(first11)
    return None if digit is None else first11 + str(digit)
