"""Errors of the voting domain: UserErrors with a stable code (see saylau.errors), raised
with a translated message."""

from __future__ import annotations

from typing import Any

# The board's errors, which the voting API answers too:
from saylau.board.errors import BoardError as BoardError
from saylau.board.errors import Busy as Busy
from saylau.board.errors import NotFound as NotFound
from saylau.board.errors import VotingClosed as VotingClosed
from saylau.board.errors import VotingNotOpen as VotingNotOpen
from saylau.errors import UserError


class VotingError(UserError):
    code = "voting.invalid"


class SignInInvalid(VotingError):
    """A field is not even well formed (says nothing about the roll)."""

    code = "signin.invalid"
    status = 422


class WrongCode(VotingError):
    """Wrong, expired or used code, unknown challenge, or a locked IIN: one answer for all.
    The failed try is counted, so it is kept."""

    code = "signin.wrong_code"
    status = 400
    keep_changes = True


class TooManyRequests(VotingError):
    code = "signin.throttled"
    status = 429

    def __init__(self, message: Any, *, retry_after: int, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = max(1, int(retry_after))
        self.headers = {"Retry-After": str(self.retry_after)}


class NetworkRefused(VotingError):
    """The election's IP policy refuses another voter from this network address."""

    code = "signin.network_refused"
    status = 403


class NetworkBusy(TooManyRequests):
    code = "signin.network_limit"


class PaperPrecinct(VotingError):
    """The member votes (or voted) on paper: named precinct."""

    code = "voting.paper_precinct"
    status = 409


class NotSignedIn(VotingError):
    code = "not_authenticated"
    status = 401


class NoCredential(VotingError):
    code = "ballot.no_credential"
    status = 403


class NotYourCredential(VotingError):
    code = "ballot.not_your_credential"
    status = 403


class BallotRefused(VotingError):
    """The ballot fails a check; `check` is the protocol's own (English) description."""

    code = "ballot.invalid"
    status = 400

    def __init__(self, message: Any, *, check: str, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.check = check


class TooLarge(VotingError):
    code = "too_large"
    status = 413


class SignInPaused(TooManyRequests):
    """Sign-in of one IIN + phone pair is paused after too many wrong codes; says until when.
    Shown only to the holder of the challenge whose wrong codes paused it (decision 0021)."""

    code = "signin.paused"
    keep_changes = True
