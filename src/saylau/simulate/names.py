"""Synthetic but realistic names: Kazakhstan's regions and candidates in kk / ru / en."""

from __future__ import annotations

# The 17 regions and 3 cities of republican significance (kk, ru, en).
REGIONS: list[tuple[str, str, str, str]] = [
    ("astana", "Астана", "Астана", "Astana"),
    ("almaty", "Алматы", "Алматы", "Almaty"),
    ("shymkent", "Шымкент", "Шымкент", "Shymkent"),
    ("abai", "Абай облысы", "Абайская область", "Abai Region"),
    ("akmola", "Ақмола облысы", "Акмолинская область", "Akmola Region"),
    ("aktobe", "Ақтөбе облысы", "Актюбинская область", "Aktobe Region"),
    ("almaty-reg", "Алматы облысы", "Алматинская область", "Almaty Region"),
    ("atyrau", "Атырау облысы", "Атырауская область", "Atyrau Region"),
    (
        "east-kaz",
        "Шығыс Қазақстан облысы",
        "Восточно-Казахстанская область",
        "East Kazakhstan Region",
    ),
    ("zhambyl", "Жамбыл облысы", "Жамбылская область", "Zhambyl Region"),
    ("zhetysu", "Жетісу облысы", "Жетысуская область", "Zhetysu Region"),
    (
        "west-kaz",
        "Батыс Қазақстан облысы",
        "Западно-Казахстанская область",
        "West Kazakhstan Region",
    ),
    ("karaganda", "Қарағанды облысы", "Карагандинская область", "Karaganda Region"),
    ("kostanay", "Қостанай облысы", "Костанайская область", "Kostanay Region"),
    ("kyzylorda", "Қызылорда облысы", "Кызылординская область", "Kyzylorda Region"),
    ("mangystau", "Маңғыстау облысы", "Мангистауская область", "Mangystau Region"),
    ("pavlodar", "Павлодар облысы", "Павлодарская область", "Pavlodar Region"),
    (
        "north-kaz",
        "Солтүстік Қазақстан облысы",
        "Северо-Казахстанская область",
        "North Kazakhstan Region",
    ),
    ("turkistan", "Түркістан облысы", "Туркестанская область", "Turkistan Region"),
    ("ulytau", "Ұлытау облысы", "Улытауская область", "Ulytau Region"),
]

SURNAMES = [
    ("Әбдірахманов", "Абдрахманов", "Abdrakhmanov"),
    ("Сейітқали", "Сейткали", "Seitkali"),
    ("Жақсылықова", "Жаксылыкова", "Zhaksylykova"),
    ("Иванова", "Иванова", "Ivanova"),
    ("Нұрғалиев", "Нургалиев", "Nurgaliyev"),
    ("Петров", "Петров", "Petrov"),
    ("Оспанова", "Оспанова", "Ospanova"),
    ("Төлеубаев", "Тулеубаев", "Tuleubayev"),
    ("Ким", "Ким", "Kim"),
    ("Серікбаева", "Серикбаева", "Serikbayeva"),
    ("Бекмұхамедов", "Бекмухамедов", "Bekmukhamedov"),
    ("Смагулова", "Смагулова", "Smagulova"),
    ("Құрманғазы", "Курмангазы", "Kurmangazy"),
    ("Федоров", "Федоров", "Fedorov"),
    ("Әлиева", "Алиева", "Aliyeva"),
    ("Дүйсенов", "Дюсенов", "Dyussenov"),
]

AGAINST_ALL = {"kk": "Барлығына қарсымын", "ru": "Против всех", "en": "Against all"}
