"""PostgreSQL: a voter's first cast in one round trip (decision 0015).

For a session token that vouches for itself (`session_token`) and an election this process
saw open, the ballot is verified first and then appended by one call that makes the voter's
checks in the database (`first_cast_procedure`: the look-up's checks, the same text).
Anything that call refuses takes the cast's way with the look-up, with verify's outcome
kept, so the answer is the same either way.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from saylau.board import procedure
from saylau.crypto.encoding import element_hex
from saylau.elections import services as elections
from saylau.elections.models import Election
from saylau.protocol.ballot import Ballot, ElectionContext, verify_ballot
from saylau.protocol.errors import InvalidBallot
from saylau.voting import first_cast_procedure, session_token, signin
from saylau.voting.append import Append, NewLeaf, in_one_call
from saylau.web import timing

# verify's outcome for a ballot (None: it verified), and the context it was verified against
Verdict = tuple[ElectionContext, InvalidBallot | None]

# Elections this process found open, by id. Only what the key ceremony fixed is used (id,
# slug, keys, fingerprint, board key); whether it is still open, the append's call checks.
OPEN_ELECTIONS: dict[int, Election] = {}
_MAX_OPEN_ELECTIONS = 64


@dataclass(frozen=True, slots=True)
class Appended:
    """A first cast on the board."""

    election: Election
    leaf: NewLeaf


def first_cast(
    slug: str, token: str, ballot: Ballot, blob: bytes, code: str, now: dt.datetime
) -> Appended | Verdict | None:
    """The appended leaf; or, if the way with the look-up must decide, verify's outcome
    (None: not even verified — the token does not vouch for an election open now, or the
    database's procedure is not this code's)."""
    if not first_cast_procedure.is_current():
        return None
    election = _open_election(session_token.election_vouched_for(token, now), slug, now)
    if election is None:
        return None
    context = elections.election_context(election)
    try:
        with timing.part("verify"):
            verify_ballot(context, ballot, None)
    except InvalidBallot as error:
        return context, error
    todo = Append(election, code, element_hex(ballot.credential), blob, now)
    voter = procedure.FirstCast(
        signin.token_digest(token), ballot.district, election.fingerprint, now
    )
    with timing.part("append"):
        appended = in_one_call(todo, None, voter)
    if isinstance(appended, procedure.NotAppended):
        if appended.why not in ("credential", "time"):  # the election may have changed
            OPEN_ELECTIONS.pop(election.pk, None)
        return context, None
    return Appended(election, appended)


def _open_election(election_id: int | None, slug: str, now: dt.datetime) -> Election | None:
    """The election `election_id` if its slug is `slug` and it was open when this process
    last read it (read now if it never did)."""
    if election_id is None:
        return None
    election = OPEN_ELECTIONS.get(election_id)
    if election is None:
        election = Election.objects.filter(pk=election_id).defer("manifest").first()
        if election is None or not elections.is_open_for_voting(election, now):
            return None
        if len(OPEN_ELECTIONS) < _MAX_OPEN_ELECTIONS:
            OPEN_ELECTIONS[election_id] = election
    return election if election.slug == slug else None
