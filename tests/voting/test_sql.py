"""The cast's SQL on PostgreSQL: prepared once per connection, the connection's lock timeout."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection

from saylau.board import sql

pytestmark = pytest.mark.django_db


def _pg():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")


def test_the_casts_statements_are_prepared(world, api):
    _pg()
    for k in range(3):
        voter = world.voters[k]
        token = api.sign_in(voter, ip=f"10.0.1.{k}")
        for choice in (0, 1):  # a first cast (decision 0015), then a revote (the look-up)
            assert api.cast(world.ballot(voter, choice=choice), token).status_code == 201
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any(s.startswith("CALL saylau_append_first_cast") for s in prepared)
    assert any(s.startswith("CALL saylau_append_ballot") for s in prepared)
    assert any("FROM elections_election e" in s for s in prepared)  # the look-up
    assert any("FROM voting_boardstate" in s and "FOR UPDATE" in s for s in prepared)
    assert any(s.startswith("WITH ok AS") for s in prepared)  # the conditional append


def test_errors_are_djangos(world):
    _pg()
    from django.db import ProgrammingError

    with pytest.raises(ProgrammingError), sql.cursor() as cursor:
        cursor.execute("SELECT no_such_column FROM voting_leaf")


def test_every_connection_waits_for_a_lock_at_most_the_setting(world):
    _pg()
    with connection.cursor() as cursor:
        cursor.execute("SHOW lock_timeout")
        shown = cursor.fetchone()[0]
    expected = int(settings.SAYLAU_BOARD_LOCK_TIMEOUT_MS)
    assert shown in (f"{expected}ms", f"{expected // 1000}s")
