"""PostgreSQL: a ballot's append and its flush in one round trip (decision 0014).

`saylau_append_ballot` locks the board's state row, checks it (open, not closed, the leaf's
time not before the last one, nothing of the credential after the leaf the caller saw),
hashes the leaf into the Merkle log as `protocol.merkle.append` does (RFC 9162: leaf hash
SHA-256(0x00 ‖ data), node hash SHA-256(0x01 ‖ left ‖ right)), writes the leaf, its complete
subtrees and the new state; then, called outside a transaction with `p_commit`, it commits
without waiting for the WAL flush (the row is free at once) and waits for that flush in a
transaction of its own, as `board.procedure.make_durable` does (decision 0011). Nothing on
SQLite: there the append is Python's, under the lock.
"""

from typing import Any

from django.db import migrations

CREATE = r"""
CREATE OR REPLACE PROCEDURE saylau_append_ballot(
    p_election bigint,
    p_data bytea,
    p_kind varchar,
    p_time bigint,
    p_code varchar,
    p_credential varchar,
    p_replaces varchar,
    p_latest bigint,
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
DECLARE
    v_size bigint;
    v_frontier bytea;
    v_closed boolean;
    v_hash bytea;
    v_stack bytea;
    v_level int := 0;
    v_i bigint;
    v_n int;
BEGIN
    SELECT size, frontier, last_time, closed
      INTO v_size, v_frontier, o_last_time, v_closed
      FROM voting_boardstate WHERE election_id = p_election FOR UPDATE;
    IF NOT FOUND OR v_size = 0 THEN
        o_status := 'not_open';
        RETURN;
    END IF;
    IF v_closed THEN
        o_status := 'closed';
        RETURN;
    END IF;
    IF p_time < o_last_time THEN
        o_status := 'time';  -- the caller rebuilds the leaf with o_last_time and calls again
        RETURN;
    END IF;
    IF EXISTS (SELECT 1 FROM voting_leaf WHERE election_id = p_election
               AND credential = p_credential AND "index" > p_latest) THEN
        o_status := 'credential';
        RETURN;
    END IF;
    -- protocol.merkle.append: the leaf, then every perfect subtree it completes
    v_hash := sha256('\x00'::bytea || p_data);
    o_leaf_hash := v_hash;
    INSERT INTO voting_node (election_id, level, "index", hash)
        VALUES (p_election, 0, v_size, v_hash);
    v_stack := v_frontier;
    v_i := v_size;
    WHILE (v_i & 1) = 1 LOOP
        v_hash := sha256('\x01'::bytea || substring(v_stack FROM length(v_stack) - 31) || v_hash);
        v_stack := substring(v_stack FOR length(v_stack) - 32);
        v_level := v_level + 1;
        v_i := v_i >> 1;
        INSERT INTO voting_node (election_id, level, "index", hash)
            VALUES (p_election, v_level, v_i, v_hash);
    END LOOP;
    v_stack := v_stack || v_hash;
    -- protocol.board.fold_subtree_roots: the root from the new frontier, right to left
    v_n := length(v_stack) / 32;
    o_root := substring(v_stack FROM (v_n - 1) * 32 + 1 FOR 32);
    FOR k IN REVERSE v_n - 1 .. 1 LOOP
        o_root := sha256('\x01'::bytea || substring(v_stack FROM (k - 1) * 32 + 1 FOR 32) || o_root);
    END LOOP;
    INSERT INTO voting_leaf (election_id, "index", data, leaf_hash, root_hash, kind, "time",
                             tracking_code, credential, replaces, created_at)
        VALUES (p_election, v_size, p_data, o_leaf_hash, o_root, p_kind, p_time,
                p_code, p_credential, p_replaces, p_created);
    UPDATE voting_boardstate SET size = v_size + 1, frontier = v_stack, last_time = p_time
        WHERE election_id = p_election;
    o_status := 'appended';
    o_index := v_size;
    o_frontier := v_frontier;  -- the old frontier: the leaf's inclusion proof, reversed
    o_last_time := p_time;
    IF p_commit THEN
        -- decision 0011: commit without waiting for the flush (the state row is free at
        -- once), then wait for it outside the lock: a transactional message whose
        -- synchronous COMMIT (the CALL's own, at its end) flushes the WAL up to it.
        PERFORM set_config('synchronous_commit', 'off', true);
        COMMIT;
        IF pg_current_wal_flush_lsn() < pg_current_wal_insert_lsn() THEN
            PERFORM pg_logical_emit_message(true, 'saylau', 'durable');
        END IF;
    END IF;
END $$;
"""

DROP = (
    "DROP PROCEDURE IF EXISTS saylau_append_ballot(bigint, bytea, varchar, bigint, varchar,"
    " varchar, varchar, bigint, timestamptz, boolean, text, bigint, bytea, bytea, bytea, bigint)"
)


def _create(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def _drop(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("voting", "0002_leaf_storage_and_indexes")]

    operations = [migrations.RunPython(_create, _drop)]
