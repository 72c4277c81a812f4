"""Checking a member file as a whole, without the database: every line on its own
(registry/line_check.py), then across lines: an IIN on two lines, or a phone on two active
members' lines, rejects every such line (which one is right cannot be known)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from saylau.registry.line_check import Candidate, Problem, check_line
from saylau.registry.rows import RawRow

Progress = Callable[[str, int, int], None]
"""``progress(stage, done, total)`` with stage ``check`` or ``write``."""

PROGRESS_EVERY = 10_000


class _Duplicates:
    """Lines that share a value: every line of such a group is rejected."""

    def __init__(self) -> None:
        self.first: dict[str, int] = {}
        self.groups: dict[str, list[int]] = {}

    def add(self, value: str, line: int) -> None:
        first = self.first.setdefault(value, line)
        if first != line:
            self.groups.setdefault(value, [first]).append(line)

    def problems(self, field_name: str, code: str) -> Iterator[tuple[int, Problem]]:
        for lines in self.groups.values():
            for line in lines:
                other = lines[1] if lines[0] == line else lines[0]
                yield line, Problem(field_name, code, other)


@dataclass
class CheckedFile:
    total_lines: int
    candidates: list[Candidate]
    problems: dict[int, list[Problem]]


def check_file(
    rows: Iterable[RawRow],
    *,
    districts: dict[str, str],
    today: dt.date,
    expected: int = 0,
    progress: Progress | None = None,
) -> CheckedFile:
    """Everything that can be said about the file without the database."""
    candidates: list[Candidate] = []
    problems: dict[int, list[Problem]] = {}
    iins, phones = _Duplicates(), _Duplicates()
    count = 0
    for count, row in enumerate(rows, start=1):
        candidate, line_problems, good_iin, good_phone = check_line(row, districts, today)
        if line_problems:
            problems[row.line] = line_problems
        if candidate is not None:
            candidates.append(candidate)
        if good_iin:
            iins.add(good_iin, row.line)
        if good_phone:
            phones.add(good_phone, row.line)
        if progress and count % PROGRESS_EVERY == 0:
            progress("check", count, max(expected, count))
    for line, problem in (
        *iins.problems("iin", "iin.duplicate"),
        *phones.problems("phone", "phone.shared"),
    ):
        problems.setdefault(line, []).append(problem)
    if progress:
        progress("check", count, count)
    accepted = [c for c in candidates if c.line not in problems]
    return CheckedFile(total_lines=count, candidates=accepted, problems=problems)
