import datetime as dt
import io

import pytest
from openpyxl import Workbook

from saylau.registry.errors import ImportFileError
from saylau.registry.rows import read_rows
from saylau.registry.synth import HEADER


def csv_bytes(rows, header=HEADER, delimiter=",", encoding="utf-8"):
    lines = [] if header is None else [delimiter.join(header)]
    lines += [delimiter.join(str(cell) for cell in row) for row in rows]
    return ("\n".join(lines) + "\n").encode(encoding)


def rows_of(data, name=""):
    total, rows = read_rows(data, name)
    return total, list(rows)


def test_csv_with_header_and_line_numbers():
    data = csv_bytes([["900101300007", "Ахметов Ерлан", "+77011234567", "KZ-75", "2010-01-01"]])
    total, rows = rows_of(data)
    assert total == 1
    assert rows[0].line == 2
    assert rows[0].values["iin"] == "900101300007"
    assert rows[0].values["district"] == "KZ-75"


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_delimiters(delimiter):
    data = csv_bytes([["1", "A", "2", "3", "4"]], delimiter=delimiter)
    assert rows_of(data)[1][0].values["full_name"] == "A"


def test_russian_headers_bom_and_cp1251():
    header = ["ИИН", "ФИО", "Телефон", "Область", "Дата вступления"]
    row = ["900101300007", "Иванов Иван", "87011234567", "город Алматы", "01.02.2010"]
    utf8 = b"\xef\xbb\xbf" + csv_bytes([row], header=header, delimiter=";")
    cp1251 = csv_bytes([row], header=header, delimiter=";", encoding="cp1251")
    for data in (utf8, cp1251):
        values = rows_of(data)[1][0].values
        assert values["full_name"] == "Иванов Иван"
        assert values["join_date"] == "01.02.2010"


def test_kazakh_headers():
    header = ["ЖСН", "Аты-жөні", "Ұялы телефон", "Облыс", "Партияға кірген күні"]
    values = rows_of(csv_bytes([["1", "Әсел", "2", "3", "4"]], header=header))[1][0].values
    assert values["full_name"] == "Әсел"


def test_blank_lines_skipped_and_extra_columns_ignored():
    header = ["iin", "full_name", "phone", "district", "join_date", "notes"]
    data = csv_bytes(
        [["1", "A", "2", "3", "4", "x"], ["", "", "", "", "", ""], ["5", "B", "6", "7", "8", "y"]],
        header=header,
    )
    rows = rows_of(data)[1]
    assert [r.line for r in rows] == [2, 4]
    assert "notes" not in rows[0].values


def test_missing_columns_named_in_the_error(english):
    data = csv_bytes([["1", "A"]], header=["iin", "full_name"])
    with pytest.raises(ImportFileError) as error:
        rows_of(data)
    assert "phone" in str(error.value) and "district" in str(error.value)


@pytest.mark.parametrize("data", [b"", b"   \n", b"\x00\x01\x02binary"])
def test_unusable_files(data):
    with pytest.raises(ImportFileError):
        rows_of(data)


def test_xls_by_name_refused():
    with pytest.raises(ImportFileError):
        rows_of(b"iin,full_name\n", "old.xls")


def test_broken_zip_refused():
    with pytest.raises(ImportFileError):
        rows_of(b"PK\x03\x04broken")


def xlsx_bytes(rows):
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_xlsx_cells_numbers_and_dates():
    data = xlsx_bytes(
        [
            [None],
            ["IIN", "Full name", "Phone", "District", "Join date"],
            [10101500007, "Әлиев Ерлан", 77011234567, "KZ-75", dt.datetime(2010, 1, 2)],
            [900101300007.0, "Б", "+7 701 123 45 67", 75, "2010-01-03"],
        ]
    )
    total, rows = rows_of(data, "members.xlsx")
    assert total == 2
    assert rows[0].line == 3
    # the leading zero Excel dropped from a numeric IIN is restored
    assert rows[0].values["iin"] == "010101500007"
    assert rows[0].values["phone"] == "77011234567"
    assert rows[0].values["join_date"] == dt.date(2010, 1, 2)
    assert rows[1].values["iin"] == "900101300007"
    assert rows[1].values["district"] == "75"
