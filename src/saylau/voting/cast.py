"""Casting a ballot: check it, append it to the board, hand back a receipt.

The order keeps the board's lock short and the work per cast lean (decision 0009):
0. on PostgreSQL, a first cast whose session token vouches for itself (decision 0015) for
   an election this process saw open: verify_ballot first, then one call of a procedure
   that checks what the look-up below would (the election open, the session live, the
   credential the member's, in the ballot's district, without a leaf yet) and appends.
   Anything it refuses — a repeat, a revote, a paper vote, a session signed out, another's
   credential — and any ballot that fails verify, takes the way below, with verify's
   outcome kept: the answer is the same either way;
1. parse (protocol.ballot.ballot_to_verify: whether each element is a group element is
   verify_ballot's to find, decision 0016 — and, on the way below for a ballot not yet
   verified, `check_elements` before anything else), the canonical bytes and the tracking
   code;
2. one look-up: the election, the session's member, their credential and district, whether
   this tracking code is on the board, the credential's latest leaf;
3. the credential is the voter's own; a ballot already on the board gets its stored receipt
   again; the election is open; the credential's district is the ballot's; verify_ballot
   (the CPU part) — all before taking the lock;
4. the append, outside the request's transaction (the API's cast is @non_atomic, decision
   0010): on PostgreSQL one call of a procedure (decision 0014) that locks the board's
   state row, appends the leaf — if the board is open, the leaf's time is not before the
   board's last leaf (else built again with that time and called again) and the
   credential's latest leaf is still the one read in 2 — commits without waiting for the
   WAL flush, and waits for that flush outside the lock (decision 0011); otherwise — and on
   SQLite — under the board lock, in a transaction of its own (a caller already in a
   transaction gets no savepoint), and if another leaf of the credential came in between,
   the credential's leaves are read under the lock and decide repeat / cast / revote /
   refused (paper vote);
5. only then the receipt (signed head of the tree the leaf ends, inclusion proof = the old
   frontier) is built from what the append returned: no receipt for a ballot that is not
   durably on the board. A repeat's receipt, too, waits until its leaf is durable.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from saylau.crypto.encoding import element_hex
from saylau.elections import services as elections
from saylau.elections.errors import ElectionNotFound
from saylau.elections.models import Election
from saylau.protocol import events
from saylau.protocol.ballot import (
    Ballot,
    ElectionContext,
    ballot_from_json,
    ballot_to_verify,
    check_elements,
    tracking_code_of,
    verify_ballot,
)
from saylau.protocol.board import InclusionProof
from saylau.protocol.canonical import StrictJsonError, canonical_json, strict_loads
from saylau.protocol.errors import InvalidBallot
from saylau.protocol.receipt import Receipt
from saylau.site import timing
from saylau.voting import board, precincts, session_token, signin
from saylau.voting import sql as voting_sql
from saylau.voting.errors import (
    BallotRefused,
    BoardError,
    NoCredential,
    NotYourCredential,
    VotingError,
)
from saylau.voting.models import BoardState, Leaf, LeafKind

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class CastResult:
    receipt: Receipt
    leaf_index: int
    kind: str  # "cast" or "revote"
    time: int  # the leaf's time (ms): with `replaces`, the voter rebuilds the leaf
    replaces: str | None
    repeat: bool  # the same ballot was cast before: its receipt, nothing appended


def _reason(check: str) -> str:
    """A translated category for the protocol's (English) description of a failed check."""
    if check.startswith("election"):
        return _("it was made for another election")
    if check.startswith("credential"):
        return _("its credential does not belong to its district")
    if check.startswith("district"):
        return _("its district is not one of this election's")
    if check.startswith("contests") or "wrong number of options" in check:
        return _("its contests do not match the ballot of its district")
    if "range proof" in check:
        return _("the proof of the number of marks in a contest does not verify")
    if "0/1 proof" in check:
        return _("the proof of a mark does not verify")
    if check.startswith("signature"):
        return _("the credential's signature does not verify")
    return _("it is not a well-formed ballot")


