"""The stations domain's errors: each a stable code and a message in the user's language."""

from __future__ import annotations

from saylau.errors import UserError


class StationError(UserError):
    code = "stations.invalid"


class StationNotFound(StationError):
    code = "stations.not_found"
    status = 404


class StationFileError(StationError):
    """A whole file cannot be read (no header, a required column missing, not text)."""

    code = "stations.file"


class VoterListLanguage(StationError):
    code = "stations.voter_list_language"
    status = 404


class FontMissing(StationError):
    """The TTF the voter lists are set in is not installed: the server's setup, not the user."""

    code = "stations.font_missing"
    status = 500
