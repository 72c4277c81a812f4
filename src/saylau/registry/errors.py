"""Errors the registry raises to users: each has a stable code and a translated message."""

from __future__ import annotations

from saylau.errors import UserError


class RegistryError(UserError):
    code = "registry_error"


class ImportFileError(RegistryError):
    """The file as a whole cannot be imported (format, encoding, columns); nothing changed."""

    code = "import_file"


class ImportConflict(RegistryError):
    """The roll changed under the import (a concurrent import); nothing changed."""

    status = 409
    code = "import_conflict"


class MemberError(RegistryError):
    code = "member"


class RollNotFound(RegistryError):
    status = 404
    code = "roll_not_found"


class RollExists(RegistryError):
    status = 409
    code = "roll_exists"


class RollClosed(RegistryError):
    status = 409
    code = "roll_closed"
