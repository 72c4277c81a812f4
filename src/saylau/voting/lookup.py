"""What the database says of a cast before any check: the election, the session's member,
their credential and district, whether the ballot is on the board, the credential's latest
leaf — in one prepared statement (`board.sql`), or, for the other apps, from the ORM."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection
from django.utils.translation import gettext as _

from saylau.board import services as board
from saylau.board import sql
from saylau.elections import services as elections
from saylau.elections.errors import ElectionNotFound
from saylau.elections.models import Election

Latest = tuple[int, str, str | None]  # a credential's latest leaf: index, kind, tracking code


@dataclass(frozen=True, slots=True)
class Voter:
    """The facts the cast's checks decide on (`cast._check_voter`)."""

    election: Election
    member_id: int | None  # None: no live session with this token
    credential: str | None  # the member's public credential (None: none issued)
    district: str | None
    repeat: bool  # a leaf with this tracking code is on the board
    latest: Latest | None


_LOOK_UP_SQL = (  # always the same text: sql.py prepares it
    "SELECT "  # noqa: S608 - column names from the model
    + ", ".join(f"e.{c}" for c in elections.ELECTION_COLUMNS)
    + ", s.member_id, c.credential, c.district,"
    " (SELECT 1 FROM voting_leaf l WHERE l.election_id = e.id AND l.tracking_code = %s),"
    # the latest leaf's index, kind and code in one text ("12 revote <code>")
    " (SELECT l.\"index\" || ' ' || l.kind || ' ' || COALESCE(l.tracking_code, '')"
    "   FROM voting_leaf l WHERE l.election_id = e.id AND l.credential = c.credential"
    '   ORDER BY l."index" DESC LIMIT 1)'
    " FROM elections_election e"
    " LEFT JOIN voting_votersession s ON s.election_id = e.id AND s.token_hash = %s"
    "  AND s.expires_at > %s"
    " LEFT JOIN elections_publiccredential c ON c.election_id = s.election_id"
    "  AND c.member_id = s.member_id"
    " WHERE e.slug = %s"
)


def look_up(slug: str, digest: str | None, code: str | None, now: dt.datetime) -> Voter:
    """The cast's facts for the session whose token has the SHA-256 `digest` — one round
    trip. ElectionNotFound if there is no such election."""
    moment = connection.ops.adapt_datetimefield_value(now)
    with sql.cursor() as cursor:
        cursor.execute(_LOOK_UP_SQL, [code or "", digest or "", moment, slug])
        row = cursor.fetchone()
    if row is None:
        raise ElectionNotFound(_("There is no election “%(slug)s”.") % {"slug": slug})
    n = len(elections.ELECTION_COLUMNS)
    member_id, credential, district, repeat, latest = row[n:]
    last = None
    if latest:
        index, kind, leaf_code = str(latest).split(" ")
        last = (int(index), kind, leaf_code or None)
    member = None if member_id is None else int(member_id)
    election = elections.election_from_row(row[:n])
    return Voter(election, member, credential, district, repeat is not None, last)


def member_facts(election: Election, member_id: int, code: str) -> Voter:
    """The same facts for a member known to be signed in (the other apps' casts)."""
    mine = elections.member_credential(election, member_id)
    latest = None
    if mine is not None:
        history = board.credential_leaves(election, mine[0])
        latest = history[0] if history else None
    credential, district = mine if mine is not None else (None, None)
    repeat = board.has_tracking_code(election, code)
    return Voter(election, member_id, credential, district, repeat, latest)
