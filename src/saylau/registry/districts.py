"""Kazakhstan's 17 regions and 3 cities of republican significance. Pure data, no Django.

Codes are ISO 3166-2:KZ (numeric since the 2022 reform that created Abai, Jetisu
and Ulytau regions). ``population`` is in thousands (2023, rounded) and
``russian_share`` a rough share of Russian names; both only steer the synthetic
roll generator towards a realistic shape.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class DistrictInfo:
    code: str
    name_kk: str
    name_ru: str
    name_en: str
    is_city: bool
    population: int
    russian_share: float


DISTRICTS: tuple[DistrictInfo, ...] = (
    DistrictInfo("KZ-10", "Абай облысы", "область Абай", "Abai Region", False, 600, 0.20),
    DistrictInfo(
        "KZ-11", "Ақмола облысы", "Акмолинская область", "Akmola Region", False, 790, 0.33
    ),
    DistrictInfo(
        "KZ-15", "Ақтөбе облысы", "Актюбинская область", "Aktobe Region", False, 920, 0.10
    ),
    DistrictInfo(
        "KZ-19", "Алматы облысы", "Алматинская область", "Almaty Region", False, 1500, 0.10
    ),
    DistrictInfo("KZ-23", "Атырау облысы", "Атырауская область", "Atyrau Region", False, 690, 0.03),
    DistrictInfo(
        "KZ-27",
        "Батыс Қазақстан облысы",
        "Западно-Казахстанская область",
        "West Kazakhstan Region",
        False,
        690,
        0.17,
    ),
    DistrictInfo(
        "KZ-31", "Жамбыл облысы", "Жамбылская область", "Jambyl Region", False, 1220, 0.07
    ),
    DistrictInfo("KZ-33", "Жетісу облысы", "область Жетісу", "Jetisu Region", False, 700, 0.15),
    DistrictInfo(
        "KZ-35", "Қарағанды облысы", "Карагандинская область", "Karaganda Region", False, 1130, 0.35
    ),
    DistrictInfo(
        "KZ-39", "Қостанай облысы", "Костанайская область", "Kostanay Region", False, 830, 0.40
    ),
    DistrictInfo(
        "KZ-43", "Қызылорда облысы", "Кызылординская область", "Kyzylorda Region", False, 830, 0.02
    ),
    DistrictInfo(
        "KZ-47", "Маңғыстау облысы", "Мангистауская область", "Mangystau Region", False, 770, 0.03
    ),
    DistrictInfo(
        "KZ-55", "Павлодар облысы", "Павлодарская область", "Pavlodar Region", False, 750, 0.35
    ),
    DistrictInfo(
        "KZ-59",
        "Солтүстік Қазақстан облысы",
        "Северо-Казахстанская область",
        "North Kazakhstan Region",
        False,
        530,
        0.50,
    ),
    DistrictInfo(
        "KZ-61", "Түркістан облысы", "Туркестанская область", "Turkistan Region", False, 2130, 0.02
    ),
    DistrictInfo("KZ-62", "Ұлытау облысы", "область Ұлытау", "Ulytau Region", False, 220, 0.15),
    DistrictInfo(
        "KZ-63",
        "Шығыс Қазақстан облысы",
        "Восточно-Казахстанская область",
        "East Kazakhstan Region",
        False,
        720,
        0.40,
    ),
    DistrictInfo("KZ-71", "Астана қаласы", "город Астана", "Astana", True, 1350, 0.15),
    DistrictInfo("KZ-75", "Алматы қаласы", "город Алматы", "Almaty", True, 2230, 0.30),
    DistrictInfo("KZ-79", "Шымкент қаласы", "город Шымкент", "Shymkent", True, 1220, 0.05),
)

BY_CODE: dict[str, DistrictInfo] = {d.code: d for d in DISTRICTS}


def _key(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split()).casefold()


class Named(Protocol):
    @property
    def code(self) -> str: ...
    @property
    def name_kk(self) -> str: ...
    @property
    def name_ru(self) -> str: ...
    @property
    def name_en(self) -> str: ...


def lookup_table(districts: Iterable[Named] = DISTRICTS) -> dict[str, str]:
    """Map every accepted spelling (code, ``75``, names in kk/ru/en) to the code.

    A spelling shared by two districts is left out, so it is never guessed.
    """
    table: dict[str, str] = {}
    ambiguous: set[str] = set()
    for d in districts:
        for spelling in (d.code, d.code.removeprefix("KZ-"), d.name_kk, d.name_ru, d.name_en):
            key = _key(spelling)
            if key in table and table[key] != d.code:
                ambiguous.add(key)
            table[key] = d.code
    for key in ambiguous:
        del table[key]
    return table


def resolve(text: str, table: dict[str, str]) -> str | None:
    return table.get(_key(text))
