"""A small HTTP/1.1 client over the standard library's `http.client`: one base URL, one
persistent connection.

    http = Connection("https://primaries.example.kz", timeout=30, headers={"Accept-Language": "kk"})
    response = http.request("POST", "/api/voting/x/ballots", content=body,
                            headers={"Content-Type": "application/json"})
    response.status_code, response.headers.get("retry-after"), response.json()

Why not httpx: the load benchmark runs thousands of simulated voters from one process on the
machine of the server under test, and each request's client CPU is taken from the server;
`http.client` costs a third of httpx's per request (docs/decisions/0008).

Keep-alive: the connection is kept open between requests and opened again when the server
answered `Connection: close` (gunicorn's sync workers do, on every response), when an error
left it in an unknown state, or when the server closed it while it was idle (checked before
each reuse: an idle connection that has become readable was closed by the server).

Retries: this module never sends a request twice, with one exception. If writing a request
on a *reused* connection fails with a broken pipe or a reset, the server had closed that
connection before the request reached it: the server never read it, so the request is sent
once more on a fresh connection. A request that was written whole and then met with an end
of connection before any answer is NOT retried: a server that read it and then died looks the
same, and sending it again could do it twice. Deciding that is the caller's business
(`VotingClient` retries only idempotent requests).

Not thread-safe: one `Connection` per thread.
"""

from __future__ import annotations

import contextlib
import http.client
import json as jsonlib
import select
import ssl
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

__all__ = ["Connection", "Headers", "Response", "TransportError", "TransportTimeout"]

USER_AGENT = "saylau-client/1"

# Errors that, raised while *writing* a request on a reused connection, mean the server had
# already closed it (a FIN then our write's RST, or its own RST).
_CLOSED_BEFORE_READ = (BrokenPipeError, ConnectionResetError, ConnectionAbortedError)

Params = Mapping[str, str | int | float] | None


class TransportError(Exception):
    """The server could not be reached, or the connection failed before a whole answer came:
    refused, reset, TLS failure, timeout (`TransportTimeout`), malformed answer."""


class TransportTimeout(TransportError):
    """Connecting, sending or waiting for the answer took longer than the timeout."""


class Headers(Mapping[str, str]):
    """A response's headers; names are case-insensitive, repeated headers joined by ", "."""

    __slots__ = ("_items",)

    def __init__(self, items: list[tuple[str, str]]) -> None:
        self._items: dict[str, tuple[str, str]] = {}
        for name, value in items:
            key = name.lower()
            if key in self._items:
                first, joined = self._items[key]
                self._items[key] = (first, f"{joined}, {value}")
            else:
                self._items[key] = (name, value)

    def __getitem__(self, name: str) -> str:
        return self._items[name.lower()][1]

    def __iter__(self) -> Iterator[str]:
        return (name for name, _ in self._items.values())

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self._items

    def __repr__(self) -> str:
        return f"Headers({dict(self.items())!r})"


class Response:
    """A whole answer: status, headers, body bytes."""

    __slots__ = ("content", "headers", "reason", "status_code")

    def __init__(self, status_code: int, reason: str, headers: Headers, content: bytes) -> None:
        self.status_code = status_code
        self.reason = reason
        self.headers = headers
        self.content = content

    def json(self) -> Any:
        """The body as JSON (ValueError if it is not)."""
        return jsonlib.loads(self.content)

    def __repr__(self) -> str:
        return f"<Response {self.status_code} {self.reason}, {len(self.content)} bytes>"


