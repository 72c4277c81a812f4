"""Casting a ballot: check it, append it to the board, hand back a receipt.

The order keeps the board's lock short and the work per cast lean:
1. parse (protocol.ballot.ballot_from_json) and check the credential is the voter's own;
2. a ballot already on the board (same tracking code) gets its stored receipt again;
3. the election is open; the credential's district is the ballot's; verify_ballot (the CPU
   part, about 6 ms for 12 options) — all before taking the lock;
4. under the board lock (in the request's transaction, no savepoint): the credential's
   leaves decide repeat / cast / revote / refused (paper vote); the leaf, its complete
   subtrees and the state row are written;
5. the receipt (signed head of the tree the leaf ends, inclusion proof = the old frontier) is
   built from what was just computed. The caller's transaction commits before the answer
   leaves (ATOMIC_REQUESTS): no receipt for a ballot that is not durably on the board.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from saylau.crypto.encoding import element_hex
from saylau.elections import services as elections
from saylau.elections.models import Election
from saylau.protocol import events
from saylau.protocol.ballot import Ballot, ballot_from_json, tracking_code_of, verify_ballot
from saylau.protocol.board import InclusionProof
from saylau.protocol.canonical import StrictJsonError, canonical_json, strict_loads
from saylau.protocol.errors import InvalidBallot
from saylau.protocol.receipt import Receipt
from saylau.voting import board, precincts, signin
from saylau.voting.errors import (
    BallotRefused,
    BoardError,
    NoCredential,
    NotYourCredential,
    VotingClosed,
    VotingError,
    VotingNotOpen,
)
from saylau.voting.models import Leaf, LeafKind

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


def parse(body: bytes | str | dict[str, Any]) -> Ballot:
    if isinstance(body, bytes | str):
        try:
            body = strict_loads(body)
        except (StrictJsonError, ValueError):
            raise VotingError(
                _("The request body is not valid JSON."), code="invalid_json"
            ) from None
    try:
        return ballot_from_json(body)
    except InvalidBallot as error:
        raise refused(str(error)) from None


def _receipt_of(election: Election, leaf: Leaf) -> CastResult:
    head = board.sign_head(election, leaf.index + 1, leaf.time, bytes(leaf.root_hash))
    proof = board.inclusion_proof(election, leaf.index, leaf.index + 1)
    return CastResult(
        Receipt(str(leaf.tracking_code), head, proof),
        leaf.index,
        leaf.kind,
        leaf.time,
        leaf.replaces,
        repeat=True,
    )


def cast_ballot(
    election: Election,
    member_id: int,
    body: bytes | str | dict[str, Any],
    *,
    now: dt.datetime | None = None,
) -> CastResult:
    """Accept the signed-in member's encrypted ballot, or raise a VotingError naming why."""
    now = now or timezone.now()
    ballot = parse(body)
    mine = elections.member_credential(election, member_id)
    if mine is None:
        raise NoCredential(_("You have no voting credential for this election."))
    own, district = mine
    credential = element_hex(ballot.credential)
    if credential != own:
        raise NotYourCredential(
            _("This ballot is signed with a credential that is not yours. Enter your own code.")
        )
    blob = canonical_json(ballot.raw)
    code = tracking_code_of(blob)
    earlier = (
        board.leaf_by_code(election, code) if board.has_tracking_code(election, code) else None
    )
    if earlier is not None:
        return _receipt_of(election, earlier)

    signin.require_open(election, now)
    if district != ballot.district:
        raise refused(f"credential: belongs to district {district}, not {ballot.district}")
    try:
        verify_ballot(elections.election_context(election), ballot, None)
    except InvalidBallot as error:
        raise refused(str(error)) from None

    if transaction.get_connection().in_atomic_block:
        # The caller's transaction (the request's): no savepoint is needed, because nothing
        # is written before the checks that can refuse, and a failed lock wait ends the
        # request anyway.
        appended = _append_ballot(election, code, credential, blob, now)
    else:
        with transaction.atomic():
            appended = _append_ballot(election, code, credential, blob, now)
    if isinstance(appended, Leaf):  # the same ballot, cast meanwhile through another server
        return _receipt_of(election, appended)
    added, replaces = appended
    kind = LeafKind.REVOTE if replaces else LeafKind.CAST
    head = board.sign_head(election, added.index + 1, added.time, added.root)
    proof = InclusionProof(added.index, added.index + 1, added.path)
    logger.info("ballot %s on the board of %s at leaf %d", code[:16], election.slug, added.index)
    return CastResult(Receipt(code, head, proof), added.index, kind, added.time, replaces, False)


def _append_ballot(
    election: Election, code: str, credential: str, blob: bytes, now: dt.datetime
) -> Leaf | tuple[board.Appended, str | None]:
    """Under the board lock: the leaf of this ballot if it is there already, else append it
    (cast, or revote naming the credential's latest ballot)."""
    state = board.lock_state(election)
    if state is None or not state.size:
        raise VotingNotOpen(_("Voting in this election has not opened yet."))
    if state.closed:
        raise VotingClosed(_("Voting in this election has closed."))
    # One query for both questions: a ballot names its credential, so this ballot, if it is
    # on the board already, is among the credential's leaves; the first is its latest.
    history = board.credential_leaves(election, credential)
    if any(leaf_code == code for _index, _kind, leaf_code in history):
        earlier = board.leaf_by_code(election, code)
        if earlier is not None:
            return earlier
    latest = history[0] if history else None
    if latest is not None and latest[1] == LeafKind.PAPER_OVERRIDE:
        raise precincts.voted_on_paper(precincts.paper_vote_precinct(election, credential) or "")
    replaces = latest[2] if latest is not None else None
    time_ms = board.leaf_time(state, now)
    added = board.append_leaf(
        election,
        state,
        events.ballot_leaf_bytes(blob, time_ms, replaces),
        LeafKind.REVOTE if replaces else LeafKind.CAST,
        time_ms,
        tracking_code=code,
        credential=credential,
        replaces=replaces,
    )
    return added, replaces


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
    state = board.lock_state(election)
    if state is None or not state.size:
        raise VotingNotOpen(_("Voting in this election has not opened yet."))
    if state.closed:
        raise VotingClosed(_("Voting in this election has closed."))
    if precincts.paper_vote_precinct(election, credential) is not None:
        raise BoardError(_("This member's paper vote is already on the board."))
    time_ms = board.leaf_time(state, now)
    data = events.leaf_bytes(events.paper_override_event(credential, precinct, time_ms))
    added = board.append_leaf(
        election, state, data, LeafKind.PAPER_OVERRIDE, time_ms, credential=credential
    )
    return added.index
