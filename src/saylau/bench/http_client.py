"""`saylau bench http-client`: the client process's CPU per request of each HTTP client the
project could use — httpx, saylau.client.http.Connection and urllib3 (if installed) — each
POSTing a 9 kB body (a ballot's size) and reading a 1.5 kB JSON answer (a receipt's) from a
loopback server in another process, whose CPU is not counted. It decides whether the load
generator needs its own small client (docs/decisions/0008): the load generator shares the
cores with the server it measures, so its CPU per request is the figure, as a ratio to the
fastest client measured in the same run."""

from __future__ import annotations

import importlib.util
import json
import multiprocessing
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from rich.console import Console
from rich.table import Table

from saylau.i18n import _

BODY = json.dumps({"ballot": "ab" * 4500}).encode()[:9000]  # 9 kB
ANSWER = json.dumps({"receipt": {"proof": ["cd" * 32] * 22}, "time": 1}).encode()  # ~1.5 kB
PATH = "/api/voting/x/ballots"
HEADERS = {"Content-Type": "application/json", "Accept-Language": "en"}
WARM_UP = 20
ROUNDS = 3


class WrongAnswer(Exception):
    """The loopback server's answer was not the one it sends (a broken client or server)."""


def _serve(port_out: Any, close: bool) -> None:
    """The loopback server (its own process): reads the body, answers ANSWER."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # else headers and body, written apart, wait 40 ms

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers["Content-Length"]))
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(ANSWER)))
            if close:
                self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(ANSWER)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    port_out.put(server.server_address[1])
    server.serve_forever()


@contextmanager
def loopback_server(close: bool = False) -> Iterator[int]:
    """A server process on 127.0.0.1; yields its port, stops it afterwards."""
    context = multiprocessing.get_context("spawn")
    ports = context.SimpleQueue()
    process = context.Process(target=_serve, args=(ports, close), daemon=True)
    process.start()
    try:
        yield int(ports.get())
    finally:
        process.terminate()
        process.join(10)


def cpu_per_request(post: Callable[[], Any], n: int) -> float:
    """CPU seconds of this process per call of `post` (best of ROUNDS rounds of n, after a
    warm-up); `post` must return the parsed answer, which is checked once per round."""
    expected = json.loads(ANSWER)
    for _warm in range(WARM_UP):
        post()
    best = float("inf")
    for _round in range(ROUNDS):
        started = time.process_time()
        for _call in range(n - 1):
            post()
        answer = post()
        best = min(best, (time.process_time() - started) / n)
        if answer != expected:
            raise WrongAnswer(repr(answer)[:200])
    return best


def _httpx(port: int, n: int) -> float:
    import httpx

    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
        return cpu_per_request(
            lambda: client.post(PATH, content=BODY, headers=HEADERS).raise_for_status().json(), n
        )


def _connection(port: int, n: int) -> float:
    from saylau.client.http import Connection

    def post(conn: Connection) -> Any:
        response = conn.request("POST", PATH, content=BODY, headers=HEADERS)
        if response.status_code != 200:
            raise WrongAnswer(f"HTTP {response.status_code}")
        return response.json()

    with Connection(f"http://127.0.0.1:{port}", timeout=30) as conn:
        return cpu_per_request(lambda: post(conn), n)


def _urllib3(port: int, n: int) -> float:
    import urllib3

    pool = urllib3.HTTPConnectionPool("127.0.0.1", port, timeout=30, retries=False)

    def post() -> Any:
        response = pool.request("POST", PATH, body=BODY, headers=HEADERS)
        if response.status != 200:
            raise WrongAnswer(f"HTTP {response.status}")
        return json.loads(response.data)

    try:
        return cpu_per_request(post, n)
    finally:
        pool.close()


def _version(module: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"{module} {version(module)}"
    except PackageNotFoundError:  # pragma: no cover - installed as a package here
        return module


CLIENTS: dict[str, Callable[[int, int], float]] = {
    "httpx": _httpx,
    "saylau.client.http.Connection": _connection,
    "urllib3": _urllib3,
}


def available() -> list[str]:
    """The clients measured: urllib3 only if it is installed (it is no dependency)."""
    return [name for name in CLIENTS if name != "urllib3" or importlib.util.find_spec(name)]


def measure(n: int, close: bool = False) -> dict[str, float]:
    """Client CPU seconds per request of each available client, against one server."""
    with loopback_server(close) as port:
        return {name: CLIENTS[name](port, n) for name in available()}


def label(name: str) -> str:
    return name if "." in name else _version(name)


def print_table(console: Console, results: dict[str, float], n: int, close: bool) -> None:
    """Each client's CPU per request and its ratio to the fastest, in the chosen language."""
    mode = _("the server closes each connection") if close else _("keep-alive")
    console.print(
        _(
            "client CPU per request: a POST of %(body)s bytes, a JSON answer of %(answer)s "
            "bytes, %(mode)s; the best of %(rounds)s rounds of %(requests)s requests"
        )
        % {
            "body": len(BODY),
            "answer": len(ANSWER),
            "mode": mode,
            "rounds": ROUNDS,
            "requests": n,
        },
        markup=False,
    )
    fastest = min(results.values())
    table = Table(title="saylau bench http-client")
    table.add_column(_("client"))
    table.add_column(_("CPU per request"), justify="right")
    table.add_column(_("÷ the fastest"), justify="right")
    for name, seconds in sorted(results.items(), key=lambda item: item[1]):
        table.add_row(label(name), f"{seconds * 1e3:.3f} ms", f"{seconds / fastest:.2f}×")
    console.print(table)
    if "urllib3" not in results:
        console.print(_("urllib3 is not installed: not measured"), markup=False)