def refused(check: str) -> BallotRefused:
    return BallotRefused(
        _("The ballot was refused: %(reason)s. Nothing was stored. (Check: %(check)s)")
        % {"reason": _reason(check), "check": check},
        check=check,
    )


def parse(body: bytes | str | dict[str, Any], *, verify_next: bool = False) -> Ballot:
    """The ballot in `body`, or a VotingError. `verify_next`: `ballot_to_verify` (the
    caller verifies it, or calls `check_elements`, before anything else is done with it)."""
    if isinstance(body, bytes | str):
        try:
            body = strict_loads(body)
        except (StrictJsonError, ValueError):
            raise VotingError(
                _("The request body is not valid JSON."), code="invalid_json"
            ) from None
    try:
        return (ballot_to_verify if verify_next else ballot_from_json)(body)
    except InvalidBallot as error:
        raise refused(str(error)) from None


def _receipt_of(election: Election, leaf: Leaf) -> CastResult:
    """The receipt of a leaf read from the board: once that leaf is durable (it may be
    another request's append whose flush is still under way)."""
    head = board.sign_head(election, leaf.index + 1, leaf.time, bytes(leaf.root_hash))
    proof = board.inclusion_proof(election, leaf.index, leaf.index + 1)
    board.make_durable()
    return CastResult(
        Receipt(str(leaf.tracking_code), head, proof),
        leaf.index,
        leaf.kind,
        leaf.time,
        leaf.replaces,
        repeat=True,
    )


@dataclass(frozen=True, slots=True)
class _Voter:
    """What one query tells about a cast before any check (see `_look_up`)."""

    election: Election
    member_id: int | None  # None: no live session with this token
    credential: str | None  # the member's public credential (None: none issued)
    district: str | None
    repeat: bool  # a leaf with this tracking code is on the board
    latest: tuple[int, str, str | None] | None  # the credential's latest leaf: index, kind, code


