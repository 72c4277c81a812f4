"""A table of station results from a CSV export, as arrays for the statistics (saylau.survey):
each readable row's station, region and counts (docs/pvt.md §6).

The file goes through csv_check.read_rows and read_row, as for check-protocols. A row that
cannot be read (a count that is not a whole number, an empty region, a station already seen)
is listed with its reasons; the others are kept. No Django.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from saylau.paper.column_map import BoundMap, ColumnMap
from saylau.paper.csv_check import (
    Reason,
    UnreadableRow,
    cells_key,
    count_cell,
    read_row,
    read_rows,
)
from saylau.protocol.paper_protocol import ProtocolCounts

Counts = NDArray[np.int64]


@dataclass
class ResultsTable:
    """The readable rows (row numbers as a spreadsheet shows them) and the unreadable ones."""

    option_names: tuple[str, ...]
    rows: list[int] = field(default_factory=list)
    stations: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    lines: dict[str, Counts] = field(default_factory=dict)  # each line (and count) mapped
    options: Counts = field(default_factory=lambda: np.zeros((0, 0), np.int64))
    unreadable: list[UnreadableRow] = field(default_factory=list)

    def line(self, name: str) -> Counts | None:
        """The counts of one protocol line, or None when the map does not name it."""
        return self.lines.get(name)

    def sizes(self) -> dict[str, int]:
        """Stations per region."""
        names, counts = np.unique(np.asarray(self.regions, dtype=object), return_counts=True)
        return {str(n): int(c) for n, c in zip(names, counts, strict=True)}


def _read(
    number: int, row: list[str], bound: BoundMap, seen: dict[str, int]
) -> tuple[str, str, ProtocolCounts, dict[str, int]] | UnreadableRow:
    counts = read_row(row, bound)
    if len(row) != bound.width:
        return UnreadableRow(number, tuple(counts) if isinstance(counts, tuple) else ())
    reasons = [] if isinstance(counts, ProtocolCounts) else list(counts)
    names = bound.names
    extra = {
        key: sum(count_cell(row[i], names[i], reasons) for i in columns)
        for key, columns in bound.counts.items()
    }
    reasons += [
        Reason("row.empty", {"column": names[i]}) for i in bound.region if not row[i].strip()
    ]
    station = cells_key(row, bound.station)
    if station in seen:
        reasons.append(Reason("row.duplicate", {"station": station, "first": seen[station]}))
    if reasons or not isinstance(counts, ProtocolCounts):
        return UnreadableRow(number, tuple(reasons))
    seen[station] = number
    return station, cells_key(row, bound.region), counts, extra


def read_results(
    path: Path, columns: ColumnMap, *, on_progress: Callable[[int, int], None] | None = None
) -> ResultsTable:
    """Every row of the CSV at `path` read with `columns`; raise ColumnMapError or
    CsvFileError (csv_check.read_rows) for a map or file that cannot be used."""
    table = ResultsTable(option_names=columns.options)
    seen: dict[str, int] = {}
    lines: dict[str, list[int]] = {name: [] for name in (*columns.lines, *columns.counts)}
    options: list[tuple[int, ...]] = []
    for number, row, bound in read_rows(path, columns, on_progress=on_progress):
        read = _read(number, row, bound, seen)
        if isinstance(read, UnreadableRow):
            table.unreadable.append(read)
            continue
        station, region, counts, extra = read
        table.rows.append(number)
        table.stations.append(station)
        table.regions.append(region)
        for name, values in lines.items():
            values.append(extra[name] if name in extra else getattr(counts, name))
        options.append(counts.options)
    table.lines = {name: np.asarray(values, np.int64) for name, values in lines.items()}
    width = len(columns.options)
    table.options = np.asarray(options, np.int64).reshape(len(options), width)
    return table
