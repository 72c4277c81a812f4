"""The named refusals of the observer network: a stable code, a message in the user's
language; the services raise them before changing anything, except `NotAccredited`, whose
submission is kept (refused) for the coordinator."""

from __future__ import annotations

from saylau.errors import UserError


class ObservationError(UserError):
    code = "observation.invalid"


class ObservationForbidden(ObservationError):
    status = 403
    code = "observation.forbidden"


class NotFound(ObservationError):
    status = 404
    code = "observation.not_found"


class PrimaryTaken(ObservationError):
    """The organisation already has an active primary observer at the station."""

    status = 409
    code = "observation.primary_taken"


class WrongState(ObservationError):
    status = 409
    code = "observation.wrong_state"


class InvalidSubmission(ObservationError):
    code = "observation.invalid_submission"


class DuplicateMismatch(ObservationError):
    """A client UUID already used for a different submission."""

    status = 409
    code = "observation.uuid_reused"


class NotAccredited(ObservationError):
    """The observer is not accredited to the station now; the submission is stored as refused
    so the coordinator sees it, and nothing is lost."""

    status = 403
    code = "observation.not_accredited"
    keep_changes = True


class MediaRefused(ObservationError):
    code = "observation.media_refused"


class OfficialRefused(ObservationError):
    """An official results upload that cannot be used; `rows` lists the rows that cannot be
    read, each with its reasons. Nothing is stored."""

    code = "observation.official_refused"

    def __init__(self, message: object, *, rows: list[str] | None = None) -> None:
        super().__init__(message)
        self.rows = rows or []


class DraftRefused(ObservationError):
    """No complaint draft for this row: the station's copies agree with the official result."""

    code = "observation.draft_refused"