class Connection:
    """Requests to one base URL (http or https) over one kept-alive connection.

    `ssl_context`: for https, `ssl.create_default_context()` (the system's CAs) unless given.
    `timeout`: seconds, for connecting and for each read or write. `headers`: sent with every
    request (a dict you may change); per-request headers are added to them. A base URL that is
    not http(s) fails each request with a `TransportError`, as a server that cannot be
    reached (so `VotingClient` reports a mistyped server as it always did).

    Not thread-safe: one `Connection` per thread.
    """

    def __init__(
        self,
        base_url: str,
        *,
        timeout: float = 30.0,
        ssl_context: ssl.SSLContext | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._problem: str | None = None
        try:
            url = urlsplit(base_url)
            self.port = url.port or (443 if url.scheme == "https" else 80)
        except ValueError as error:  # a port that is not a number
            url, self.port = urlsplit(""), 0
            self._problem = f"not a valid URL: {base_url!r} ({error})"
        if url.scheme not in ("http", "https") or not url.hostname or url.query or url.fragment:
            self._problem = self._problem or f"not an http(s) base URL: {base_url!r}"
        self.scheme = url.scheme
        self.host = url.hostname or ""
        self.prefix = url.path.rstrip("/")
        self.timeout = timeout
        self.ssl_context = ssl_context
        if url.scheme == "https" and ssl_context is None:
            self.ssl_context = ssl.create_default_context()
        self.headers: dict[str, str] = {"User-Agent": USER_AGENT}
        self.headers.update(headers or {})
        self._conn: http.client.HTTPConnection | None = None
        self._idle = False  # _conn answered a request in full and was kept alive
        self.connections = 0  # connections opened so far (for tests and curious callers)

    # --- the connection -----------------------------------------------------------------

    def _open(self) -> http.client.HTTPConnection:
        conn: http.client.HTTPConnection
        if self.scheme == "https":
            conn = http.client.HTTPSConnection(
                self.host, self.port, timeout=self.timeout, context=self.ssl_context
            )
        else:
            conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        self._conn, self._idle = conn, False
        self.connections += 1
        return conn

    def _idle_dropped(self) -> bool:
        """Whether the server closed the idle connection: nothing is due from it between
        requests, so a readable socket means an end of connection (or garbage)."""
        sock = self._conn.sock if self._conn is not None else None
        if sock is None:
            return True
        try:
            if hasattr(select, "poll"):  # no limit on descriptor numbers, unlike select
                poller = select.poll()
                poller.register(sock, select.POLLIN)
                return bool(poller.poll(0))  # POLLIN, or POLLHUP / POLLERR
            readable, _, _ = select.select([sock], [], [], 0)
            return bool(readable)
        except (OSError, ValueError):
            return True

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
        self._conn, self._idle = None, False

    def __enter__(self) -> Connection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- requests -----------------------------------------------------------------------

    def url(self, path: str, params: Params = None) -> str:
        """The request target: the base URL's path, then `path`, then `?params`."""
        target = quote(self.prefix + path, safe="/%:@!$&'()*+,;=~?")
        if params:
            target += ("&" if "?" in target else "?") + urlencode(params)
        return target

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Params = None,
        json: Any = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Response:
        """Send one request and read the whole answer (any status). `json`: a body encoded
        here (and Content-Type set); `content`: bytes sent as they are. Raises
        `TransportError` (`TransportTimeout`) if no whole answer came."""
        target, answer = self._send(method, path, params, json, content, headers)
        with self._failures(method, target):
            body = answer.read()
        self._done(answer)
        return Response(answer.status, answer.reason, Headers(answer.getheaders()), body)

    def lines(
        self, path: str, *, params: Params = None, headers: Mapping[str, str] | None = None
    ) -> tuple[Response, Iterator[bytes]]:
        """GET an answer line by line, without holding it whole: the `Response` (status and
        headers; the whole body only if it is not a 2xx), and the lines' bytes without their
        newlines. Leaving the lines early closes the connection."""
        target, answer = self._send("GET", path, params, None, None, headers)
        meta = Headers(answer.getheaders())
        if 200 <= answer.status < 300:
            return Response(answer.status, answer.reason, meta, b""), self._lines(answer, target)
        with self._failures("GET", target):
            body = answer.read()
        self._done(answer)
        return Response(answer.status, answer.reason, meta, body), iter(())

    def _lines(self, answer: http.client.HTTPResponse, target: str) -> Iterator[bytes]:
        finished = False
        try:
            pending = b""
            while True:
                with self._failures("GET", target):
                    block = answer.read1(65536)
                if not block:
                    break
                *complete, pending = (pending + block).split(b"\n")
                yield from complete
            if pending:
                yield pending
            answer.close()  # read to its end: the connection may carry the next request
            finished = True
        finally:
            if finished:
                self._done(answer)
            else:
                self.close()

    def _send(
        self,
        method: str,
        path: str,
        params: Params,
        json: Any,
        content: bytes | None,
        headers: Mapping[str, str] | None,
    ) -> tuple[str, http.client.HTTPResponse]:
        """Write the request and read the answer's status line and headers."""
        if self._problem:
            raise TransportError(self._problem)
        send = dict(self.headers)
        if json is not None:
            if content is not None:
                raise ValueError("json or content, not both")
            content = jsonlib.dumps(json, ensure_ascii=False, separators=(",", ":")).encode()
            send["Content-Type"] = "application/json"
        if headers:
            send.update(headers)
        target = self.url(path, params)
        conn = self._conn
        reused = conn is not None and self._idle
        if conn is not None and (not reused or self._idle_dropped()):
            # closed by the server while idle, or left mid-request (an interrupt)
            self.close()
            conn, reused = None, False
        if conn is None:
            conn = self._open()
        self._idle = False
        with self._failures(method, target):
            try:
                conn.request(method, target, body=content, headers=send)
            except _CLOSED_BEFORE_READ:
                if not reused:
                    raise
                # The server closed the kept-alive connection before this request reached
                # it (our write met its close): it never read it. Once more, on a new one.
                self.close()
                conn = self._open()
                conn.request(method, target, body=content, headers=send)
            return target, conn.getresponse()

    @contextlib.contextmanager
    def _failures(self, method: str, target: str) -> Iterator[None]:
        """Network failures as `TransportError`; the connection is closed after one."""
        try:
            yield
        except TimeoutError as error:
            self.close()
            raise TransportTimeout(f"{method} {self.base_url}{target}: timed out") from error
        except (OSError, http.client.HTTPException) as error:
            self.close()
            detail = str(error) or type(error).__name__
            raise TransportError(f"{method} {self.base_url}{target}: {detail}") from error

    def _done(self, answer: http.client.HTTPResponse) -> None:
        if answer.will_close:
            self.close()  # Connection: close, or HTTP/1.0: the next request opens a new one
        else:
            self._idle = True
