"""The named refusals of protocol entry, scans, who voted and recounts.

Each is a `UserError` with a stable code and a message in the user's language; the services
raise them before changing anything (their transaction is rolled back)."""

from __future__ import annotations

from saylau.errors import UserError


class PaperError(UserError):
    code = "paper.invalid"


class PaperForbidden(PaperError):
    """The user's roles or station do not allow this action."""

    status = 403
    code = "paper.forbidden"


class NotFound(PaperError):
    status = 404
    code = "paper.not_found"


class SameOperator(PaperError):
    """The second entry of a round must come from another operator."""

    status = 409
    code = "paper.same_operator"


class WrongState(PaperError):
    """The protocol is not in a state that takes this action (accepted, in conflict, …)."""

    status = 409
    code = "paper.wrong_state"


class InvalidEntry(PaperError):
    code = "paper.invalid_entry"


class ScanRefused(PaperError):
    code = "paper.scan_refused"


class VotedRefused(PaperError):
    """The who-voted upload as a whole is refused (unreadable file, board closed)."""

    code = "paper.voted_refused"


class RecountRefused(PaperError):
    status = 409
    code = "paper.recount_refused"
