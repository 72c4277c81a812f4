"""Member import: check every line, report the rejected ones, insert the rest at once.

Three passes, and the database is only written in the last one:

1. *check* each line on its own (IIN rules, phone, district, dates, name);
2. *cross-check* the file: an IIN on two lines, or a phone on two active
   members' lines, rejects every such line (which one is right cannot be known);
3. inside one transaction (the members table locked against other writers on
   PostgreSQL): reject lines whose IIN is already on the roll or whose phone
   belongs to an active member, then insert the accepted lines with COPY on
   PostgreSQL or batched ``bulk_create`` elsewhere.

Any failure in pass 3 rolls everything back: an import never half-applies.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from saylau.registry import districts as district_rules
from saylau.registry import iin as iin_rules
from saylau.registry import phone as phone_rules
from saylau.registry.errors import ImportConflict
from saylau.registry.messages import problem_message
from saylau.registry.models import District, ImportBatch, Member
from saylau.registry.rows import Cell, RawRow, read_rows

Progress = Callable[[str, int, int], None]
"""``progress(stage, done, total)`` with stage ``check`` or ``write``."""

PROGRESS_EVERY = 10_000
SQLITE_BATCH = 2_000

_STATUS = {
    "": Member.Status.ACTIVE,
    "active": Member.Status.ACTIVE,
    "активен": Member.Status.ACTIVE,
    "активный": Member.Status.ACTIVE,
    "белсенді": Member.Status.ACTIVE,
    "excluded": Member.Status.EXCLUDED,
    "исключен": Member.Status.EXCLUDED,
    "исключён": Member.Status.EXCLUDED,
    "шығарылған": Member.Status.EXCLUDED,
}
_DMY = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$")
_NAME_MARKS = frozenset(" -'’.")


@dataclass(frozen=True, slots=True)
class Problem:
    field: str
    code: str
    other_line: int | None = None

    @property
    def message(self) -> str:
        return problem_message(self.code, self.other_line)


@dataclass(slots=True)
class RejectedLine:
    line: int
    problems: list[Problem]


@dataclass(slots=True)
class Candidate:
    line: int
    iin: str
    full_name: str
    phone: str
    district: str
    join_date: dt.date
    status: str
    excluded_reason: str
    excluded_on: dt.date | None


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


def parse_date(value: Cell) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    text = value.strip()
    match = _DMY.match(text)
    try:
        if match:
            day, month, year = (int(part) for part in match.groups())
            return dt.date(year, month, day)
        if len(text) >= 10 and text[4] == "-":
            return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None
    return None


def _name(text: str) -> tuple[str, str | None]:
    name = " ".join(text.split())
    if not name:
        return name, "full_name.missing"
    if len(name) > 200:
        return name, "full_name.too_long"
    if not all(ch.isalpha() or ch in _NAME_MARKS for ch in name) or not any(
        ch.isalpha() for ch in name
    ):
        return name, "full_name.invalid"
    return name, None


def _text(value: Cell) -> str:
    return value.isoformat() if isinstance(value, dt.date) else value


def check_line(
    row: RawRow, districts: dict[str, str], today: dt.date
) -> tuple[Candidate | None, list[Problem], str | None, str | None]:
    """Check one line on its own: (candidate or None, problems, valid IIN, valid phone)."""
    values = row.values
    problems: list[Problem] = []
    iin_text = "".join(_text(values.get("iin", "")).split())
    birth: dt.date | None = None
    good_iin: str | None = None
    if not iin_text:
        problems.append(Problem("iin", "iin.missing"))
    else:
        try:
            birth = iin_rules.parse(iin_text, today=today).birth_date
            good_iin = iin_text
        except iin_rules.IINError as error:
            problems.append(Problem("iin", "iin." + error.code))

    full_name, name_problem = _name(_text(values.get("full_name", "")))
    if name_problem:
        problems.append(Problem("full_name", name_problem))

    phone_text = _text(values.get("phone", ""))
    good_phone: str | None = None
    if not phone_text.strip():
        problems.append(Problem("phone", "phone.missing"))
    else:
        try:
            good_phone = phone_rules.normalize(phone_text)
        except phone_rules.PhoneError as error:
            problems.append(Problem("phone", "phone." + error.code))

    district_text = _text(values.get("district", ""))
    district = district_rules.resolve(district_text, districts) if district_text.strip() else None
    if district is None:
        code = "district.unknown" if district_text.strip() else "district.missing"
        problems.append(Problem("district", code))

    join_raw = values.get("join_date", "")
    join_date = parse_date(join_raw) if join_raw else None
    if not join_raw:
        problems.append(Problem("join_date", "join_date.missing"))
    elif join_date is None:
        problems.append(Problem("join_date", "join_date.invalid"))
    elif join_date > today:
        problems.append(Problem("join_date", "join_date.future"))
    elif birth is not None and join_date < birth:
        problems.append(Problem("join_date", "join_date.before_birth"))

    status = _STATUS.get(_text(values.get("status", "")).strip().casefold())
    reason = " ".join(_text(values.get("excluded_reason", "")).split())
    excluded_raw = values.get("excluded_on", "")
    excluded_on = parse_date(excluded_raw) if excluded_raw else None
    if status is None:
        problems.append(Problem("status", "status.invalid"))
    elif status == Member.Status.EXCLUDED:
        if not reason:
            problems.append(Problem("excluded_reason", "excluded_reason.missing"))
        if not excluded_raw:
            problems.append(Problem("excluded_on", "excluded_on.missing"))
        elif excluded_on is None:
            problems.append(Problem("excluded_on", "excluded_on.invalid"))
    elif reason or excluded_raw:
        problems.append(Problem("excluded_on", "excluded_on.unexpected"))

    sharing_phone = good_phone if status != Member.Status.EXCLUDED else None
    if problems:
        return None, problems, good_iin, sharing_phone
    candidate = Candidate(
        line=row.line,
        iin=iin_text,
        full_name=full_name,
        phone=good_phone or "",
        district=district or "",
        join_date=join_date or today,
        status=str(status),
        excluded_reason=reason,
        excluded_on=excluded_on,
    )
    return candidate, problems, good_iin, sharing_phone


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
    """Passes 1 and 2: everything that can be said about the file without the database."""
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


def _chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _existing(values: list[str], field_name: str, **filters: Any) -> set[str]:
    """Which of ``values`` are already in the members table (``field_name``)."""
    queryset = Member.objects.filter(**filters)
    found: set[str] = set()
    if len(values) <= 20_000:
        for chunk in _chunks(values, 900):
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


_COPY_FIELDS = (
    "iin",
    "full_name",
    "phone",
    "district",
    "join_date",
    "status",
    "excluded_reason",
    "excluded_on",
    "import_batch",
)


def _row(candidate: Candidate, batch_id: int) -> tuple[Any, ...]:
    return (
        candidate.iin,
        candidate.full_name,
        candidate.phone,
        candidate.district,
        candidate.join_date,
        candidate.status,
        candidate.excluded_reason,
        candidate.excluded_on,
        batch_id,
    )


def _column(name: str) -> str:
    """The database column of Member's concrete field `name`."""
    field = Member._meta.get_field(name)
    if not isinstance(field, models.Field):
        raise TypeError(f"Member.{name} is not a concrete field")
    return field.column


