"""Casting a ballot: one way from the request to the appended leaf and its receipt.

parse → (PostgreSQL, a first cast: verify, then append with the voter checked in the same
call, `first_cast`) → the look-up, which makes the voter's checks (`voter_checks`, the one
definition of them) → their answer (`_check_voter`) → verify → the append (`append`) → the
receipt, built only once the leaf is durable. The order keeps the board's lock short;
docs/decisions/0009–0016, 0019 and 0026 say why.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from saylau.board import services as board
from saylau.board.models import Leaf, LeafKind
from saylau.board.procedure import appends_in_one_call
from saylau.board.store import busy
from saylau.crypto.encoding import element_hex
from saylau.elections import services as elections
from saylau.elections.models import Election
from saylau.protocol.ballot import Ballot, check_elements, tracking_code_of, verify_ballot
from saylau.protocol.board import InclusionProof
from saylau.protocol.canonical import canonical_json
from saylau.protocol.errors import InvalidBallot
from saylau.protocol.receipt import Receipt
from saylau.voting import precincts, signin
from saylau.voting.append import Append, NewLeaf, append_ballot
from saylau.voting.errors import BallotRefused, NoCredential, NotYourCredential, VotingError
from saylau.voting.first_cast import Appended, Verdict, first_cast
from saylau.voting.refusals import parse, refused
from saylau.voting.voter_checks import Outcome, Voter, look_up, look_up_member
from saylau.web import timing

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class CastResult:
    receipt: Receipt
    leaf_index: int
    kind: str  # "cast" or "revote"
    time: int  # the leaf's time (ms): with `replaces`, the voter rebuilds the leaf
    replaces: str | None
    repeat: bool  # the same ballot was cast before: its receipt, nothing appended


def cast_for_session(
    slug: str, token: str | None, body: bytes | str, *, now: dt.datetime | None = None
) -> CastResult:
    """The cast API: the ballot in `body` from the voter whose session token is `token`.
    Refusals: no such election, not signed in, a body that is not a ballot, then
    `_check_voter`'s."""
    digest = signin.token_digest(token) if token else None
    return _cast_request(slug, token, digest, body, now or timezone.now())


def cast_for_page_session(
    slug: str, digest: str | None, body: bytes | str, *, now: dt.datetime | None = None
) -> CastResult:
    """The booth page's cast: the same way, for the web session, which holds only the token's
    digest (voting.views). Without the token there is no MAC to vouch for it, so the first
    cast's one-call way is not taken; the answer is the same."""
    return _cast_request(slug, None, digest, body, now or timezone.now())


def _cast_request(
    slug: str, token: str | None, digest: str | None, body: bytes | str, now: dt.datetime
) -> CastResult:
    with timing.part("parse"):
        try:
            ballot: Ballot | None = parse(body, verify_next=True)
            failure: VotingError | None = None
        except VotingError as error:
            ballot, failure = None, error
        blob = canonical_json(ballot.raw) if ballot is not None else b""
        code = tracking_code_of(blob) if ballot is not None else None
    verdict = None
    if ballot is not None and code is not None and token and appends_in_one_call():
        first = first_cast(slug, token, ballot, blob, code, now)
        if isinstance(first, Appended):
            return _new_receipt(first.election, code, first.leaf)
        verdict = first
    if ballot is not None and (verdict is None or verdict[1] is not None):
        failure = _non_element(ballot) or failure  # named before all else, as parse names it
    with timing.part("look-up"):
        voter = look_up(slug, digest, ballot, code, now)
    if voter.outcome is Outcome.NOT_SIGNED_IN:
        raise signin.not_signed_in()
    if failure is not None:
        raise failure
    assert ballot is not None and code is not None
    return _cast(voter, ballot, blob, code, now, verdict)


def _non_element(ballot: Ballot) -> BallotRefused | None:
    with timing.part("parse"):
        try:
            check_elements(ballot)
        except InvalidBallot as error:
            return refused(error)
    return None


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
    return _cast(look_up_member(election, member_id, ballot, code, now), ballot, blob, code, now)


