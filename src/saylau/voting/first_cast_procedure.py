"""PostgreSQL: the first cast's procedure, `saylau_append_first_cast`, built from the voter's
checks (`voter_checks.VOTER_CHECKS`, embedded as it is) — not a copy of them.

It runs the checks for the session, the ballot's credential, district and tracking code at
`p_now`, and asks that the election be the one the app verified the ballot against (its id
and fingerprint). If no check holds and the credential has no leaf, it calls
`saylau_append_ballot` (voting migration 0003) for a cast expecting no earlier leaf. Else it
writes nothing and answers `credential` (a repeat, a re-vote, a paper vote: the credential
has a leaf) or `voter` (any other outcome, or another election): the app then asks the long
way, which runs the same checks and names the answer.

Migrations install the text this module builds when they run (`install`); a process uses the
procedure only if the database's is exactly that text (`is_current`), so a database whose
procedure predates a change of the checks takes the look-up's way: slower, never different.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from django.db import connection

from saylau.board import sql
from saylau.voting.voter_checks import VOTER_CHECKS, Outcome

logger = logging.getLogger(__name__)

NAME = "saylau_append_first_cast"
_IN = (
    ("p_session", "varchar"),
    ("p_slug", "varchar"),
    ("p_district", "varchar"),
    ("p_fingerprint", "varchar"),
    ("p_now", "timestamptz"),
    ("p_election", "bigint"),
    ("p_data", "bytea"),
    ("p_time", "bigint"),
    ("p_code", "varchar"),
    ("p_credential", "varchar"),
    ("p_created", "timestamptz"),
    ("p_commit", "boolean"),
)
_OUT = (
    ("o_status", "text"),
    ("o_index", "bigint"),
    ("o_leaf_hash", "bytea"),
    ("o_root", "bytea"),
    ("o_frontier", "bytea"),
    ("o_last_time", "bigint"),
)
SIGNATURE = f"{NAME}({', '.join(kind for _name, kind in _IN + _OUT)})"

# The checks' parameters, as the procedure names them (no member: only a session casts here)
_CHECKS = VOTER_CHECKS % {
    "session": "p_session",
    "member": "NULL::bigint",
    "slug": "p_slug",
    "now": "p_now",
    "credential": "p_credential",
    "district": "p_district",
    "code": "p_code",
}
_HAS_A_LEAF = ", ".join(f"'{o}'" for o in (Outcome.REPEAT, Outcome.PAPER))

BODY = f"""
DECLARE
    v_election bigint;
    v_fingerprint varchar;
    v_latest bigint;
    v_outcome text;
BEGIN
    SELECT q.election_id, q.fingerprint, q.latest_index, q.outcome
      INTO v_election, v_fingerprint, v_latest, v_outcome
      FROM ({_CHECKS}) q;
    IF NOT FOUND OR v_election IS DISTINCT FROM p_election
       OR v_fingerprint IS DISTINCT FROM p_fingerprint THEN
        o_status := 'voter';
        RETURN;
    END IF;
    IF v_outcome IN ({_HAS_A_LEAF}) OR (v_outcome IS NULL AND v_latest IS NOT NULL) THEN
        o_status := 'credential';
        RETURN;
    END IF;
    IF v_outcome IS NOT NULL THEN
        o_status := 'voter';
        RETURN;
    END IF;
    CALL saylau_append_ballot(p_election, p_data, 'cast', p_time, p_code, p_credential, NULL,
                              -1, p_created, p_commit, o_status, o_index, o_leaf_hash, o_root,
                              o_frontier, o_last_time);
END"""  # noqa: S608 - the checks' constant text, no values

_PARAMETERS = ",\n    ".join(
    [f"{name} {kind}" for name, kind in _IN] + [f"INOUT {n} {k} DEFAULT NULL" for n, k in _OUT]
)
CREATE = f"CREATE PROCEDURE {NAME}(\n    {_PARAMETERS}\n)\nLANGUAGE plpgsql AS $${BODY}$$"
DIGEST = hashlib.sha256(CREATE.encode()).hexdigest()  # named by the migration that installs it


def install(schema_editor: Any) -> None:
    """(Re)create the procedure as this module builds it, whatever signature it had."""
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT oid::regprocedure::text FROM pg_proc WHERE proname = %s", [NAME])
        for (signature,) in cursor.fetchall():
            schema_editor.execute(f"DROP PROCEDURE {signature}")
    schema_editor.execute(CREATE)


_CURRENT: dict[str, bool] = {}  # by database alias: its procedure is this module's


def is_current() -> bool:
    """Whether the database's procedure is the one this module builds (asked once per
    process and database)."""
    known = _CURRENT.get(connection.alias)
    if known is None:
        with sql.cursor() as cursor:
            cursor.execute(
                "SELECT prosrc FROM pg_proc WHERE oid = to_regprocedure(%s)", [SIGNATURE]
            )
            row = cursor.fetchone()
        known = row is not None and row[0] == BODY
        if not known:
            logger.warning("%s is not this code's: first casts take the look-up's way", NAME)
        _CURRENT[connection.alias] = known
    return known
