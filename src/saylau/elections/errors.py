"""Errors of the elections domain: UserErrors with a stable code (see saylau.site.errors).
Raise them with a translated message: `raise TransitionRefused(_("…"))`."""

from __future__ import annotations

from saylau.site.errors import UserError


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
