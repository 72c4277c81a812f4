"""The control relations over a commission's CSV export, one row at a time (docs/paper-csv.md).

Each data row becomes a ProtocolCounts and goes through protocol.paper_protocol's
check_relations, the one implementation of the relations. A row that cannot be read (a cell
missing, a count that is not a whole number of 0 or more) is listed with its reason and the
rest are still checked. Rows are numbered as a spreadsheet shows them: the header is row 1,
the first protocol row 2 (the file's line number too, unless a cell holds a line break).
Memory is constant but for the numbers of the unreadable rows and the first `keep` failures
per relation.
No Django: `saylau paper check-protocols` runs without a database.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, BinaryIO

from saylau.errors import UserError
from saylau.i18n import gettext_noop
from saylau.paper.column_map import BoundMap, ColumnMap, bind, render
from saylau.protocol.paper_protocol import (
    RELATION_CODES,
    RELATIONS,
    ProtocolCounts,
    RelationFailure,
    check_relations,
)

ROW_MESSAGES: dict[str, str] = {
    "row.cells": gettext_noop("the row has %(cells)s cells; the header has %(columns)s"),
    "row.empty": gettext_noop("%(column)s is empty"),
    "row.not_number": gettext_noop("%(column)s: %(value)s is not a number"),
    "row.negative": gettext_noop("%(column)s: %(value)s is negative"),
    "row.not_whole": gettext_noop("%(column)s: %(value)s is not a whole number written in digits"),
    "row.duplicate": gettext_noop("the station %(station)s is also in row %(first)s"),
}

FILE_MESSAGES: dict[str, str] = {
    "csv.unreadable": gettext_noop("The file %(path)s could not be read: %(detail)s"),
    "csv.no_header": gettext_noop("The file %(path)s is empty: it has no header line."),
    "csv.not_utf8": gettext_noop(
        "The file %(path)s is not UTF-8 text (line %(line)s): save it as UTF-8 CSV."
    ),
    "csv.malformed": gettext_noop("The file %(path)s is not CSV (line %(line)s): %(detail)s"),
}

# The relations in words, for the table of the human report.
RELATION_NAMES: dict[str, str] = {
    "issued_le_received": gettext_noop("ballots issued ≤ ballots received"),
    "received_balance": gettext_noop("received = issued + cancelled + spoiled + lost"),
    "in_boxes_le_issued": gettext_noop("ballots in the boxes ≤ ballots issued"),
    "valid_plus_invalid": gettext_noop("valid + invalid = ballots in the boxes"),
    "options_sum_valid": gettext_noop("votes for the options = valid ballots (≤ k × valid)"),
    "issued_le_list": gettext_noop("ballots issued ≤ voters on the list"),
}

SNIFF_BYTES = 64 * 1024
PROGRESS_EVERY = 4096  # rows between two progress callbacks


class CsvFileError(UserError):
    """A file that cannot be read as a CSV export: a code of `FILE_MESSAGES`, its parameters."""

    def __init__(self, code: str, **params: str | int) -> None:
        self.code = code
        self.params = params
        super().__init__(FILE_MESSAGES[code] % params, code=code)

    def message_in(self, translate: Callable[[str], str]) -> str:
        return render(FILE_MESSAGES[self.code], self.params, translate)


@dataclass(frozen=True)
class Reason:
    """Why one cell or row cannot be read: a code of `ROW_MESSAGES` and its parameters."""

    code: str
    params: dict[str, str | int]

    def message(self, translate: Callable[[str], str] = str) -> str:
        return render(ROW_MESSAGES[self.code], self.params, translate)


@dataclass(frozen=True)
class UnreadableRow:
    row: int
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class StationFailure:
    row: int
    station: str
    failure: RelationFailure

    def message(self, translate: Callable[[str], str] = str) -> str:
        return render(RELATIONS[self.failure.code], self.failure.params, translate)


@dataclass
class CheckReport:
    """What check_csv found: counts for every relation, the first failures and unreadable rows."""

    keep: int | None  # failures (and unreadable rows) kept per relation; None: all
    protocols: int = 0
    failures: dict[str, int] = field(default_factory=lambda: dict.fromkeys(RELATION_CODES, 0))
    failing: dict[str, list[StationFailure]] = field(
        default_factory=lambda: {code: [] for code in RELATION_CODES}
    )
    unreadable_rows: list[int] = field(default_factory=list)
    unreadable: list[UnreadableRow] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.unreadable_rows and not any(self.failures.values())

    def to_json(self) -> dict[str, Any]:
        return {
            "protocols": self.protocols,
            "failures": dict(self.failures),
            "unreadable_rows": list(self.unreadable_rows),
        }

    def add_failures(self, items: list[StationFailure]) -> None:
        """One protocol's failures: each relation it breaks counts that protocol once (a
        vote-for-up-to-k protocol may break options_sum_valid in two forms, or per option)."""
        for code in {item.failure.relation for item in items}:
            self.failures[code] += 1
        for item in items:
            code = item.failure.relation
            if self.keep is None or len(self.failing[code]) < self.keep:
                self.failing[code].append(item)

    def add_unreadable(self, item: UnreadableRow) -> None:
        self.unreadable_rows.append(item.row)
        if self.keep is None or len(self.unreadable) < self.keep:
            self.unreadable.append(item)


def sniff_delimiter(sample: str) -> str:
    """`;` when the first record has more cells split on `;` than on `,`, else `,`."""
    first: dict[str, int] = {}
    for delimiter in (",", ";"):
        record = next(csv.reader(io.StringIO(sample), delimiter=delimiter), [])
        first[delimiter] = len(record)
    return ";" if first[";"] > first[","] else ","


def count_cell(cell: str, column: str, reasons: list[Reason]) -> int:
    """A count cell: digits only, 0 or more; otherwise a reason goes on `reasons` (and 0)."""
    value = cell.strip()
    if value.isascii() and value.isdigit():
        return int(value)
    params: dict[str, str | int] = {"column": column, "value": value}
    if not value:
        reasons.append(Reason("row.empty", {"column": column}))
        return 0
    try:  # Decimal reads other scripts' digits too: a count is written in 0-9
        number = Decimal(value) if value.isascii() else Decimal("NaN")
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite():
        reasons.append(Reason("row.not_number", params))
    elif number < 0 or value.startswith("-"):
        reasons.append(Reason("row.negative", params))
    else:
        reasons.append(Reason("row.not_whole", params))
    return 0


def read_row(row: list[str], bound: BoundMap) -> ProtocolCounts | tuple[Reason, ...]:
    """The protocol in one data row, or every reason it cannot be read."""
    if len(row) != bound.width:
        return (Reason("row.cells", {"cells": len(row), "columns": bound.width}),)
    reasons: list[Reason] = []
    names = bound.names
    lines = {
        line: sum(count_cell(row[i], names[i], reasons) for i in columns)
        for line, columns in bound.lines.items()
    }
    options = tuple(count_cell(row[i], names[i], reasons) for i in bound.options)
    if reasons:
        return tuple(reasons)
    return ProtocolCounts(**lines, options=options)


def _text_lines(raw: BinaryIO, path: Path) -> Iterator[str]:
    """The file's lines as text, each decoded alone so that a bad byte is named by its line."""
    for number, data in enumerate(raw, start=1):
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise CsvFileError("csv.not_utf8", path=str(path), line=number) from None
        yield text.removeprefix("\ufeff") if number == 1 else text


