"""A realistic synthetic member roll. Pure and deterministic: the same seed gives the same roll.

- IINs: valid (both check-digit rounds), birth date and sex consistent with the name;
- names: Kazakh (surname, given name, patronymic in -ұлы/-қызы or -ович/-овна) and
  Russian, with a share of Russian names that follows the region;
- phones: unique ``+7 7xx`` numbers of Kazakhstan's mobile operators;
- districts: the 17 regions and 3 cities, weighted by population;
- join dates: from the party's founding (1 March 1999) to ``as_of``, after the 18th birthday.

``defects`` adds lines an import must reject (one of each kind, in turn): a wrong
check digit, a duplicated IIN, a phone shared with another line, an unknown district.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path
from typing import Literal

from saylau.registry import iin as iin_rules
from saylau.registry.districts import DISTRICTS
from saylau.registry.phone import MOBILE_PREFIXES

PARTY_FOUNDED = dt.date(1999, 3, 1)
DEFAULT_AS_OF = dt.date(2020, 9, 10)  # the day before admissions were suspended (seed 000)
HEADER = ("iin", "full_name", "phone", "district", "join_date")

KAZAKH_MALE = (
    "Ерлан",
    "Нұрлан",
    "Асқар",
    "Бауыржан",
    "Дәурен",
    "Мұрат",
    "Серік",
    "Ержан",
    "Қайрат",
    "Айдос",
    "Арман",
    "Ерболат",
    "Талғат",
    "Бекзат",
    "Дархан",
    "Әлібек",
    "Санжар",
    "Ғалым",
    "Жандос",
    "Нұржан",
    "Азамат",
    "Марат",
    "Руслан",
    "Тимур",
    "Данияр",
    "Әділет",
    "Ернар",
    "Олжас",
    "Жасұлан",
    "Мейіржан",
    "Болат",
    "Ғабит",
    "Қанат",
    "Самат",
    "Ақылбек",
    "Бақытжан",
)
KAZAKH_FEMALE = (
    "Айгүл",
    "Гүлнар",
    "Динара",
    "Жанар",
    "Сәуле",
    "Ләззат",
    "Мәдина",
    "Әйгерім",
    "Ақмарал",
    "Назым",
    "Әсел",
    "Гүлмира",
    "Жұлдыз",
    "Айжан",
    "Дана",
    "Балжан",
    "Салтанат",
    "Меруерт",
    "Ботагөз",
    "Алия",
    "Анар",
    "Жансая",
    "Нұргүл",
    "Қарлығаш",
    "Аружан",
    "Перизат",
    "Ғалия",
)
# Surname stems: the surname is stem + "ов/ев/ин" (+ "а" for women), e.g. Серікбаев/Серікбаева.
KAZAKH_STEMS = (
    ("Ахмет", "ов"),
    ("Сәрсенба", "ев"),
    ("Жұмаба", "ев"),
    ("Серікба", "ев"),
    ("Нұрлан", "ов"),
    ("Қасым", "ов"),
    ("Тоқа", "ев"),
    ("Бекмұхамбет", "ов"),
    ("Әбдіқадыр", "ов"),
    ("Омар", "ов"),
    ("Исабек", "ов"),
    ("Жақып", "ов"),
    ("Мұқан", "ов"),
    ("Оспан", "ов"),
    ("Төлеген", "ов"),
    ("Байжан", "ов"),
    ("Есім", "ов"),
    ("Ержан", "ов"),
    ("Сұлтан", "ов"),
    ("Қали", "ев"),
    ("Мамыр", "ов"),
    ("Нұрғали", "ев"),
    ("Әлімжан", "ов"),
    ("Құдайберген", "ов"),
    ("Ысқақ", "ов"),
    ("Жүніс", "ов"),
    ("Бейсен", "ов"),
    ("Ораз", "ов"),
    ("Қырық", "бай"),
    ("Тұрсын", "ов"),
    ("Ибра", "ев"),
    ("Сейіт", "ов"),
    ("Қуаныш", "ев"),
    ("Әбілда", "ев"),
)
RUSSIAN_MALE = (
    "Александр",
    "Сергей",
    "Андрей",
    "Дмитрий",
    "Алексей",
    "Николай",
    "Владимир",
    "Евгений",
    "Михаил",
    "Виктор",
    "Олег",
    "Павел",
    "Игорь",
    "Юрий",
    "Константин",
    "Максим",
    "Иван",
)
RUSSIAN_FEMALE = (
    "Елена",
    "Ольга",
    "Наталья",
    "Татьяна",
    "Ирина",
    "Светлана",
    "Анна",
    "Мария",
    "Екатерина",
    "Юлия",
    "Людмила",
    "Галина",
    "Марина",
    "Валентина",
    "Оксана",
    "Вера",
    "Надежда",
)
RUSSIAN_SURNAMES = (
    "Иванов",
    "Петров",
    "Смирнов",
    "Кузнецов",
    "Попов",
    "Васильев",
    "Соколов",
    "Михайлов",
    "Новиков",
    "Фёдоров",
    "Морозов",
    "Волков",
    "Лебедев",
    "Козлов",
    "Степанов",
    "Николаев",
    "Орлов",
    "Андреев",
    "Макаров",
    "Захаров",
    "Зайцев",
    "Соловьёв",
    "Борисов",
    "Яковлев",
    "Белов",
    "Тарасов",
    "Романов",
    "Медведев",
    "Ершов",
    "Никитин",
    "Калинин",
    "Гусев",
)
# Father's name → (son's patronymic, daughter's patronymic).
RUSSIAN_PATRONYMICS = (
    ("Иванович", "Ивановна"),
    ("Сергеевич", "Сергеевна"),
    ("Николаевич", "Николаевна"),
    ("Александрович", "Александровна"),
    ("Викторович", "Викторовна"),
    ("Владимирович", "Владимировна"),
    ("Петрович", "Петровна"),
    ("Михайлович", "Михайловна"),
    ("Юрьевич", "Юрьевна"),
    ("Анатольевич", "Анатольевна"),
    ("Геннадьевич", "Геннадьевна"),
)

_PREFIXES = tuple(sorted(MOBILE_PREFIXES))
_CUM_WEIGHTS = tuple(accumulate(d.population for d in DISTRICTS))


@dataclass(frozen=True, slots=True)
class SyntheticMember:
    iin: str
    full_name: str
    phone: str
    district: str
    join_date: dt.date

    def row(self) -> tuple[str, str, str, str, str]:
        return (self.iin, self.full_name, self.phone, self.district, self.join_date.isoformat())


def _kazakh_name(rng: random.Random, sex: Literal["m", "f"]) -> str:
    stem, suffix = rng.choice(KAZAKH_STEMS)
    feminine = sex == "f" and suffix in {"ов", "ев", "ин"}  # Қырықбай stays Қырықбай
    surname = stem + suffix + ("а" if feminine else "")
    given = rng.choice(KAZAKH_MALE if sex == "m" else KAZAKH_FEMALE)
    father = rng.choice(KAZAKH_MALE)
    if rng.random() < 0.6:
        patronymic = father + ("ұлы" if sex == "m" else "қызы")
    else:
        patronymic = father + ("ович" if sex == "m" else "овна")
    return f"{surname} {given} {patronymic}"


def _russian_name(rng: random.Random, sex: Literal["m", "f"]) -> str:
    surname = rng.choice(RUSSIAN_SURNAMES) + ("а" if sex == "f" else "")
    given = rng.choice(RUSSIAN_MALE if sex == "m" else RUSSIAN_FEMALE)
    son, daughter = rng.choice(RUSSIAN_PATRONYMICS)
    return f"{surname} {given} {son if sex == 'm' else daughter}"


def _birth_date(rng: random.Random, as_of: dt.date) -> dt.date:
    oldest = dt.date(as_of.year - 85, 1, 1)
    youngest = dt.date(as_of.year - 18, as_of.month, min(as_of.day, 28))
    return oldest + dt.timedelta(days=rng.randrange((youngest - oldest).days))


def _join_date(rng: random.Random, birth: dt.date, as_of: dt.date) -> dt.date:
    adult = dt.date(birth.year + 18, birth.month, 28 if birth.day > 28 else birth.day)
    start = max(PARTY_FOUNDED, adult)
    return start + dt.timedelta(days=rng.randrange(max((as_of - start).days, 1)))


def generate(
    count: int, *, seed: int = 0, as_of: dt.date = DEFAULT_AS_OF
) -> Iterator[SyntheticMember]:
    """Yield ``count`` distinct, valid members."""
    rng = random.Random(seed)
    iins: set[str] = set()
    phones: set[str] = set()
    for _ in range(count):
        district = rng.choices(DISTRICTS, cum_weights=_CUM_WEIGHTS)[0]
        sex: Literal["m", "f"] = "m" if rng.random() < 0.5 else "f"
        while True:
            birth = _birth_date(rng, as_of)
            iin = iin_rules.build(birth, sex, rng.randrange(10_000))
            if iin is not None and iin not in iins:
                iins.add(iin)
                break
        while True:
            phone = f"+7{rng.choice(_PREFIXES)}{rng.randrange(10_000_000):07d}"
            if phone not in phones:
                phones.add(phone)
                break
        russian = rng.random() < district.russian_share
        name = _russian_name(rng, sex) if russian else _kazakh_name(rng, sex)
        yield SyntheticMember(iin, name, phone, district.code, _join_date(rng, birth, as_of))


def _defect(kind: int, member: SyntheticMember, good: SyntheticMember | None) -> tuple[str, ...]:
    row = list(member.row())
    if kind == 1 and good is not None:  # the IIN of a good line
        row[0] = good.iin
    elif kind == 2 and good is not None:  # the phone of a good line
        row[2] = good.phone
    elif kind == 3:  # a district that does not exist
        row[3] = "KZ-99"
    else:  # a wrong check digit
        row[0] = row[0][:11] + str((int(row[0][11]) + 1) % 10)
    return tuple(row)


def rows(
    count: int, *, seed: int = 0, as_of: dt.date = DEFAULT_AS_OF, defects: int = 0
) -> Iterator[tuple[str, ...]]:
    """``count`` good rows followed by ``defects`` bad ones (header not included)."""
    good: list[SyntheticMember] = []
    for index, member in enumerate(generate(count + defects, seed=seed, as_of=as_of)):
        if index < count:
            if len(good) < 1000:
                good.append(member)
            yield member.row()
        else:
            defect = index - count
            yield _defect(defect % 4, member, good[defect % len(good)] if good else None)


def write_file(
    path: Path,
    count: int,
    *,
    seed: int = 0,
    as_of: dt.date = DEFAULT_AS_OF,
    defects: int = 0,
    on_row: Callable[[int], None] | None = None,
) -> int:
    """Write a CSV or XLSX (by the file's suffix) roll; returns the number of data lines."""
    written = 0
    callback = on_row
    data = rows(count, seed=seed, as_of=as_of, defects=defects)
    if path.suffix.lower() == ".xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("members")
        sheet.append(list(HEADER))
        for row in data:
            sheet.append(list(row))  # IINs stay text: leading zeros survive
            written += 1
            if callback:
                callback(written)
        workbook.save(path)
        return written
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for row in data:
            writer.writerow(row)
            written += 1
            if callback:
                callback(written)
    return written
