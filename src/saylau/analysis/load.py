"""A commission's CSV export (paper.csv_check.read_rows, the one reader) as Precincts for the
forensics, with the rows it leaves out and why, and each station's control-relation failures.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from saylau.forensics.precincts import Precincts, from_rows
from saylau.i18n import gettext_noop
from saylau.paper.column_map import ColumnMap, render
from saylau.paper.csv_check import ROW_MESSAGES, read_row, read_rows
from saylau.protocol.paper_protocol import RELATION_CODES, ProtocolCounts, check_relations

LEFT_OUT_MESSAGES: dict[str, str] = {
    **ROW_MESSAGES,
    "row.no_voters": gettext_noop("no voters on the list: the turnout is not defined"),
    "row.turnout_over_100": gettext_noop(
        "turnout above 100 %%: %(ballots)s ballots for %(voters)s voters on the list"
    ),
    "row.option_over_valid": gettext_noop(
        "an option has more votes than there are valid ballots: %(votes)s for %(valid)s"
    ),
}
NO_REGION = "-"


@dataclass(frozen=True)
class LeftOut:
    """A row the analysis leaves out: its spreadsheet number, station key and reasons."""

    row: int
    station: str
    reasons: tuple[tuple[str, dict[str, str | int]], ...]

    def message(self, translate: Callable[[str], str] = str) -> str:
        return "; ".join(render(LEFT_OUT_MESSAGES[c], p, translate) for c, p in self.reasons)

    def to_json(self) -> dict[str, object]:
        return {
            "row": self.row,
            "station": self.station,
            "reasons": [{"code": c, **p} for c, p in self.reasons],
        }


@dataclass
class Loaded:
    precincts: Precincts
    failing: dict[str, list[bool]]  # relation code → one flag per analysed station
    left_out: list[LeftOut] = field(default_factory=list)
    rows: int = 0  # data rows read


def _range_reasons(c: ProtocolCounts) -> list[tuple[str, dict[str, str | int]]]:
    if c.voters_on_list == 0:
        return [("row.no_voters", {})]
    ballots = max(c.ballots_issued, c.valid + c.invalid)
    if ballots > c.voters_on_list:
        return [("row.turnout_over_100", {"ballots": ballots, "voters": c.voters_on_list})]
    top = max(c.options, default=0)
    if top > c.valid:  # a share above 1: no test's null is defined
        return [("row.option_over_valid", {"votes": top, "valid": c.valid})]
    return []


def load_csv(
    path: Path, columns: ColumnMap, on_progress: Callable[[int, int], None] | None = None
) -> Loaded:
    """Read the export; raise ColumnMapError or CsvFileError (paper.csv_check) on a bad map or
    file. A row that cannot be read, has no voters, a turnout above 100 % or an option with
    more votes than valid ballots is left out."""
    rows: list[tuple[int, int, int, int, tuple[int, ...], str]] = []
    failing: dict[str, list[bool]] = {code: [] for code in RELATION_CODES}
    left_out: list[LeftOut] = []
    count = 0
    for number, row, bound in read_rows(path, columns, on_progress=on_progress):
        count += 1
        station = "/".join(row[i].strip() for i in bound.station) if len(row) == bound.width else ""
        counts = read_row(row, bound)
        if not isinstance(counts, ProtocolCounts):
            reasons = tuple((r.code, r.params) for r in counts)
            left_out.append(LeftOut(number, station, reasons))
            continue
        problems = _range_reasons(counts)
        if problems:
            left_out.append(LeftOut(number, station, tuple(problems)))
            continue
        region = "/".join(row[i].strip() for i in bound.region) or NO_REGION
        cast = counts.valid + counts.invalid
        rows.append(
            (
                counts.voters_on_list,
                counts.ballots_issued,
                cast,
                counts.valid,
                counts.options,
                region,
            )
        )
        broken = {
            f.relation
            for f in check_relations(
                counts, min_marks=columns.min_marks, max_marks=columns.max_marks
            )
        }
        for code in RELATION_CODES:
            failing[code].append(code in broken)
    return Loaded(from_rows(rows, columns.options), failing, left_out, count)
