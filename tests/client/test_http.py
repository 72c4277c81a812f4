"""saylau.client.http (and VotingClient's use of it) against real HTTP servers on 127.0.0.1:
a small threading http.server that counts connections and requests and misbehaves on
demand (Connection: close, idle close, reset, read-then-drop, slow answers, 503s), and the
same over TLS with a throw-away self-signed certificate made with the openssl command."""

from __future__ import annotations

import json
import shutil
import socket
import ssl
import struct
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from saylau.client import ClientError, VotingClient
from saylau.client.http import Connection, TransportError, TransportTimeout

SLUG = "primaries-x"


class Server:
    """Answers every request with JSON {"path", "n"}; `modes` says, per path, what else to do:

    close     answer with `Connection: close`
    idle-close  answer (keep-alive), then close the connection (no header said so)
    reset     answer, wait for `go`, then close with a reset (SO_LINGER 0)
    drop      read the whole request, then close without answering
    slow      sleep `delay` seconds before answering
    busy      503 with Retry-After `retry_after` (None: no header) the first `busy` times
    """

    def __init__(self, tls: ssl.SSLContext | None = None):
        self.connections = 0
        self.requests: list[dict] = []
        self.modes: dict[str, str] = {}
        self.delay = 1.0
        self.busy = 0
        self.retry_after: str | None = "0.01"
        self.lines = 2000
        self.second_half = threading.Event()
        self.go = threading.Event()
        self.closed = threading.Event()
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body are written apart

            def setup(self):
                super().setup()
                with server.lock:
                    server.connections += 1

            def answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                path = self.path.split("?")[0]
                with server.lock:
                    server.requests.append(
                        {
                            "method": self.command,
                            "path": self.path,
                            "headers": dict(self.headers),
                            "body": body,
                        }
                    )
                    n = sum(1 for r in server.requests if r["path"].split("?")[0] == path)
                mode = server.modes.get(path, "")
                if mode == "drop":
                    self.close_connection = True
                    return
                if mode == "slow":
                    time.sleep(server.delay)
                if mode == "lines":
                    self.stream_lines()
                    return
                status, extra = 200, {}
                if mode == "busy" and server.busy > 0:
                    server.busy -= 1
                    status = 503
                    if server.retry_after is not None:
                        extra["Retry-After"] = server.retry_after
                    payload = {"error": {"code": "unavailable", "message": "busy"}}
                else:
                    payload = {"path": self.path, "n": n}
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in extra.items():
                    self.send_header(name, value)
                if mode == "close":
                    self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(data)
                self.wfile.flush()
                if mode == "idle-close":
                    self.close_connection = True
                if mode == "reset":
                    server.go.wait(5)
                    self.connection.setsockopt(
                        socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
                    )
                    self.close_connection = True

            def stream_lines(self):
                """`lines` rows of 1 kB, the second half only once `go` is set."""
                rows = [b"%06d" % k + b"x" * 1000 for k in range(server.lines)]
                data = b"\n".join(rows)  # no newline after the last row
                half = len(data) // 2
                self.send_response(200)
                self.send_header("Content-Type", "application/jsonl")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data[:half])
                self.wfile.flush()
                server.go.wait(5)
                self.wfile.write(data[half:])
                self.wfile.flush()
                server.second_half.set()

            do_GET = do_POST = answer

            def log_message(self, *args):
                pass

        class Threading(ThreadingHTTPServer):
            def handle_error(self, request, client_address):
                pass  # a client that timed out or went away: expected here

            def shutdown_request(self, request):
                super().shutdown_request(request)
                server.closed.set()

        self.server = Threading(("127.0.0.1", 0), Handler)
        scheme = "http"
        if tls is not None:
            self.server.socket = tls.wrap_socket(self.server.socket, server_side=True)
            scheme = "https"
        self.url = f"{scheme}://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def seen(self, path: str) -> int:
        return sum(1 for r in self.requests if r["path"].split("?")[0] == path)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.go.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


@pytest.fixture
def server():
    with Server() as running:
        yield running


def api(path: str) -> str:
    return f"/api/voting/{SLUG}{path}"


# --- keep-alive -----------------------------------------------------------------------------


def test_one_connection_is_kept_alive(server):
    with Connection(server.url, headers={"Accept-Language": "kk"}) as http:
        for k in range(5):
            response = http.request("GET", "/a", headers={"X-Step": str(k)})
            assert response.status_code == 200 and response.json()["n"] == k + 1
        posted = http.request("POST", "/b", json={"ә": 1})
        assert posted.json() == {"path": "/b", "n": 1}
    assert server.connections == 1 and http.connections == 1
    assert [r["headers"]["X-Step"] for r in server.requests[:5]] == ["0", "1", "2", "3", "4"]
    assert all(r["headers"]["Accept-Language"] == "kk" for r in server.requests)
    last = server.requests[-1]
    assert last["headers"]["Content-Type"] == "application/json"
    assert json.loads(last["body"]) == {"ә": 1}


