"""Read a stations CSV file as it streams in: rows keyed by canonical column names.

UTF-8 (with or without a BOM) or Windows-1251; the separator is `,`, `;` or a tab (whichever
the first line uses most). Header names in any case, in English, Russian or Kazakh. Line
numbers are the file's own (the header is line 1). A line whose bytes are not text in the
file's encoding is kept, flagged, so its row is rejected and the rest go on.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import BinaryIO

from django.utils.translation import gettext as _

from saylau.stations.errors import StationFileError

SAMPLE_BYTES = 64 * 1024
MAX_FIELD = 10_000


@dataclass(frozen=True, slots=True)
class Columns:
    """The columns of one kind of file: required, optional, and their accepted headers."""

    required: tuple[str, ...]
    optional: tuple[str, ...]
    aliases: Mapping[str, tuple[str, ...]]

    def canonical(self, header: str) -> str | None:
        key = " ".join(header.replace("_", " ").split()).casefold()
        for column in self.required + self.optional:
            names = (column, *self.aliases.get(column, ()))
            if key in {" ".join(n.replace("_", " ").split()).casefold() for n in names}:
                return column
        return None


@dataclass(frozen=True, slots=True)
class Row:
    line: int
    values: dict[str, str]
    #: some byte of the row is not text in the file's encoding
    undecodable: bool = False


def _encoding(sample: bytes) -> str:
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as error:
        cut = error.reason == "unexpected end of data" and len(sample) == SAMPLE_BYTES
        if not cut:  # not just a character cut at the end of the first read
            return "cp1251"
    return "utf-8-sig" if sample.startswith(b"\xef\xbb\xbf") else "utf-8"


def _delimiter(first_line: str) -> str:
    return max((",", ";", "\t"), key=first_line.count)


class _Lines:
    """The file's lines decoded one by one; remembers which lines were not text."""

    def __init__(self, stream: BinaryIO) -> None:
        self.sample = stream.read(SAMPLE_BYTES)
        self.stream = stream
        self.encoding = _encoding(self.sample)
        self.bad: set[int] = set()
        self.number = 0

    def _raw(self) -> Iterator[bytes]:
        pending = self.sample
        while True:
            *whole, pending = pending.split(b"\n")
            yield from (line + b"\n" for line in whole)
            chunk = self.stream.read(SAMPLE_BYTES)
            if not chunk:
                break
            pending += chunk
        if pending:
            yield pending

    def __iter__(self) -> Iterator[str]:
        encoding = self.encoding
        for raw in self._raw():
            self.number += 1
            if self.number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            try:
                yield raw.decode("cp1251" if encoding == "cp1251" else "utf-8")
            except UnicodeDecodeError:
                self.bad.add(self.number)
                yield raw.decode("utf-8", errors="replace")


def _header(cells: list[str], columns: Columns) -> dict[int, str]:
    mapping: dict[int, str] = {}
    for index, cell in enumerate(cells):
        column = columns.canonical(cell)
        if column is not None and column not in mapping.values():
            mapping[index] = column
    missing = [c for c in columns.required if c not in mapping.values()]
    if missing:
        raise StationFileError(
            _("The file has no column for: %(columns)s. The first line must name the columns.")
            % {"columns": ", ".join(missing)}
        )
    return mapping


def read_rows(source: BinaryIO | bytes, columns: Columns) -> Iterator[Row]:
    """The file's data rows, streaming; StationFileError if its header is wrong."""
    lines = _Lines(io.BytesIO(source) if isinstance(source, bytes) else source)
    if not lines.sample.strip():
        raise StationFileError(_("The file is empty."))
    first = lines.sample.split(b"\n", 1)[0].decode(lines.encoding, errors="replace")
    csv.field_size_limit(MAX_FIELD)
    reader = csv.reader(lines, delimiter=_delimiter(first))
    try:
        mapping = _header(next(reader), columns)
        yield from _rows(reader, mapping, lines)
    except csv.Error as error:
        raise StationFileError(
            _(
                "Line %(line)d cannot be read as CSV (%(reason)s); nothing from this file "
                "was imported."
            )
            % {"line": lines.number, "reason": str(error)}
        ) from None


def _rows(reader: Iterable[list[str]], mapping: dict[int, str], lines: _Lines) -> Iterator[Row]:
    previous = 1
    for cells in reader:
        start, previous = previous + 1, lines.number
        if not any(cell.strip() for cell in cells):
            continue
        values = {column: "" for column in mapping.values()}
        for index, column in mapping.items():
            if index < len(cells):
                values[column] = cells[index].strip()
        bad = any(n in lines.bad for n in range(start, lines.number + 1))
        yield Row(line=start, values=values, undecodable=bad)
