"""The client of a seat's tools (trustees, the credential authority): the election's seat API
(/api/elections/<slug>…, with the seat's bearer token) and its public voting API
(/api/voting/<slug>…), over `saylau.client.http`.

Errors from the server come back as {"error": {"code", "message"}} in the language asked
for; `ServerError` carries them to the user as they are.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from saylau.client.http import Connection, Response, TransportError
from saylau.i18n import _


class ServerError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


class SeatClient:
    """Paths start with "/"; "" is the election itself. `get`/`post` talk to the seat API,
    `public` and `lines` to the public voting API. `connect` makes the connection (tests
    give one that serves the site in process)."""

    def __init__(
        self,
        server: str,
        election: str,
        token: str,
        *,
        lang: str = "kk",
        timeout: float = 60.0,
        connect: Callable[..., Connection] = Connection,
    ) -> None:
        self.election = election
        self.prefix = f"/api/elections/{election}"
        self.public_prefix = f"/api/voting/{election}"
        self.http = connect(
            server,
            timeout=timeout,
            headers={"Authorization": f"Bearer {token}", "Accept-Language": lang},
        )

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> SeatClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(self, path: str = "", **params: Any) -> Any:
        return self._call("GET", self.prefix + path, params=params or None)

    def public(self, path: str = "", **params: Any) -> Any:
        """GET a JSON answer of the public voting API."""
        return self._call("GET", self.public_prefix + path, params=params or None)

    def post(self, path: str, body: Any) -> Any:
        return self._call("POST", self.prefix + path, json=body)

    def lines(self, path: str, **params: Any) -> Iterator[bytes]:
        """GET a JSON Lines answer of the public voting API, streamed: each line's bytes
        without its newline (a last line without one is yielded too)."""
        try:
            head, lines = self.http.lines(self.public_prefix + path, params=params or None)
            if not 200 <= head.status_code < 300:
                _answer(head)
            yield from lines
        except TransportError as error:
            raise _unreachable(error) from None

    def _call(self, method: str, path: str, **request: Any) -> Any:
        try:
            return _answer(self.http.request(method, path, **request))
        except TransportError as error:
            raise _unreachable(error) from None


def _answer(response: Response) -> Any:
    try:
        body = response.json()
    except ValueError:
        body = None
    if 200 <= response.status_code < 300:
        return body
    error = body.get("error", {}) if isinstance(body, dict) else {}
    if error.get("message"):
        message = str(error["message"])
    else:
        message = _("The server answered HTTP %(status)d.") % {"status": response.status_code}
    raise ServerError(response.status_code, str(error.get("code", "")), message)


def _unreachable(error: TransportError) -> ServerError:
    reason = type(error.__cause__ or error).__name__
    return ServerError(
        0, "unreachable", _("The server could not be reached (%(reason)s).") % {"reason": reason}
    )
