import csv
import datetime as dt

from openpyxl import load_workbook

from saylau.registry import districts, iin, phone, synth


def test_members_are_valid_distinct_and_deterministic():
    members = list(synth.generate(3000, seed=7))
    assert members == list(synth.generate(3000, seed=7))
    assert members != list(synth.generate(3000, seed=8))
    assert len({m.iin for m in members}) == 3000
    assert len({m.phone for m in members}) == 3000
    codes = {d.code for d in districts.DISTRICTS}
    for m in members:
        info = iin.parse(m.iin)
        assert phone.normalize(m.phone) == m.phone
        assert m.phone[2:5] in phone.MOBILE_PREFIXES
        assert m.district in codes
        assert synth.PARTY_FOUNDED <= m.join_date <= synth.DEFAULT_AS_OF
        assert m.join_date >= dt.date(info.birth_date.year + 18, 1, 1)
        surname = m.full_name.split()[0]
        # Surnames agree with sex (Иванов/Иванова, Серікбаев/Серікбаева).
        if surname.endswith(("ов", "ев", "ин")):
            assert info.sex == "m"
        if surname.endswith(("ова", "ева", "ина")):
            assert info.sex == "f"


def test_every_district_is_represented_and_cities_are_large():
    members = list(synth.generate(20_000, seed=1))
    by_district = {}
    for m in members:
        by_district[m.district] = by_district.get(m.district, 0) + 1
    assert len(by_district) == 20
    assert by_district["KZ-75"] > by_district["KZ-62"] * 5  # Almaty city ≫ Ulytau


def test_kazakh_and_russian_names():
    names = [m.full_name for m in synth.generate(2000, seed=3)]
    assert any(n.endswith(("ұлы", "қызы")) for n in names)
    assert any(n.endswith(("вич", "вна")) for n in names)
    assert any(ch in "әғқңөұүһі" for n in names for ch in n.lower())


def test_defects_cover_each_kind(tmp_path):
    rows = list(synth.rows(10, seed=2, defects=4))
    good, bad = rows[:10], rows[10:]
    assert not iin.is_valid(bad[0][0])
    assert bad[1][0] in {r[0] for r in good}
    assert bad[2][2] in {r[2] for r in good}
    assert bad[3][3] == "KZ-99"


def test_write_csv_and_xlsx(tmp_path):
    csv_path = tmp_path / "m.csv"
    assert synth.write_file(csv_path, 50, seed=1) == 50
    with csv_path.open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == list(synth.HEADER)
    assert len(rows) == 51
    xlsx_path = tmp_path / "m.xlsx"
    assert synth.write_file(xlsx_path, 50, seed=1) == 50
    sheet = load_workbook(xlsx_path, read_only=True).worksheets[0]
    xrows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert [str(c) for c in xrows[1]] == rows[1]
