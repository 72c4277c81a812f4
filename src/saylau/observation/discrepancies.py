"""Observers' protocol copies against the official result, station by station and line by
line: a pure function of the numbers (no database), so it is tested on its own.

A row is one station and contest. Its kind: `differs` (a copy's line is not the official
one), `no_official` (copies but no official result), `no_copy` (an official result that no
observer copied) or `agrees`. `disagree` flags copies of one station that differ from each
other, whatever the official result says.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from saylau.paper.entry import Key

DIFFERS = "differs"
NO_OFFICIAL = "no_official"
NO_COPY = "no_copy"
AGREES = "agrees"
KINDS = (DIFFERS, NO_OFFICIAL, NO_COPY, AGREES)
Where = tuple[str, str]  # (station code, contest id)


@dataclass(frozen=True)
class CopyValues:
    """One observer's copy: its submission's id, who sent it, every line's number."""

    submission: int
    who: str
    values: Mapping[Key, int]


@dataclass(frozen=True)
class Line:
    """One protocol line of a station: the official number (None: no official result) and
    each copy's, in the order of the copies."""

    key: Key
    official: int | None
    copies: tuple[int, ...]

    @property
    def differences(self) -> tuple[int, ...]:
        """Each copy's number minus the official one (none without an official result)."""
        if self.official is None:
            return ()
        return tuple(value - self.official for value in self.copies)

    @property
    def size(self) -> int:
        return max((abs(d) for d in self.differences), default=0)

    @property
    def differs(self) -> bool:
        return self.size > 0

    @property
    def disagree(self) -> bool:
        return len(set(self.copies)) > 1


@dataclass(frozen=True)
class Row:
    station: str
    region: str
    contest: str
    copies: tuple[CopyValues, ...]
    official: Mapping[Key, int] | None
    lines: tuple[Line, ...]  # the lines that differ from the official or between copies

    @property
    def kind(self) -> str:
        if not self.copies:
            return NO_COPY
        if self.official is None:
            return NO_OFFICIAL
        return DIFFERS if any(line.differs for line in self.lines) else AGREES

    @property
    def disagree(self) -> bool:
        return any(line.disagree for line in self.lines)

    @property
    def size(self) -> int:
        """The largest difference from the official result on any line."""
        return max((line.size for line in self.lines), default=0)

    @property
    def differing(self) -> tuple[Key, ...]:
        """The lines a complaint names: different from the official or between copies."""
        return tuple(line.key for line in self.lines if line.differs or line.disagree)


def compare_lines(
    keys: Sequence[Key], copies: Sequence[CopyValues], official: Mapping[Key, int] | None
) -> tuple[Line, ...]:
    """The lines of `keys` on which a copy differs from `official` or from another copy."""
    out = []
    for key in keys:
        line = Line(
            key,
            None if official is None else official.get(key),
            tuple(c.values[key] for c in copies if key in c.values),
        )
        if line.differs or line.disagree:
            out.append(line)
    return tuple(out)


def discrepancies(
    keys: Mapping[str, Sequence[Key]],
    regions: Mapping[str, str],
    copies: Mapping[Where, Sequence[CopyValues]],
    official: Mapping[Where, Mapping[Key, int]],
) -> list[Row]:
    """Every station and contest with a copy or an official result, in order of station
    and contest. `keys`: each contest's lines; `regions`: each station's region."""
    rows = []
    for where in sorted(set(copies) | set(official)):
        station, contest = where
        sent = tuple(copies.get(where, ()))
        found = official.get(where)
        lines = compare_lines(keys.get(contest, ()), sent, found) if sent else ()
        rows.append(Row(station, regions.get(station, ""), contest, sent, found, lines))
    return rows


def lines_key(keys: Sequence[Key]) -> str:
    """The set of lines as one text: sorted, "counts.valid,options.x"."""
    return ",".join(sorted(f"{kind}.{name}" for kind, name in keys))
