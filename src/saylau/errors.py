"""The base of every error a user caused and can fix: a stable code, a translated message.

Beneath every domain app and the site (decision 0020): the domains raise subclasses, the
site's views and API turn them into answers. No Django import: the message is any object
whose str() is the text (a lazy translation in the apps).
"""

from __future__ import annotations

from typing import Any


class UserError(Exception):
    """An error the user caused and can fix; its message is shown to them.

    Domain services raise subclasses with a stable ``code`` and a translated
    (lazy) ``message``; views and the API turn them into a 4xx answer, and the
    transaction is rolled back, so a failed action changes nothing.
    """

    status = 400
    code = "invalid"
    #: HTTP headers to add to the answer (``Retry-After`` on a 429 or 503).
    headers: dict[str, str] = {}
    #: True when what the service wrote before raising must be kept: the failed attempt is
    #: itself the record (a wrong one-time code counts towards a lockout). Such a service
    #: writes nothing else before raising.
    keep_changes = False

    def __init__(self, message: Any, *, code: str | None = None, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field
        if code is not None:
            self.code = code

    def __str__(self) -> str:
        return str(self.message)