_LOOK_UP_SQL = (  # `_look_up`: one statement, always the same text (sql.py prepares it)
    "SELECT "  # noqa: S608 - column names from the model
    + ", ".join(f"e.{c}" for c in elections.ELECTION_COLUMNS)
    + ", s.member_id, c.credential, c.district,"
    " (SELECT 1 FROM voting_leaf l WHERE l.election_id = e.id AND l.tracking_code = %s),"
    # the latest leaf's index, kind and code in one text ("12 revote <code>"): one
    # sub-select instead of three on the same index entry
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


def _look_up(slug: str, token: str | None, code: str | None, now: dt.datetime) -> _Voter:
    """The election, the session's member, their credential and district, whether this
    ballot is on the board already and the credential's latest leaf — one round trip (the
    voting_leaf indexes answer the two sub-selects). ElectionNotFound if there is no such
    election."""
    digest = signin.token_digest(token) if token else ""
    with voting_sql.cursor() as cursor:
        cursor.execute(
            _LOOK_UP_SQL, [code or "", digest, connection.ops.adapt_datetimefield_value(now), slug]
        )
        row = cursor.fetchone()
    if row is None:
        raise ElectionNotFound(_("There is no election “%(slug)s”.") % {"slug": slug})
    n = len(elections.ELECTION_COLUMNS)
    member_id, credential, district, repeat, latest = row[n:]
    last = None
    if latest:
        index, kind, leaf_code = str(latest).split(" ")
        last = (int(index), kind, leaf_code or None)
    return _Voter(
        elections.election_from_row(row[:n]),
        None if member_id is None else int(member_id),
        credential,
        district,
        repeat is not None,
        last,
    )


# verify's outcome for a ballot (None: it verified), and the context it was verified against
Verdict = tuple[ElectionContext, InvalidBallot | None]

# Elections this process found open, by id: a first cast is verified against one before the
# database is asked anything (decision 0015). Only what the key ceremony fixed is taken
# from it (id, slug, keys, fingerprint, board key); whether it is still open, and still the
# same ceremony, the append's call checks in the database.
_OPEN_ELECTIONS: dict[int, Election] = {}
_MAX_OPEN_ELECTIONS = 64


def cast_for_session(
    slug: str, token: str | None, body: bytes | str, *, now: dt.datetime | None = None
) -> CastResult:
    """The cast API: the ballot in `body` from the voter whose session token is `token`.
    Refusals in the order a voter needs them: no such election, not signed in, a body that
    is not a ballot, then as `cast_ballot`."""
    now = now or timezone.now()
    with timing.part("parse"):
        try:
            ballot: Ballot | None = parse(body, verify_next=True)
            failure: VotingError | None = None
        except VotingError as error:
            ballot, failure = None, error
        blob = canonical_json(ballot.raw) if ballot is not None else b""
        code = tracking_code_of(blob) if ballot is not None else None
    verdict = None
    if ballot is not None and code is not None and token and board.appends_in_one_call():
        first = _first_cast(slug, token, ballot, blob, code, now)
        if isinstance(first, CastResult):
            return first
        verdict = first
    if ballot is not None and (verdict is None or verdict[1] is not None):
        # not accepted by verify_ballot: a non-element is refused before all else, as
        # ballot_from_json refuses it
        with timing.part("parse"):
            try:
                check_elements(ballot)
            except InvalidBallot as error:
                failure = refused(str(error))
    with timing.part("look-up"):
        voter = _look_up(slug, token, code, now)
    if voter.member_id is None:
        raise signin.not_signed_in()
    if failure is not None:
        raise failure
    assert ballot is not None and code is not None
    return _cast(voter, ballot, blob, code, now, verdict)


def _first_cast(
    slug: str, token: str, ballot: Ballot, blob: bytes, code: str, now: dt.datetime
) -> CastResult | Verdict | None:
    """A first cast in one round trip (decision 0015): the receipt; or, if the way with the
    look-up must decide, verify's outcome (None: not even verified — the token does not
    vouch for an election open now)."""
    election = _open_election(session_token.election_vouched_for(token, now), slug, now)
    if election is None:
        return None
    context = elections.election_context(election)
    try:
        with timing.part("verify"):
            verify_ballot(context, ballot, None)
    except InvalidBallot as error:
        return context, error
    todo = _Append(election, code, element_hex(ballot.credential), blob, now)
    first = board.FirstCast(signin.token_digest(token), ballot.district, election.fingerprint, now)
    with timing.part("append"):
        appended = _append_in_one_call(todo, None, first)
    if isinstance(appended, board.NotAppended):
        if appended.why not in ("credential", "time"):  # the election may have changed
            _OPEN_ELECTIONS.pop(election.pk, None)
        return context, None
    return _new_receipt(election, code, appended)


def _open_election(election_id: int | None, slug: str, now: dt.datetime) -> Election | None:
    """The election `election_id` if its slug is `slug` and it was open when this process
    last read it (read now if it never did)."""
    if election_id is None:
        return None
    election = _OPEN_ELECTIONS.get(election_id)
    if election is None:
        election = Election.objects.filter(pk=election_id).defer("manifest").first()
        if election is None or not elections.is_open_for_voting(election, now):
            return None
        if len(_OPEN_ELECTIONS) < _MAX_OPEN_ELECTIONS:
            _OPEN_ELECTIONS[election_id] = election
    return election if election.slug == slug else None


def cast_ballot(
    election: Election,
    member_id: int,
    body: bytes | str | dict[str, Any],
    *,
    now: dt.datetime | None = None,
) -> CastResult:
    """Accept the member's encrypted ballot, or raise a VotingError naming why (for the
    other apps and the tests; the API calls `cast_for_session`)."""
    now = now or timezone.now()
    ballot = parse(body)
    blob = canonical_json(ballot.raw)
    code = tracking_code_of(blob)
    mine = elections.member_credential(election, member_id)
    repeat = board.has_tracking_code(election, code)
    latest = None
    if mine is not None:
        history = board.credential_leaves(election, mine[0])
        latest = history[0] if history else None
    credential, district = mine if mine is not None else (None, None)
    voter = _Voter(election, member_id, credential, district, repeat, latest)
    return _cast(voter, ballot, blob, code, now)


def _cast(
    voter: _Voter,
    ballot: Ballot,
    blob: bytes,
    code: str,
    now: dt.datetime,
    verdict: Verdict | None = None,
) -> CastResult:
    """The checks in the order a voter needs them, then the append and the receipt.
    `verdict`: verify's outcome already known (kept if it was against this election's
    context)."""
    election = voter.election
    if voter.credential is None or voter.district is None:
        raise NoCredential(_("You have no voting credential for this election."))
    credential = element_hex(ballot.credential)
    if credential != voter.credential:
        raise NotYourCredential(
            _("This ballot is signed with a credential that is not yours. Enter your own code.")
        )
    if voter.repeat:
        earlier = board.leaf_by_code(election, code)
        if earlier is not None:
            return _receipt_of(election, earlier)

    signin.require_open(election, now)
    if voter.latest is not None and voter.latest[1] == LeafKind.PAPER_OVERRIDE:
        raise precincts.voted_on_paper(precincts.paper_vote_precinct(election, credential) or "")
    if voter.district != ballot.district:
        raise refused(f"credential: belongs to district {voter.district}, not {ballot.district}")
    context = elections.election_context(election)
    if verdict is None or verdict[0] is not context:
        try:
            with timing.part("verify"):
                verify_ballot(context, ballot, None)
        except InvalidBallot as error:
            verdict = context, error
    if verdict is not None and verdict[1] is not None:
        raise refused(str(verdict[1])) from None

    with timing.part("append"):
        appended = _append_ballot(_Append(election, code, credential, blob, now), voter.latest)
    if isinstance(appended, Leaf):  # the same ballot, cast meanwhile through another server
        return _receipt_of(election, appended)
    return _new_receipt(election, code, appended)


def _new_receipt(election: Election, code: str, appended: NewLeaf) -> CastResult:
    """The receipt of a leaf just appended: the signed head of the tree it ends, and its
    inclusion proof."""
    added, replaces = appended
    kind = LeafKind.REVOTE if replaces else LeafKind.CAST
    with timing.part("receipt"):
        head = board.sign_head(election, added.index + 1, added.time, added.root)
    proof = InclusionProof(added.index, added.index + 1, added.path)
    logger.info("ballot %s on the board of %s at leaf %d", code[:16], election.slug, added.index)
    return CastResult(Receipt(code, head, proof), added.index, kind, added.time, replaces, False)


NewLeaf = tuple[board.Appended, str | None]  # the new leaf, and the ballot it replaces
Latest = tuple[int, str, str | None]  # a credential's latest leaf: index, kind, tracking code

ONE_CALL_TRIES = 3  # calls of the append procedure before the locked way, on a board that busy


def _open_state(state: BoardState | None) -> BoardState:
    """`state` if the board takes leaves now; else why not."""
    if state is None or not state.size:
        raise signin.voting_not_open()
    if state.closed:
        raise signin.voting_closed()
    return state


@dataclass(frozen=True, slots=True)
class _Append:
    """A checked ballot on its way to the board."""

    election: Election
    code: str
    credential: str
    blob: bytes  # its canonical JSON
    now: dt.datetime

    def leaf(self, state: BoardState, seen: Latest | None) -> board.BallotLeaf:
        """Its leaf on the board `state`: a revote of `seen`'s ballot, or a first cast."""
        return self.leaf_at(board.leaf_time(state, self.now), seen)

    def leaf_at(self, time_ms: int, seen: Latest | None) -> board.BallotLeaf:
        """Its leaf at `time_ms`: a revote of `seen`'s ballot, or a first cast."""
        replaces = seen[2] if seen is not None else None
        return board.BallotLeaf(
            events.ballot_leaf_bytes(self.blob, time_ms, replaces),
            LeafKind.REVOTE if replaces else LeafKind.CAST,
            time_ms,
            self.code,
            self.credential,
            replaces,
            latest=seen[0] if seen is not None else -1,
        )


def _append_ballot(todo: _Append, latest: Latest | None) -> Leaf | NewLeaf:
    """Append the ballot: on PostgreSQL in one call of the append procedure, if nothing else
    of this credential came in since the look-up (decision 0014); else under the lock taken
    here, in a transaction of its own unless the caller is in one — no savepoint is needed,
    because nothing is written before the checks that can refuse, and a failed lock wait
    ends the request anyway."""
    if board.appends_in_one_call() and (latest is None or latest[1] != LeafKind.PAPER_OVERRIDE):
        appended = _append_in_one_call(todo, latest)
        if not isinstance(appended, board.NotAppended):
            return appended
        if appended.why == "not_open":
            raise signin.voting_not_open()
        if appended.why == "closed":
            raise signin.voting_closed()
    if transaction.get_connection().in_atomic_block:
        return _append_locked(todo, latest)
    with transaction.atomic():
        return _append_locked(todo, latest)


def _append_in_one_call(
    todo: _Append, latest: Latest | None, first: board.FirstCast | None = None
) -> NewLeaf | board.NotAppended:
    """PostgreSQL: the append and its flush in one call (decision 0014; with `first`, the
    voter's checks too, decision 0015), the leaf timed by the request — or, if the board's
    last leaf is later, built again with that time and tried again. NotAppended: why not
    ("time": the board kept moving) — the caller decides."""
    time_ms = board.to_ms(todo.now)
    for _try in range(ONE_CALL_TRIES):
        leaf = todo.leaf_at(time_ms, latest)
        added = board.append_ballot(todo.election, leaf, first)
        if isinstance(added, board.Appended):
            return added, leaf.replaces
        if added.why != "time" or added.last_time is None:
            return added
        time_ms = added.last_time  # a later leaf came first
    return board.NotAppended("time", time_ms)


def _append_locked(todo: _Append, latest: Latest | None) -> Leaf | NewLeaf:
    """Under the board lock: append the ballot (cast, or revote naming the credential's
    latest ballot), or return its leaf if it is there already.

    `latest` is the credential's latest leaf as read before the lock. The append is
    conditional on it still being the latest (one statement); only if another leaf of the
    credential came in between — a concurrent cast of the same voter — is the history read
    again under the lock."""
    election, credential = todo.election, todo.credential
    state = _open_state(board.lock_state(election))

    def append_after(seen: Latest | None) -> NewLeaf | None:
        """The ballot's leaf, if `seen` is still the credential's latest leaf."""
        leaf = todo.leaf(state, seen)
        added = board.append_if_latest(election, state, leaf)
        return None if added is None else (added, leaf.replaces)

    if latest is None or latest[1] != LeafKind.PAPER_OVERRIDE:
        appended = append_after(latest)
        if appended is not None:
            return appended
    # The credential's leaves now: one query answers both "is this ballot there already?"
    # (a ballot names its credential) and "what is its latest?" (the first).
    history = board.credential_leaves(election, credential)
    if any(leaf_code == todo.code for _index, _kind, leaf_code in history):
        earlier = board.leaf_by_code(election, todo.code)
        if earlier is not None:
            return earlier
    now_latest = history[0] if history else None
    if now_latest is not None and now_latest[1] == LeafKind.PAPER_OVERRIDE:
        raise precincts.voted_on_paper(precincts.paper_vote_precinct(election, credential) or "")
    appended = append_after(now_latest)
    assert appended is not None  # read under the lock: it is the latest
    return appended


@transaction.atomic
def record_paper_vote(
    election: Election, member_id: int, precinct: str, *, now: dt.datetime | None = None
) -> int:
    """Put the member's paper vote on the board (a `paper_override` leaf naming their
    credential and the precinct); from then on none of their online ballots count and online
    casts are refused. Returns the leaf index. For the paper app; must come before close."""
    credential = elections.credential_of_member(election, member_id)
    if credential is None:
        raise NoCredential(_("This member has no voting credential for this election."))
    if not precinct or len(precinct) > 64:
        raise BoardError(_("A precinct identifier has 1 to 64 characters."))
    state = _open_state(board.lock_state(election))
    if precincts.paper_vote_precinct(election, credential) is not None:
        raise BoardError(_("This member's paper vote is already on the board."))
    time_ms = board.leaf_time(state, now)
    data = events.leaf_bytes(events.paper_override_event(credential, precinct, time_ms))
    added = board.append_leaf(
        election,
        state,
        board.LeafRow(data, LeafKind.PAPER_OVERRIDE, time_ms, credential=credential),
    )
    return added.index