def _insert_postgresql(accepted: list[Candidate], batch_id: int, progress: Progress | None) -> None:
    from psycopg import sql

    meta = Member._meta
    columns = [_column(name) for name in _COPY_FIELDS]
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(meta.db_table), sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    total = len(accepted)
    with connection.cursor() as cursor, connection.wrap_database_errors:
        with cursor.cursor.copy(statement) as copy:
            for done, candidate in enumerate(accepted, start=1):
                copy.write_row(_row(candidate, batch_id))
                if progress and done % PROGRESS_EVERY == 0:
                    progress("write", done, total)
        if progress:
            progress("write", total, total)
        if total >= 10_000:
            cursor.execute(sql.SQL("ANALYZE {}").format(sql.Identifier(meta.db_table)))


def _insert_orm(accepted: list[Candidate], batch_id: int, progress: Progress | None) -> None:
    done = 0
    for chunk in _chunks(accepted, SQLITE_BATCH):
        Member.objects.bulk_create(
            [
                Member(
                    iin=c.iin,
                    full_name=c.full_name,
                    phone=c.phone,
                    district_id=c.district,
                    join_date=c.join_date,
                    status=c.status,
                    excluded_reason=c.excluded_reason,
                    excluded_on=c.excluded_on,
                    import_batch_id=batch_id,
                )
                for c in chunk
            ]
        )
        done += len(chunk)
        if progress:
            progress("write", done, len(accepted))


def district_lookup() -> dict[str, str]:
    return district_rules.lookup_table(District.objects.all())


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
            if not dry_run and connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    table = connection.ops.quote_name(Member._meta.db_table)
                    cursor.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")
            accepted = _check_against_roll(checked)
            counts = _counts(checked.problems)
            if not dry_run:
                batch = ImportBatch.objects.create(
                    created_by=user if getattr(user, "is_authenticated", False) else None,
                    source_name=source_name[:255],
                    source_sha256=hashlib.sha256(data).hexdigest(),
                    total_lines=checked.total_lines,
                    accepted=len(accepted),
                    rejected=len(checked.problems),
                    rejected_by_code=counts,
                )
                batch_id = batch.pk
                if connection.vendor == "postgresql":
                    _insert_postgresql(accepted, batch.pk, progress)
                else:
                    _insert_orm(accepted, batch.pk, progress)
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
        counts_by_code=counts,
    )


def _counts(problems: dict[int, list[Problem]]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for line_problems in problems.values():
        for problem in line_problems:
            counts[problem.code] = counts.get(problem.code, 0) + 1
    return dict(sorted(counts.items()))
