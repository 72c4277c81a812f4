"""A ballot refused: the protocol's check code (`protocol.errors.BALLOT_CHECKS`) turned
into the voter's language, and the request body parsed into a ballot or refused."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from saylau.protocol.ballot import Ballot, ballot_from_json, ballot_to_verify
from saylau.protocol.canonical import StrictJsonError, strict_loads
from saylau.protocol.errors import InvalidBallot
from saylau.voting.errors import BallotRefused, VotingError


def _reason(code: str) -> str:
    """A translated category for a failed check's code."""
    reasons = {
        "election": _("it was made for another election"),
        "credential": _("its credential does not belong to its district"),
        "district": _("its district is not one of this election's"),
        "contests": _("its contests do not match the ballot of its district"),
        "range_proof": _("the proof of the number of marks in a contest does not verify"),
        "mark_proof": _("the proof of a mark does not verify"),
        "signature": _("the credential's signature does not verify"),
    }
    return reasons.get(code) or _("it is not a well-formed ballot")


def refused(error: InvalidBallot) -> BallotRefused:
    """The voter's answer to a ballot that failed the protocol's check `error.code`."""
    check = str(error)
    return BallotRefused(
        _("The ballot was refused: %(reason)s. Nothing was stored. (Check: %(check)s)")
        % {"reason": _reason(error.code), "check": check},
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
        raise refused(error) from None
