"""Reading a stations CSV as it streams: encodings, separators, headers, line numbers."""

from __future__ import annotations

import io

import pytest

from saylau.stations.csvfile import SAMPLE_BYTES, read_rows
from saylau.stations.errors import StationFileError
from saylau.stations.importing import COMMISSION_COLUMNS, STATION_COLUMNS
from saylau.stations.paper_voters import PAPER_COLUMNS


def rows(data: bytes, columns=STATION_COLUMNS):
    return list(read_rows(io.BytesIO(data), columns))


def test_utf8_with_a_bom_semicolons_and_russian_headers():
    data = "\ufeffКод;Номер;Округ;Адрес\nA-1;1;KZ-75;ул. Абая, 1\n\n;;;\nA-2;2;KZ-75;x\n"
    got = rows(data.encode("utf-8"))
    assert [(r.line, r.values["code"], r.values["address"]) for r in got] == [
        (2, "A-1", "ул. Абая, 1"),
        (5, "A-2", "x"),  # empty lines are skipped, line numbers are the file's own
    ]
    assert "latitude" not in got[0].values  # an optional column the file does not have


def test_windows_1251_and_tabs():
    data = "код участка\tномер\tрегион\tадрес\nB-1\t7\tKZ-71\tАстана, проспект Мира\n"
    got = rows(data.encode("cp1251"))
    assert got[0].values == {
        "code": "B-1",
        "number": "7",
        "district": "KZ-71",
        "address": "Астана, проспект Мира",
    }


def test_kazakh_headers():
    data = "учаскенің коды,нөмір,өңір,мекенжай,ендік,бойлық\nB-1,7,KZ-71,Қабанбай батыр,51,71\n"
    got = rows(data.encode())
    assert got[0].values["address"] == "Қабанбай батыр" and got[0].values["longitude"] == "71"


def test_a_quoted_address_over_two_lines_keeps_the_next_row_numbered_right():
    data = 'code,number,district,address\nA,1,KZ-75,"line one\nline two"\nB,2,KZ-75,x\n'
    got = rows(data.encode())
    assert [(r.line, r.values["code"]) for r in got] == [(2, "A"), (4, "B")]
    assert got[0].values["address"] == "line one\nline two"


def test_missing_columns_are_named():
    with pytest.raises(StationFileError) as error, _english():
        rows(b"code,number,address\nA,1,x\n")
    assert "district" in str(error.value) and error.value.code == "stations.file"
    with pytest.raises(StationFileError), _english():
        rows(b"iin\n123\n", PAPER_COLUMNS)
    with pytest.raises(StationFileError), _english():
        rows(b"", COMMISSION_COLUMNS)


def test_a_line_that_is_not_utf8_is_flagged_and_the_rest_read():
    header = b"code,number,district,address\n"
    body = "".join(f"S-{i},{i},KZ-75,Абай\n" for i in range(1, 3001)).encode()
    assert len(header + body) > SAMPLE_BYTES  # the encoding was chosen on UTF-8 lines
    data = header + body + b"B,9999,KZ-75,\xff\xfe bad\nC,10000,KZ-75,ok\n"
    got = rows(data)
    assert [(r.line, r.undecodable) for r in got[-3:]] == [
        (3001, False),
        (3002, True),
        (3003, False),
    ]
    assert not any(r.undecodable for r in got[:-2])


def test_a_small_file_with_bytes_that_are_not_utf8_is_read_as_windows_1251():
    data = b"code,number,district,address\nA,1,KZ-75," + "Абай".encode("cp1251")
    assert rows(data)[0].values["address"] == "Абай"


def test_a_file_larger_than_one_read_streams_through():
    header = b"code,number,district,address\n"
    body = b"".join(f"S-{i},{i},KZ-75,{'a' * 40}\n".encode() for i in range(1, 5001))
    assert len(body) > 3 * SAMPLE_BYTES
    got = rows(header + body)
    assert len(got) == 5000 and got[-1].line == 5001 and got[-1].values["code"] == "S-5000"
    assert all(r.values["address"] == "a" * 40 for r in got)


def _english():
    from django.utils import translation

    return translation.override("en")
