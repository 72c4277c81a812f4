"""Read member files (CSV or XLSX) into raw rows keyed by canonical column names.

Columns (header names in any case; kk/ru/en aliases accepted):
``iin``, ``full_name``, ``phone``, ``district``, ``join_date`` (required) and
``status``, ``excluded_reason``, ``excluded_on`` (optional). Other columns are
ignored. Line numbers are the file's own (the header is line 1), so a report
points at the line a person sees in the spreadsheet or editor.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from saylau.registry.errors import ImportFileError

REQUIRED = ("iin", "full_name", "phone", "district", "join_date")
OPTIONAL = ("status", "excluded_reason", "excluded_on")
COLUMNS = REQUIRED + OPTIONAL

_ALIASES = {
    "iin": ("iin", "иин", "жсн", "individual identification number"),
    "full_name": ("full_name", "full name", "name", "фио", "ф.и.о.", "аты-жөні", "аты жөні"),
    "phone": ("phone", "mobile", "телефон", "тел", "тел.", "мобильный телефон", "ұялы телефон"),
    "district": ("district", "region", "район", "регион", "область", "округ", "өңір", "облыс"),
    "join_date": (
        "join_date",
        "join date",
        "joined",
        "дата вступления",
        "партияға кірген күні",
        "кірген күні",
    ),
    "status": ("status", "статус", "мәртебе"),
    "excluded_reason": (
        "excluded_reason",
        "exclusion reason",
        "причина исключения",
        "шығарылу себебі",
    ),
    "excluded_on": ("excluded_on", "excluded on", "дата исключения", "шығарылған күні"),
}
_HEADER = {alias: column for column, aliases in _ALIASES.items() for alias in aliases}

Cell = str | dt.date


@dataclass(frozen=True, slots=True)
class RawRow:
    line: int
    values: dict[str, Cell]


def _canonical(header: str) -> str | None:
    return _HEADER.get(" ".join(str(header).replace("_", " ").split()).casefold()) or _HEADER.get(
        str(header).strip().casefold()
    )


def _map_header(cells: list[Any]) -> dict[int, str]:
    mapping: dict[int, str] = {}
    for index, cell in enumerate(cells):
        column = _canonical(str(cell or ""))
        if column is not None and column not in mapping.values():
            mapping[index] = column
    missing = [column for column in REQUIRED if column not in mapping.values()]
    if missing:
        raise ImportFileError(
            _("The file has no column for: %(columns)s. The first line must name the columns.")
            % {"columns": ", ".join(missing)}
        )
    return mapping


def _cell(value: Any) -> Cell:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    return str(value).strip()


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1251")  # what Excel writes for "CSV" on a Russian Windows
    except UnicodeDecodeError:
        raise ImportFileError(
            _("The file's text encoding is not recognised; save it as UTF-8 CSV.")
        ) from None


def _csv_rows(data: bytes) -> tuple[int, Iterator[RawRow]]:
    text = _decode(data)
    if "\x00" in text:
        raise ImportFileError(_("This is not a CSV or XLSX file."))
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    lines = text.count("\n") + (0 if text.endswith("\n") else 1)
    total = max(lines - 1, 0)  # minus the header
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise ImportFileError(_("The file is empty.")) from None
    mapping = _map_header(header)

    def rows() -> Iterator[RawRow]:
        try:
            for record in reader:
                if not any(cell.strip() for cell in record):
                    continue
                values: dict[str, Cell] = {
                    column: record[i].strip() if i < len(record) else ""
                    for i, column in mapping.items()
                }
                yield RawRow(reader.line_num, values)
        except csv.Error:
            raise ImportFileError(
                _("The CSV file is malformed near line %(line)d.") % {"line": reader.line_num}
            ) from None

    return total, rows()


def _xlsx_rows(data: bytes) -> tuple[int, Iterator[RawRow]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise ImportFileError(_("The XLSX file cannot be read; is it damaged?")) from None
    sheet = workbook.worksheets[0]
    iterator = sheet.iter_rows(values_only=True)
    header: list[Any] | None = None
    header_line = 0
    for header_line, cells in enumerate(iterator, start=1):  # noqa: B007
        if any(cell not in (None, "") for cell in cells):
            header = list(cells)
            break
    if header is None:
        raise ImportFileError(_("The file is empty."))
    mapping = _map_header(header)
    total = max((sheet.max_row or 0) - header_line, 0)
    iin_index = next(i for i, column in mapping.items() if column == "iin")

    def rows() -> Iterator[RawRow]:
        try:
            for line, cells in enumerate(iterator, start=header_line + 1):
                if not any(cell not in (None, "") for cell in cells):
                    continue
                values = {
                    column: _cell(cells[i]) if i < len(cells) else ""
                    for i, column in mapping.items()
                }
                iin_cell = cells[iin_index] if iin_index < len(cells) else None
                if isinstance(iin_cell, int | float) and not isinstance(iin_cell, bool):
                    # Excel stores an IIN typed as a number and drops its leading zeros
                    # (births in 2000-2009); the check digit still guards the result.
                    if float(iin_cell).is_integer() and 0 < iin_cell < 10**12:
                        values["iin"] = f"{int(iin_cell):012d}"
                yield RawRow(line, values)
        finally:
            workbook.close()

    return total, rows()


def read_rows(data: bytes, filename: str = "") -> tuple[int, Iterator[RawRow]]:
    """Return (approximate number of data lines, iterator of rows) for a CSV or XLSX file.

    The format is taken from the content (an XLSX file is a zip archive), not the name.
    Raises ``ImportFileError`` for a file that cannot be imported at all.
    """
    if not data.strip():
        raise ImportFileError(_("The file is empty."))
    if data[:4] == b"PK\x03\x04":
        if not zipfile.is_zipfile(io.BytesIO(data)):
            raise ImportFileError(_("The XLSX file cannot be read; is it damaged?"))
        return _xlsx_rows(data)
    if filename.lower().endswith((".xls", ".xlsx", ".ods")):
        raise ImportFileError(_("Only CSV and XLSX files can be imported."))
    return _csv_rows(data)