def read_rows(
    path: Path,
    columns: ColumnMap,
    *,
    on_progress: Callable[[int, int], None] | None = None,
) -> Iterator[tuple[int, list[str], BoundMap]]:
    """Every non-blank data row of the CSV file at `path`: (its row number, its cells, the
    map bound to the header).

    The file is UTF-8 (a BOM is skipped), `,` or `;` separated (sniff_delimiter), its first
    line the header. Raise ColumnMapError for a map that does not fit the header (before any
    row is read), CsvFileError for a file that is not such a CSV. `on_progress` gets (bytes
    read, file size)."""
    try:
        raw = path.open("rb")
    except OSError as e:
        raise CsvFileError("csv.unreadable", path=str(path), detail=e.strerror or str(e)) from None
    with raw:
        size = os.fstat(raw.fileno()).st_size
        sample = raw.read(SNIFF_BYTES).decode("utf-8-sig", errors="replace")
        raw.seek(0)
        reader = csv.reader(_text_lines(raw, path), delimiter=sniff_delimiter(sample))
        try:
            header = next(reader, None)
            if not header:
                raise CsvFileError("csv.no_header", path=str(path))
            bound = bind(columns, header)
            for number, row in enumerate(reader, start=2):
                if row:  # a blank line is no protocol
                    yield number, row, bound
                if on_progress is not None and number % PROGRESS_EVERY == 0:
                    on_progress(raw.tell(), size)
        except OSError as e:
            detail = e.strerror or str(e)
            raise CsvFileError("csv.unreadable", path=str(path), detail=detail) from None
        except csv.Error as e:
            line = reader.line_num
            raise CsvFileError("csv.malformed", path=str(path), line=line, detail=str(e)) from None
        if on_progress is not None:
            on_progress(size, size)


def cells_key(row: list[str], columns: Sequence[int]) -> str:
    """The cells of `columns` joined with "/": a station's (or a region's) name."""
    return "/".join(row[i].strip() for i in columns)


def check_csv(
    path: Path,
    columns: ColumnMap,
    *,
    keep: int | None = 20,
    on_failure: Callable[[StationFailure], None] | None = None,
    on_unreadable: Callable[[UnreadableRow], None] | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> CheckReport:
    """Check every data row of the CSV file at `path` (read_rows) against the control
    relations. `on_failure` and `on_unreadable` see every failure and unreadable row as it is
    found; `on_progress` gets (bytes read, file size)."""
    report = CheckReport(keep=keep)
    for number, row, bound in read_rows(path, columns, on_progress=on_progress):
        _check_row(row, number, bound, report, on_failure, on_unreadable)
    return report


def _check_row(
    row: list[str],
    number: int,
    bound: BoundMap,
    report: CheckReport,
    on_failure: Callable[[StationFailure], None] | None,
    on_unreadable: Callable[[UnreadableRow], None] | None,
) -> None:
    counts = read_row(row, bound)
    if not isinstance(counts, ProtocolCounts):
        unreadable = UnreadableRow(number, counts)
        report.add_unreadable(unreadable)
        if on_unreadable is not None:
            on_unreadable(unreadable)
        return
    report.protocols += 1
    failures = check_relations(
        counts, min_marks=bound.columns.min_marks, max_marks=bound.columns.max_marks
    )
    if not failures:
        return
    station = cells_key(row, bound.station)
    items = [StationFailure(number, station, failure) for failure in failures]
    report.add_failures(items)
    if on_failure is not None:
        for item in items:
            on_failure(item)
