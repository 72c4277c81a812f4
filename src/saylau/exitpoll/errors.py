"""The named refusals of the exit poll: a stable code, a message in the user's language; the
services raise them before changing anything, except `NotAssigned`, whose entry is kept
(refused) for the pollster."""

from __future__ import annotations

from saylau.errors import UserError


class ExitPollError(UserError):
    code = "exitpoll.invalid"


class ExitPollForbidden(ExitPollError):
    status = 403
    code = "exitpoll.forbidden"


class PollNotFound(ExitPollError):
    status = 404
    code = "exitpoll.not_found"


class WrongState(ExitPollError):
    status = 409
    code = "exitpoll.wrong_state"


class InvalidEntry(ExitPollError):
    code = "exitpoll.invalid_entry"


class DuplicateMismatch(ExitPollError):
    """A client UUID already used for a different entry."""

    status = 409
    code = "exitpoll.uuid_reused"


class NotAssigned(ExitPollError):
    """The interviewer is not assigned to the station; the entry is stored as refused so the
    pollster sees it, and nothing is lost."""

    status = 403
    code = "exitpoll.not_assigned"
    keep_changes = True


class Embargoed(ExitPollError):
    """Estimates asked for before the polls close by someone other than the pollster."""

    status = 403
    code = "exitpoll.embargoed"
