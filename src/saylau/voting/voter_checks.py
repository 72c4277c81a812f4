"""The voter's checks of a cast, in one place: one SQL query, run as it is by the cast's
look-up (SQLite and PostgreSQL) and embedded in the first cast's PL/pgSQL procedure
(`first_cast_procedure`), so the two cannot answer differently.

`VOTER_CHECKS` finds, for the election `slug`, the voter (the live session with the token's
digest `session`, or the member `member` an app vouches for), their credential and district
and their credential's latest leaf, and names in `outcome` the first check that stops the
ballot (`Outcome`, in order), or NULL: a cast, or a re-vote of `latest_*`. Parameters are
named (`%(name)s`); keep the text free of any other `%`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from django.db import connection
from django.utils.translation import gettext as _

from saylau.board import sql
from saylau.board.models import LeafKind
from saylau.crypto.encoding import element_hex
from saylau.elections import services as elections
from saylau.elections.errors import ElectionNotFound
from saylau.elections.models import Election, Status
from saylau.protocol.ballot import Ballot

Latest = tuple[int, str, str | None]  # a credential's latest leaf: index, kind, tracking code


class Outcome(StrEnum):
    """The first check that holds, in this order (NULL in SQL, None here: none holds)."""

    NOT_SIGNED_IN = "not_signed_in"  # no live session with this token (and no member)
    NO_CREDENTIAL = "no_credential"  # the member holds no credential of this election
    NOT_YOURS = "not_your_credential"  # the ballot's credential is not the member's
    REPEAT = "repeat"  # this very ballot is on the board: its receipt again
    CLOSED = "closed"  # closed (or tallied, published), or past its closing time
    NOT_OPEN = "not_open"  # not open yet: status or opening time
    PAPER = "paper"  # the credential's latest leaf is a paper vote
    OTHER_DISTRICT = "district"  # the ballot is for another district than the credential's


_ENDED = ", ".join(f"'{s}'" for s in (Status.CLOSED, Status.TALLIED, Status.PUBLISHED))
_MEMBER = "COALESCE(s.member_id, %(member)s)"

VOTER_CHECKS = f"""SELECT e.id AS election_id, e.fingerprint AS fingerprint,
       {_MEMBER} AS member_id, c.credential AS credential, c.district AS district,
       l."index" AS latest_index, l.kind AS latest_kind, l.tracking_code AS latest_code,
       CASE
         WHEN {_MEMBER} IS NULL THEN '{Outcome.NOT_SIGNED_IN}'
         WHEN c.credential IS NULL THEN '{Outcome.NO_CREDENTIAL}'
         WHEN c.credential <> %(credential)s THEN '{Outcome.NOT_YOURS}'
         WHEN EXISTS (SELECT 1 FROM voting_leaf r
                       WHERE r.election_id = e.id AND r.tracking_code = %(code)s)
           THEN '{Outcome.REPEAT}'
         WHEN e.status IN ({_ENDED})
           OR (e.closes_at IS NOT NULL AND %(now)s >= e.closes_at) THEN '{Outcome.CLOSED}'
         WHEN e.status <> '{Status.OPEN}'
           OR (e.opens_at IS NOT NULL AND %(now)s < e.opens_at) THEN '{Outcome.NOT_OPEN}'
         WHEN l.kind = '{LeafKind.PAPER_OVERRIDE}' THEN '{Outcome.PAPER}'
         WHEN c.district <> %(district)s THEN '{Outcome.OTHER_DISTRICT}'
       END AS outcome
  FROM elections_election e
  LEFT JOIN voting_votersession s
         ON s.election_id = e.id AND s.token_hash = %(session)s AND s.expires_at > %(now)s
  LEFT JOIN elections_publiccredential c
         ON c.election_id = e.id AND c.member_id = {_MEMBER}
  LEFT JOIN voting_leaf l  -- c's columns only: the index (election, credential, index)
         ON l.election_id = c.election_id AND l.credential = c.credential
        AND NOT EXISTS (SELECT 1 FROM voting_leaf n
                         WHERE n.election_id = c.election_id AND n.credential = c.credential
                           AND n."index" > l."index")
 WHERE e.slug = %(slug)s"""  # noqa: S608 - constant text: values are parameters

# The cast's look-up: the election's columns too, in the same round trip (always the same
# text: board.sql prepares it on PostgreSQL).
_LOOK_UP = (
    "SELECT "  # noqa: S608 - column names from the model
    + ", ".join(f"e.{c}" for c in elections.ELECTION_COLUMNS)
    + ", v.member_id, v.credential, v.district, v.latest_index, v.latest_kind,"
    " v.latest_code, v.outcome"
    f" FROM ({VOTER_CHECKS}) v JOIN elections_election e ON e.id = v.election_id"
)


@dataclass(frozen=True, slots=True)
class Voter:
    """What the checks found for a cast (`cast._check_voter` answers `outcome`)."""

    election: Election
    member_id: int | None  # None: no live session with this token
    credential: str | None  # the member's public credential (None: none issued)
    district: str | None
    latest: Latest | None  # the credential's latest leaf
    outcome: Outcome | None  # None: cast (no `latest`) or re-vote `latest`


def look_up(
    slug: str, digest: str | None, ballot: Ballot | None, code: str | None, now: dt.datetime
) -> Voter:
    """The checks of the cast of `ballot` (tracking code `code`) by the session whose token
    has the SHA-256 `digest` — one round trip. ElectionNotFound if there is no such election."""
    return _run(slug, {"session": digest or "", "member": None}, ballot, code, now)


def look_up_member(
    election: Election, member_id: int, ballot: Ballot, code: str, now: dt.datetime
) -> Voter:
    """The same checks for a member the calling app vouches for (no session)."""
    return _run(election.slug, {"session": "", "member": member_id}, ballot, code, now)


def _run(
    slug: str,
    who: dict[str, object],
    ballot: Ballot | None,
    code: str | None,
    now: dt.datetime,
) -> Voter:
    params = {
        **who,
        "slug": slug,
        "now": connection.ops.adapt_datetimefield_value(now),
        "credential": element_hex(ballot.credential) if ballot is not None else None,
        "district": ballot.district if ballot is not None else None,
        "code": code or "",
    }
    with sql.cursor() as cursor:
        cursor.execute(_LOOK_UP, params)
        row = cursor.fetchone()
    if row is None:
        raise ElectionNotFound(_("There is no election “%(slug)s”.") % {"slug": slug})
    n = len(elections.ELECTION_COLUMNS)
    member_id, credential, district, index, kind, leaf_code, outcome = row[n:]
    latest = None if index is None else (int(index), str(kind), leaf_code)
    member = None if member_id is None else int(member_id)
    found = None if outcome is None else Outcome(outcome)
    election = elections.election_from_row(row[:n])
    return Voter(election, member, credential, district, latest, found)
