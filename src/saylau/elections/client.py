"""The HTTP client of the trustees' and the CA's tools (httpx; no Django).

Errors from the server come back as {"error": {"code", "message"}} in the language asked
for; `ServerError` carries them to the user as they are.
"""

from __future__ import annotations

from collections.abc import Iterator
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
    "" is the election itself), and to the election's public voting API
    (/api/voting/<slug>…: the board, the credential list) with `public` and `lines`."""

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
        self.public_prefix = f"/api/voting/{election}"
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

    def public(self, path: str = "", **params: Any) -> Any:
        """GET a JSON answer of the public voting API."""
        try:
            return self._answer(self.http.get(self.public_prefix + path, params=params or None))
        except httpx.HTTPError as error:
            raise ServerError(0, "unreachable", _unreachable(error)) from None

    def lines(self, path: str, **params: Any) -> Iterator[bytes]:
        """GET a JSON Lines answer of the public voting API, streamed: each line's bytes
        without its newline (a last line without one is yielded too)."""
        try:
            url = self.public_prefix + path
            with self.http.stream("GET", url, params=params or None) as response:
                if not response.is_success:
                    response.read()
                    self._answer(response)
                pending = b""
                for block in response.iter_bytes():
                    pending += block
                    *complete, pending = pending.split(b"\n")
                    yield from complete
                if pending:
                    yield pending
        except httpx.HTTPError as error:
            raise ServerError(0, "unreachable", _unreachable(error)) from None

    def post(self, path: str, body: Any) -> Any:
        try:
            return self._answer(self.http.post(self.prefix + path, json=body))
        except httpx.HTTPError as error:
            raise ServerError(0, "unreachable", _unreachable(error)) from None


def _unreachable(error: httpx.HTTPError) -> str:
    return _("The server could not be reached (%(reason)s).") % {"reason": type(error).__name__}
