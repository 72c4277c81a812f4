"""Reading a file a person named on the command line (a member roll, a manifest), with the
failure said in their language: the operating system's own text is English and is never
shown."""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext as _

from saylau.registry.errors import RegistryError


class FileUnreadable(RegistryError):
    """The named file is missing, a folder, or cannot be read; nothing changed."""

    code = "file_unreadable"


def read_named_file(path: Path) -> bytes:
    """The bytes of `path`, or FileUnreadable saying why not."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        message = _("There is no file %(path)s.")
    except IsADirectoryError:
        message = _("%(path)s is a folder, not a file.")
    except PermissionError:
        message = _("You may not read the file %(path)s (permission denied).")
    except OSError:
        message = _("The file %(path)s could not be read.")
    raise FileUnreadable(message % {"path": path})
