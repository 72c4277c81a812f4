"""The HTTP client of the trustees' and the CA's tools (httpx; no Django).

Errors from the server come back as {"error": {"code", "message"}} in the language asked
for; `ServerError` carries them to the user as they are.
"""

from __future__ import annotations

from typing import Any

import httpx

from saylau.i18n import _


class ServerError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


class Client:
    """Talks to /api/elections/<slug>… with a seat's bearer token (paths start with "/";
    "" is the election itself)."""

    def __init__(
        self,
        server: str,
        election: str,
        token: str,
        *,
        lang: str = "kk",
        timeout: float = 60.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.election = election
        self.prefix = f"/api/elections/{election}"
        self.http = httpx.Client(
            base_url=server.rstrip("/"),
            headers={
                "Authorization": f"Bearer {token}",
                "Accept-Language": lang,
                "User-Agent": "saylau-client/1",
            },
            timeout=timeout,
            transport=transport,
        )

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _answer(self, response: httpx.Response) -> Any:
        try:
            body = response.json()
        except ValueError:
            body = None
        if response.is_success:
            return body
        error = body.get("error", {}) if isinstance(body, dict) else {}
        if error.get("message"):
            message = str(error["message"])
        else:
            message = _("The server answered HTTP %(status)d.") % {"status": response.status_code}
        raise ServerError(response.status_code, str(error.get("code", "")), message)

    def get(self, path: str = "", **params: Any) -> Any:
        try:
            return self._answer(self.http.get(self.prefix + path, params=params or None))
        except httpx.HTTPError as error:
            raise ServerError(0, "unreachable", _unreachable(error)) from None

    def post(self, path: str, body: Any) -> Any:
        try:
            return self._answer(self.http.post(self.prefix + path, json=body))
        except httpx.HTTPError as error:
            raise ServerError(0, "unreachable", _unreachable(error)) from None


def _unreachable(error: httpx.HTTPError) -> str:
    return _("The server could not be reached (%(reason)s).") % {"reason": type(error).__name__}
