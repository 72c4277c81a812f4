"""Errors of the bulletin board: UserErrors with a stable code, raised with a translated
message (the voting API answers them as they are)."""

from __future__ import annotations

from typing import Any

from saylau.errors import UserError


class BoardError(UserError):
    code = "board.invalid"
    status = 409


class NotFound(UserError):
    code = "not_found"
    status = 404


class Busy(UserError):
    """The database could not take or confirm the write now: try again (503)."""

    code = "unavailable"
    status = 503

    def __init__(self, message: Any, *, retry_after: int = 5, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.headers = {"Retry-After": str(retry_after)}


class VotingNotOpen(UserError):
    """The board takes no ballot yet (no `open` leaf, or before the opening time)."""

    code = "voting.not_open"
    status = 409


class VotingClosed(UserError):
    code = "voting.closed"
    status = 409
