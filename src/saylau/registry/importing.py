"""Member import: check every line, report the rejected ones, insert the rest at once.

Three passes, and the database is only written in the last one:

1. *check* each line on its own (registry/line_check.py);
2. *cross-check* the file: an IIN or an active member's phone on two lines
   (registry/file_check.py);
3. inside one transaction (the members table locked against other writers on
   PostgreSQL): reject lines whose IIN is already on the roll or whose phone
   belongs to an active member, then insert the accepted lines
   (registry/bulk_insert.py).

Any failure in pass 3 rolls everything back: an import never half-applies.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from saylau.registry import bulk_insert
from saylau.registry import districts as district_rules
from saylau.registry.errors import ImportConflict
from saylau.registry.file_check import CheckedFile, Progress, check_file
from saylau.registry.line_check import Candidate, Problem, check_line, parse_date
from saylau.registry.models import District, ImportBatch, Member
from saylau.registry.rows import read_rows

__all__ = [
    "ImportReport",
    "Problem",
    "Progress",
    "RejectedLine",
    "check_file",
    "check_line",
    "district_lookup",
    "import_members",
    "parse_date",
]


@dataclass(slots=True)
class RejectedLine:
    line: int
    problems: list[Problem]


@dataclass
class ImportReport:
    source_name: str
    total_lines: int
    accepted: int
    rejected: list[RejectedLine]
    applied: bool
    dry_run: bool
    batch_id: int | None = None
    counts_by_code: dict[str, int] = field(default_factory=dict)

    @property
    def rejected_count(self) -> int:
        return len(self.rejected)


def _existing(values: list[str], field_name: str, **filters: Any) -> set[str]:
    """Which of ``values`` are already in the members table (``field_name``)."""
    queryset = Member.objects.filter(**filters)
    found: set[str] = set()
    if len(values) <= 20_000:
        for chunk in bulk_insert.chunks(values, 900):
            found.update(
                queryset.filter(**{f"{field_name}__in": chunk}).values_list(field_name, flat=True)
            )
        return found
    wanted = set(values)
    for value in queryset.values_list(field_name, flat=True).iterator(chunk_size=50_000):
        if value in wanted:
            found.add(value)
    return found


def _check_against_roll(checked: CheckedFile) -> list[Candidate]:
    """Pass 3a: reject lines that clash with members already on the roll."""
    on_roll = _existing([c.iin for c in checked.candidates], "iin")
    active = [c.phone for c in checked.candidates if c.status == Member.Status.ACTIVE]
    phones_taken = _existing(active, "phone", status=Member.Status.ACTIVE)
    accepted: list[Candidate] = []
    for candidate in checked.candidates:
        clash: list[Problem] = []
        if candidate.iin in on_roll:
            clash.append(Problem("iin", "iin.on_roll"))
        if candidate.status == Member.Status.ACTIVE and candidate.phone in phones_taken:
            clash.append(Problem("phone", "phone.on_roll"))
        if clash:
            checked.problems[candidate.line] = clash
        else:
            accepted.append(candidate)
    return accepted


def district_lookup() -> dict[str, str]:
    return district_rules.lookup_table(District.objects.all())


def _counts(problems: dict[int, list[Problem]]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for line_problems in problems.values():
        for problem in line_problems:
            counts[problem.code] = counts.get(problem.code, 0) + 1
    return dict(sorted(counts.items()))


def _apply(
    checked: CheckedFile, data: bytes, source_name: str, user: Any, progress: Progress | None
) -> tuple[list[Candidate], int]:
    """Pass 3 (in the caller's transaction): the roll check, the batch, the insert."""
    bulk_insert.lock_members()
    accepted = _check_against_roll(checked)
    batch = ImportBatch.objects.create(
        created_by=user if getattr(user, "is_authenticated", False) else None,
        source_name=source_name[:255],
        source_sha256=hashlib.sha256(data).hexdigest(),
        total_lines=checked.total_lines,
        accepted=len(accepted),
        rejected=len(checked.problems),
        rejected_by_code=_counts(checked.problems),
    )
    bulk_insert.insert(accepted, batch.pk, progress)
    return accepted, batch.pk


def import_members(
    data: bytes,
    *,
    source_name: str = "",
    dry_run: bool = False,
    today: dt.date | None = None,
    user: Any = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Import a CSV or XLSX member file (see ``saylau.registry.rows`` for its columns)."""
    today = today or timezone.localdate()
    expected, rows = read_rows(data, source_name)
    checked = check_file(
        rows, districts=district_lookup(), today=today, expected=expected, progress=progress
    )
    batch_id: int | None = None
    try:
        with transaction.atomic():
            if dry_run:
                accepted = _check_against_roll(checked)
            else:
                accepted, batch_id = _apply(checked, data, source_name, user, progress)
    except IntegrityError:
        raise ImportConflict(
            _(
                "The roll changed while the file was being imported; nothing was imported. "
                "Please import the file again."
            )
        ) from None
    rejected = [RejectedLine(line, checked.problems[line]) for line in sorted(checked.problems)]
    return ImportReport(
        source_name=source_name,
        total_lines=checked.total_lines,
        accepted=len(accepted),
        rejected=rejected,
        applied=not dry_run,
        dry_run=dry_run,
        batch_id=batch_id,
        counts_by_code=_counts(checked.problems),
    )