def _check_voter(voter: Voter, ballot: Ballot, code: str) -> Leaf | None:
    """The answer to the voter's checks (`voter_checks`, where they are made): None (go on:
    a cast or a re-vote), the leaf of this same ballot, or the refusal."""
    election, outcome = voter.election, voter.outcome
    if outcome is None:
        return None
    if outcome is Outcome.REPEAT:
        earlier = board.leaf_by_code(election, code)
        if earlier is None:  # leaves are never removed: a database put back from a backup
            raise busy()
        return earlier
    if outcome is Outcome.NOT_SIGNED_IN:
        raise signin.not_signed_in()
    if outcome is Outcome.NO_CREDENTIAL:
        raise NoCredential(_("You have no voting credential for this election."))
    if outcome is Outcome.NOT_YOURS:
        raise NotYourCredential(
            _("This ballot is signed with a credential that is not yours. Enter your own code.")
        )
    if outcome is Outcome.CLOSED:
        raise signin.voting_closed()
    if outcome is Outcome.NOT_OPEN:
        raise signin.voting_not_open()
    if outcome is Outcome.PAPER:
        credential = element_hex(ballot.credential)
        raise precincts.voted_on_paper(board.paper_vote_precinct(election, credential) or "")
    detail = f"credential: belongs to district {voter.district}, not {ballot.district}"
    raise refused(InvalidBallot(detail, "credential"))  # Outcome.OTHER_DISTRICT


def _cast(
    voter: Voter,
    ballot: Ballot,
    blob: bytes,
    code: str,
    now: dt.datetime,
    verdict: Verdict | None = None,
) -> CastResult:
    """The checks, verify (unless `verdict` holds its outcome against this election's
    context), the append and the receipt."""
    election = voter.election
    earlier = _check_voter(voter, ballot, code)
    if earlier is not None:
        return _receipt_of(election, earlier)
    context = elections.election_context(election)
    if verdict is None or verdict[0] is not context:
        try:
            with timing.part("verify"):
                verify_ballot(context, ballot, None)
        except InvalidBallot as error:
            verdict = context, error
    if verdict is not None and verdict[1] is not None:
        raise refused(verdict[1]) from None
    todo = Append(election, code, element_hex(ballot.credential), blob, now)
    with timing.part("append"):
        appended = append_ballot(todo, voter.latest)
    if isinstance(appended, Leaf):  # the same ballot, cast meanwhile through another server
        return _receipt_of(election, appended)
    return _new_receipt(election, code, appended)


def _receipt_of(election: Election, leaf: Leaf) -> CastResult:
    """The receipt of a leaf read from the board, once that leaf is durable (it may be
    another request's append whose flush is still under way)."""
    head = board.sign_head(election, leaf.index + 1, leaf.time, bytes(leaf.root_hash))
    proof = board.inclusion_proof(election, leaf.index, leaf.index + 1)
    board.make_durable()
    receipt = Receipt(str(leaf.tracking_code), head, proof)
    return CastResult(receipt, leaf.index, leaf.kind, leaf.time, leaf.replaces, repeat=True)


def _new_receipt(election: Election, code: str, appended: NewLeaf) -> CastResult:
    """The receipt of a leaf just appended (durable): the signed head of the tree it ends,
    and its inclusion proof (the old frontier)."""
    added, replaces = appended
    kind = LeafKind.REVOTE if replaces else LeafKind.CAST
    with timing.part("receipt"):
        head = board.sign_head(election, added.index + 1, added.time, added.root)
    proof = InclusionProof(added.index, added.index + 1, added.path)
    logger.info("ballot %s on the board of %s at leaf %d", code[:16], election.slug, added.index)
    return CastResult(Receipt(code, head, proof), added.index, kind, added.time, replaces, False)


@transaction.atomic
def record_paper_vote(
    election: Election, member_id: int, precinct: str, *, now: dt.datetime | None = None
) -> int:
    """Put the member's paper vote on the board (a `paper_override` leaf naming their
    credential and the precinct); from then on their online ballots neither count nor are
    taken. Returns the leaf index. For the paper app; must come before close."""
    credential = elections.credential_of_member(election, member_id)
    if credential is None:
        raise NoCredential(_("This member has no voting credential for this election."))
    return board.append_paper_vote(election, credential, precinct, now=now)
