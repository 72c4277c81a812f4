"""The board's tables as the cast's path needs them (migration 0002)."""

from __future__ import annotations

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def _indexes(table: str) -> list[list[str]]:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, table)
    return [c["columns"] for c in found.values() if c["index"] or c["unique"]]


def test_no_index_on_the_election_alone_of_leaves_and_nodes():
    # the unique (election, index) / (election, level, index) indexes serve it
    for table in ("voting_leaf", "voting_node"):
        columns = _indexes(table)
        assert ["election_id"] not in columns, table
        assert any(c[0] == "election_id" and len(c) > 1 for c in columns), table


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's TOAST storage")
def test_leaf_bytes_are_stored_without_compression():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attstorage FROM pg_attribute"
            " WHERE attrelid = 'voting_leaf'::regclass AND attname = 'data'"
        )
        assert cursor.fetchone()[0] == "e"  # EXTERNAL
