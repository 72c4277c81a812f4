"""The named refusals of the complaints app: a `UserError` each, with a stable code and a
message in the user's language; the services raise them before changing anything."""

from __future__ import annotations

from saylau.errors import UserError


class ComplaintError(UserError):
    code = "complaints.invalid"


class ComplaintForbidden(ComplaintError):
    """The user's role does not allow this step."""

    status = 403
    code = "complaints.forbidden"


class ComplaintNotFound(ComplaintError):
    status = 404
    code = "complaints.not_found"


class WrongStep(ComplaintError):
    """The case is not in a state that takes this step."""

    status = 409
    code = "complaints.wrong_step"


class EvidenceRefused(ComplaintError):
    code = "complaints.evidence_refused"


class SanctionRefused(ComplaintError):
    code = "complaints.sanction_refused"
