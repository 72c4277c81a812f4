"""The load generator deals its threads out over several app servers in turn (decision 0017):
each thread's one connection goes to the next server, so C connections split evenly —
unlike one server of several workers, where one worker may accept a whole burst of them."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from saylau.bench.driver import BenchVoter, Driver, closed_loop
from saylau.crypto import group
from saylau.crypto.encoding import element_hex
from saylau.protocol.ballot import ElectionContext
from saylau.protocol.manifest import manifest_from_json
from saylau.simulate.manifest_gen import make_manifest

SLUG = "test-election"


def _election_info() -> bytes:
    raw = make_manifest(SLUG, 1)
    key = group.base_mul(12345)
    ctx = ElectionContext.make(manifest_from_json(raw), key)
    info = {
        "slug": SLUG,
        "status": "open",
        "manifest": raw,
        "joint_public_key": element_hex(key),
        "fingerprint": ctx.fingerprint.hex(),
        "board_public_key": "00" * 32,
    }
    return json.dumps(info).encode()


class _Server(ThreadingHTTPServer):
    """A real HTTP/1.1 server on loopback that counts connections and casts."""

    daemon_threads = True

    def __init__(self, info: bytes) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.info, self.connections, self.casts = info, 0, 0
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive
    server: _Server

    def setup(self) -> None:
        super().setup()
        with self.server.lock:
            self.server.connections += 1

    def _answer(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        self._answer(200, self.server.info)

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        with self.server.lock:
            self.server.casts += 1
        self._answer(201, b'{"kind": "cast"}')

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def servers() -> Iterator[list[_Server]]:
    info = _election_info()
    made = [_Server(info) for _ in range(2)]
    for httpd in made:
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield made
    finally:
        for httpd in made:
            httpd.shutdown()
            httpd.server_close()


def _voters(n: int) -> list[BenchVoter]:
    return [
        BenchVoter(k, "", "", "", ballot=None, body=b"{}", token="t")  # type: ignore[arg-type]
        for k in range(n)
    ]


def test_threads_take_the_servers_in_turn(servers: list[_Server]) -> None:
    driver = Driver([s.url for s in servers], SLUG, None)
    try:
        for _ in range(3):  # a phase in three stretches: new threads each time
            voters = _voters(40)
            tally = closed_loop(voters, 4, lambda v, t: driver.run(v, t, "cast"), deadline=1e12)
            assert len(tally.finished_at) == 40
            assert all(v.answer == {"kind": "cast"} and v.failed is None for v in voters)
    finally:
        driver.close()
    assert [s.connections for s in servers] == [6, 6]  # 3 stretches × 4 threads, dealt out
    assert sum(s.casts for s in servers) == 120


def test_one_url_is_one_server(servers: list[_Server]) -> None:
    driver = Driver(servers[0].url, SLUG, None)
    try:
        closed_loop(_voters(10), 3, lambda v, t: driver.run(v, t, "cast"), deadline=1e12)
    finally:
        driver.close()
    assert (servers[0].connections, servers[1].connections) == (3, 0)
    assert servers[0].casts == 10
