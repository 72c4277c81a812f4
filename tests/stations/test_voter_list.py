"""The printable voter list: PDF in kk and ru read back with pypdf: the Kazakh letters, the
names, the masked IINs (never whole), page numbers, the chair and the secretary."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from saylau.registry.models import Member
from saylau.stations import services
from saylau.stations.models import PaperAssignment
from tests.stations.conftest import KAZAKH_LETTERS, KAZAKH_NAME, csv_bytes, stream, voters_in

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> tuple[str, int]:
    """The text of every page, whitespace made single spaces (a long name wraps in its cell)."""
    reader = PdfReader(io.BytesIO(content))
    text = " ".join(page.extract_text() for page in reader.pages)
    return " ".join(text.split()), len(reader.pages)


@pytest.fixture
def listed(stations):
    """Every Almaty voter on ALM-1's list, the first of them with a Kazakh name."""
    almaty = voters_in(stations, "KZ-75")
    Member.objects.filter(pk=almaty[0].member_id).update(full_name=KAZAKH_NAME)
    rows = [(v.iin, "ALM-1") for v in almaty]
    report = services.assign_paper_voters(
        stations.election, stream(csv_bytes(rows, ("iin", "station")))
    )
    assert report.created == len(almaty)
    return stations, almaty


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("kk", ("Сайлаушылар тізімі", "Аты-жөні", "Қолы", "Комиссия төрағасы", "1-бет, барлығы 1")),
        ("ru", ("Список избирателей", "Ф. И. О.", "Подпись", "Председатель комиссии", "1 из 1")),
    ],
)
def test_the_list_in_kazakh_and_russian(listed, lang, words):
    world, almaty = listed
    station = services.station_by_code(world.election, "ALM-1")
    text, pages = pdf_text(services.voter_list_pdf(world.election, station, lang))
    for word in words:
        assert word in text, word
    assert all(letter in text for letter in KAZAKH_LETTERS)
    assert KAZAKH_NAME in text and "Алматы қ., Абай даңғылы 10, №12 мектеп" in text
    assert world.election.manifest["title"][lang] in text
    names = Member.objects.filter(pk__in=[v.member_id for v in almaty]).values_list(
        "full_name", flat=True
    )
    for voter, name in zip(almaty, names, strict=True):
        assert name in text
        assert "********" + voter.iin[-4:] in text
        assert voter.iin not in text and voter.iin[:8] not in text
    assert "Серікбаев Нұрлан Әбілұлы" in text and "Иванова Ольга Петровна" in text
    assert "Жұмабаев Ерлан" not in text  # a plain member signs nothing
    assert pages == 1
    district = next(d for d in world.election.manifest["districts"] if d["id"] == "KZ-75")
    assert district["name"][lang] in text


def add_voters(world, count: int, station: str = "ALM-1") -> None:
    """`count` more members of KZ-75 on the closed roll and on `station`'s list."""
    from saylau.registry import synth
    from saylau.registry.models import RollEntry, RollSnapshot

    snapshot = RollSnapshot.objects.get(election=world.election.slug)
    known = set(Member.objects.values_list("iin", flat=True))
    people = [m for m in synth.generate(count * 2, seed=5) if m.iin not in known][:count]
    # One by one: on PostgreSQL, Django 5.2's bulk_create (INSERT … UNNEST) casts the IIN's
    # char(12) column as char[], which cuts every IIN to one character.
    created = [
        Member.objects.create(
            iin=m.iin,
            full_name=m.full_name,
            phone=m.phone,
            district_id="KZ-75",
            join_date=m.join_date,
        )
        for m in people
    ]
    RollEntry.objects.bulk_create(
        RollEntry(snapshot=snapshot, member=m, district_id="KZ-75") for m in created
    )
    PaperAssignment.objects.bulk_create(
        PaperAssignment(election=world.election, member_id=m.pk, station=station) for m in created
    )


def test_a_long_list_has_numbered_pages_and_the_same_bytes_twice(listed):
    world, almaty = listed
    add_voters(world, 150)
    station = services.station_by_code(world.election, "ALM-1")
    content = services.voter_list_pdf(world.election, station, "ru")
    text, pages = pdf_text(content)
    assert pages >= 3
    assert f"страница {pages} из {pages}" in text and f"страница 1 из {pages}" in text
    assert content == services.voter_list_pdf(world.election, station, "ru")
    assert f"Всего избирателей в списке: {len(almaty) + 150}" in text


def test_an_empty_list_and_a_station_without_a_commission(stations):
    station = services.station_by_code(stations.election, "AST-1")
    text, pages = pdf_text(services.voter_list_pdf(stations.election, station, "kk"))
    assert pages == 1 and "Астана қ., Қабанбай батыр 5" in text
    assert "____________________" in text


def test_other_languages_are_refused(stations, english):
    station = services.station_by_code(stations.election, "AST-1")
    with pytest.raises(services.VoterListLanguage) as error:
        services.voter_list_pdf(stations.election, station, "en")
    assert "Kazakh (kk) or Russian (ru)" in str(error.value)


def test_a_missing_font_is_said_clearly(stations, settings, tmp_path, english):
    settings.SAYLAU_PDF_FONT_DIR = str(tmp_path)
    station = services.station_by_code(stations.election, "AST-1")
    with pytest.raises(services.FontMissing) as error:
        services.voter_list_pdf(stations.election, station, "kk")
    assert str(tmp_path / "DejaVuSans.ttf") in str(error.value)
    assert "fonts-dejavu-core" in str(error.value)


def test_a_district_without_a_name_in_the_manifest_takes_the_registrys(stations):
    from saylau.stations import manifest

    election = stations.election
    for district in election.manifest["districts"]:
        district.pop("name")
    assert manifest.district_name(election, "KZ-75", "kk") == "Алматы қаласы"
    assert manifest.district_name(election, "KZ-75", "ru") == "город Алматы"
    assert manifest.district_name(election, "KZ-00", "ru") == "KZ-00"
    assert manifest.title(election, "ru") == "Праймериз"