def test_response_headers_are_case_insensitive(server):
    with Connection(server.url) as http:
        response = http.request("GET", "/h")
    assert response.headers.get("content-type") == "application/json"
    assert response.headers["CONTENT-LENGTH"] == str(len(response.content))
    assert "Content-Type" in response.headers and response.headers.get("X-None") is None


def test_connection_close_opens_a_new_connection_each_time(server):
    server.modes["/c"] = "close"
    with Connection(server.url) as http:
        assert [http.request("GET", "/c").json()["n"] for _ in range(3)] == [1, 2, 3]
    assert server.connections == 3 and server.seen("/c") == 3


def test_idle_connection_closed_by_the_server_is_reopened(server):
    server.modes["/i"] = "idle-close"
    with Connection(server.url) as http:
        assert http.request("GET", "/i").json()["n"] == 1
        assert server.closed.wait(5)  # the server closed it while the client was idle
        time.sleep(0.05)
        assert http.request("GET", "/i").json()["n"] == 2
    assert server.connections == 2 and server.seen("/i") == 2


def test_idle_connection_reset_by_the_server_is_reopened(server):
    server.modes["/r"] = "reset"
    with Connection(server.url) as http:
        assert http.request("GET", "/r").json()["n"] == 1
        server.go.set()
        assert server.closed.wait(5)
        time.sleep(0.05)
        server.modes["/r"] = ""
        assert http.request("GET", "/r").json()["n"] == 2
    assert server.connections == 2 and server.seen("/r") == 2


class Racing(Connection):
    """Loses the race against the server's close: the idle check sees nothing, as when the
    server closes the connection between that check and the request's write."""

    def _idle_dropped(self) -> bool:
        return self._conn is None or self._conn.sock is None


def test_request_written_into_a_closed_connection_is_sent_once_more(server):
    server.modes["/r"] = "reset"
    with Racing(server.url) as http:
        assert http.request("POST", "/r", content=b"1").json()["n"] == 1
        server.go.set()
        assert server.closed.wait(5)
        time.sleep(0.05)
        server.modes["/r"] = ""
        # the write fails (the server had reset the connection): it never read this
        # request, which is sent again on a new connection, and seen once
        assert http.request("POST", "/r", content=b"2").json()["n"] == 2
    assert server.connections == 2
    assert [r["body"] for r in server.requests] == [b"1", b"2"]


@pytest.mark.parametrize("reused", [False, True])
def test_request_read_then_dropped_is_not_sent_again(server, reused):
    server.modes["/drop"] = "drop"
    with Connection(server.url) as http:
        if reused:
            http.request("GET", "/ok")
        with pytest.raises(TransportError) as failed:
            http.request("POST", "/drop", content=b"once")
        assert not isinstance(failed.value, TransportTimeout)
        assert server.seen("/drop") == 1
        assert http.request("GET", "/ok").status_code == 200  # and the next one works
    assert server.seen("/drop") == 1


def test_voting_client_does_not_repeat_a_dropped_request(server):
    server.modes[api("/sign-in")] = "drop"
    with VotingClient(server.url, SLUG) as client:
        with pytest.raises(ClientError) as failed:
            client.sign_in("900101300007", "+77011234567")
    assert (failed.value.status, failed.value.code) == (0, "unreachable")
    assert server.seen(api("/sign-in")) == 1


def test_the_server_gone(server):
    url = server.url
    server.__exit__()
    with Connection(url, timeout=2) as http, pytest.raises(TransportError):
        http.request("GET", "/")
    with VotingClient(url, SLUG, retries=0) as client, pytest.raises(ClientError) as failed:
        client.me()
    assert (failed.value.status, failed.value.code) == (0, "unreachable")


# --- timeouts, params, retries --------------------------------------------------------------


def test_timeout(server):
    server.modes["/slow"] = "slow"
    server.modes[api("/me")] = "slow"
    server.delay = 1.0
    with Connection(server.url, timeout=0.2) as http:
        started = time.monotonic()
        with pytest.raises(TransportTimeout):
            http.request("GET", "/slow")
        assert time.monotonic() - started < 0.9
    with VotingClient(server.url, SLUG, timeout=0.2, retries=0) as client:
        with pytest.raises(ClientError) as failed:
            client.me()
    assert (failed.value.status, failed.value.code) == (0, "unreachable")
    assert "timed out" in failed.value.message


def test_query_params_and_base_path(server):
    with Connection(server.url + "/prefix/") as http:
        answer = http.request("GET", "/q", params={"old": 3, "new": "a b&c"}).json()
        assert answer["path"] == "/prefix/q?old=3&new=a+b%26c"
        answer = http.request("GET", "/q?x=1", params={"y": 2}).json()
        assert answer["path"] == "/prefix/q?x=1&y=2"
        assert http.request("GET", "/q").json()["path"] == "/prefix/q"


