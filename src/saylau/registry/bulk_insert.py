"""Writing the accepted lines of an import into the members table at once: COPY on
PostgreSQL, batched ``bulk_create`` elsewhere (inside the caller's transaction)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import islice
from typing import Any

from django.db import connection, models

from saylau.registry import file_check
from saylau.registry.file_check import Progress
from saylau.registry.line_check import Candidate
from saylau.registry.models import Member

SQLITE_BATCH = 2_000

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


def chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


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


def insert_postgresql(accepted: list[Candidate], batch_id: int, progress: Progress | None) -> None:
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
                if progress and done % file_check.PROGRESS_EVERY == 0:
                    progress("write", done, total)
        if progress:
            progress("write", total, total)
        if total >= 10_000:
            cursor.execute(sql.SQL("ANALYZE {}").format(sql.Identifier(meta.db_table)))


def insert_orm(accepted: list[Candidate], batch_id: int, progress: Progress | None) -> None:
    done = 0
    for chunk in chunks(accepted, SQLITE_BATCH):
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


def lock_members() -> None:
    """On PostgreSQL, lock the members table against other writers until the transaction ends."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            table = connection.ops.quote_name(Member._meta.db_table)
            cursor.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")


def insert(accepted: list[Candidate], batch_id: int, progress: Progress | None) -> None:
    if connection.vendor == "postgresql":
        insert_postgresql(accepted, batch_id, progress)
    else:
        insert_orm(accepted, batch_id, progress)
