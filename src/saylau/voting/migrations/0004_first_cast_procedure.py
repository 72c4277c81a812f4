"""PostgreSQL: a voter's first cast in one round trip (decision 0015).

`saylau_append_first_cast` checks, in one statement, what the cast's look-up would have
told: the election is open now (status, opening and closing times) and is the ceremony the
app verified the ballot against (its fingerprint); the session token's digest names a live
session of it; that session's member holds the ballot's credential, in the ballot's
district. If all holds it calls `saylau_append_ballot` (migration 0003) for a cast that
expects no earlier leaf of the credential (`p_latest` -1): a repeat, a revote or a paper
vote is refused there (`credential`) and the app asks the database the long way. Anything
else is refused as `voter`, writing nothing. Nothing on SQLite.
"""

from typing import Any

from django.db import migrations

CREATE = r"""
CREATE OR REPLACE PROCEDURE saylau_append_first_cast(
    p_session varchar,
    p_district varchar,
    p_fingerprint varchar,
    p_now timestamptz,
    p_election bigint,
    p_data bytea,
    p_time bigint,
    p_code varchar,
    p_credential varchar,
    p_created timestamptz,
    p_commit boolean,
    INOUT o_status text DEFAULT NULL,
    INOUT o_index bigint DEFAULT NULL,
    INOUT o_leaf_hash bytea DEFAULT NULL,
    INOUT o_root bytea DEFAULT NULL,
    INOUT o_frontier bytea DEFAULT NULL,
    INOUT o_last_time bigint DEFAULT NULL
)
LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (
        SELECT 1
          FROM elections_election e
          JOIN voting_votersession s ON s.election_id = e.id
          JOIN elections_publiccredential c ON c.election_id = e.id
                                           AND c.member_id = s.member_id
         WHERE e.id = p_election
           AND e.status = 'open'
           AND e.fingerprint = p_fingerprint
           AND (e.opens_at IS NULL OR p_now >= e.opens_at)
           AND (e.closes_at IS NULL OR p_now < e.closes_at)
           AND s.token_hash = p_session
           AND s.expires_at > p_now
           AND c.credential = p_credential
           AND c.district = p_district
    ) THEN
        o_status := 'voter';
        RETURN;
    END IF;
    CALL saylau_append_ballot(p_election, p_data, 'cast', p_time, p_code, p_credential, NULL,
                              -1, p_created, p_commit, o_status, o_index, o_leaf_hash, o_root,
                              o_frontier, o_last_time);
END $$;
"""

DROP = (
    "DROP PROCEDURE IF EXISTS saylau_append_first_cast(varchar, varchar, varchar, timestamptz,"
    " bigint, bytea, bigint, varchar, varchar, timestamptz, boolean, text, bigint, bytea,"
    " bytea, bytea, bigint)"
)


def _create(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def _drop(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("voting", "0003_append_procedure")]

    operations = [migrations.RunPython(_create, _drop)]
