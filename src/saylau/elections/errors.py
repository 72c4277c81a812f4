"""Errors of the elections domain: UserErrors with a stable code (see saylau.errors).
Raise them with a translated message: `raise TransitionRefused(_("…"))`."""

from __future__ import annotations

from saylau.errors import UserError


class ElectionError(UserError):
    code = "election.invalid"


class ElectionNotFound(ElectionError):
    code = "election.not_found"
    status = 404


class TransitionRefused(ElectionError):
    code = "election.transition_refused"
    status = 409


class InvalidElectionManifest(ElectionError):
    code = "election.invalid_manifest"


class NotAuthorised(ElectionError):
    """A missing, unknown or revoked bearer token (trustee or credential authority)."""

    code = "election.bad_token"
    status = 401


class NotReady(ElectionError):
    """The election is not at the stage this step needs."""

    code = "election.not_ready"
    status = 409


class AuditedRejection(ElectionError):
    """A trustee's or the CA's submission was refused; the refusal itself is an audit event,
    written before raising and kept (`keep_changes`): nothing else was written."""

    keep_changes = True


class MessageRejected(AuditedRejection):
    code = "ceremony.rejected"
    status = 422


class MessageConflict(AuditedRejection):
    code = "ceremony.conflict"
    status = 409


class CredentialsRejected(AuditedRejection):
    code = "credentials.rejected"
    status = 422


class RecordNotPublished(ElectionError):
    code = "election.record_not_published"
    status = 404