def test_bad_base_urls_are_unreachable_servers():
    """As with httpx: a mistyped server is reported by the request, as unreachable."""
    for url in ("ftp://example.kz", "example.kz", "localhost:8000", "http://", "http://h:x/"):
        with pytest.raises(TransportError, match="URL"):
            Connection(url).request("GET", "/")
        with VotingClient(url, SLUG, retries=0) as client, pytest.raises(ClientError) as failed:
            client.me()
        assert (failed.value.status, failed.value.code) == (0, "unreachable")


def test_503_with_retry_after_is_retried_for_idempotent_requests(server):
    server.modes[api("/me")] = "busy"
    server.busy = 2
    with VotingClient(server.url, SLUG, retries=3) as client:
        assert client.me()["n"] == 3  # two 503s, then the answer
    server.busy = 2
    with VotingClient(server.url, SLUG, retries=1) as client:
        with pytest.raises(ClientError) as failed:
            client.me()
    assert failed.value.status == 503 and failed.value.retry_after == 0.01
    assert failed.value.code == "unavailable" and failed.value.message == "busy"


def test_503_is_not_retried_for_sign_in(server):
    server.modes[api("/sign-in")] = "busy"
    server.busy = 1
    server.retry_after = None
    with VotingClient(server.url, SLUG, language="ru") as client:
        with pytest.raises(ClientError) as failed:
            client.sign_in("900101300007", "+77011234567")
    assert failed.value.status == 503 and failed.value.retry_after is None
    (request,) = server.requests
    assert request["headers"]["Accept-Language"] == "ru"
    assert json.loads(request["body"]) == {"iin": "900101300007", "phone": "+77011234567"}


def test_bearer_token_and_cast_prepared_body(server):
    with VotingClient(server.url, SLUG) as client:
        client.token = "tok"
        answer = client.cast_prepared(b'{"ballot":1}')
    assert answer == {"path": api("/ballots"), "n": 1}
    (request,) = server.requests
    assert request["headers"]["Authorization"] == "Bearer tok"
    assert request["headers"]["Content-Type"] == "application/json"
    assert request["body"] == b'{"ballot":1}'


# --- TLS ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    """A throw-away self-signed certificate for 127.0.0.1 (its own CA)."""
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is not installed")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
            "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
            "-keyout", str(key), "-out", str(cert),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


@pytest.fixture
def tls_server(certificate):
    cert, key = certificate
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    with Server(tls=context) as running:
        yield running


def test_https_with_the_right_ca(tls_server, certificate):
    trusted = ssl.create_default_context(cafile=str(certificate[0]))
    with Connection(tls_server.url, ssl_context=trusted) as http:
        assert [http.request("GET", "/t").json()["n"] for _ in range(3)] == [1, 2, 3]
    assert tls_server.connections == 1
    with VotingClient(tls_server.url, SLUG, ssl_context=trusted) as client:
        assert client.me()["path"] == api("/me")


def test_https_with_the_default_context_refuses_a_self_signed_certificate(tls_server):
    with VotingClient(tls_server.url, SLUG, retries=0) as client:
        with pytest.raises(ClientError) as failed:
            client.me()
    assert (failed.value.status, failed.value.code) == (0, "unreachable")
    assert "certificate verify failed" in failed.value.message
    assert tls_server.requests == []


# --- lines ----------------------------------------------------------------------------------


def test_lines_stream_before_the_answer_is_whole_and_keep_the_connection(server):
    server.modes[api("/leaves")] = "lines"
    with Connection(server.url) as http:
        head, lines = http.lines(api("/leaves"))
        assert head.status_code == 200 and head.content == b""
        first = next(lines)  # the server holds back the second half until `go`
        assert first.startswith(b"000000") and not server.second_half.is_set()
        server.go.set()
        rest = list(lines)
        assert [first, *rest] == [b"%06d" % k + b"x" * 1000 for k in range(server.lines)]
        assert http.request("GET", api("/after")).json()["n"] == 1
        assert http.connections == 1


def test_lines_left_early_close_the_connection(server):
    server.modes[api("/leaves")] = "lines"
    server.go.set()
    with Connection(server.url) as http:
        _head, lines = http.lines(api("/leaves"))
        assert next(lines).startswith(b"000000")
        lines.close()  # the caller stops reading: the rest of the answer is never read
        assert http.request("GET", api("/after")).status_code == 200
        assert http.connections == 2


def test_lines_of_an_error_answer_come_whole(server):
    server.modes[api("/leaves")] = "busy"
    server.busy = 1
    with Connection(server.url) as http:
        head, lines = http.lines(api("/leaves"))
        assert head.status_code == 503 and head.json()["error"]["code"] == "unavailable"
        assert list(lines) == []
        assert http.request("GET", api("/after")).status_code == 200
        assert http.connections == 1
