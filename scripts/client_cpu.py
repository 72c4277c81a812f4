"""Client CPU per request, by hand (not a test): httpx, urllib3, http.client, saylau's
Connection and VotingClient.cast_prepared, each POSTing a 9 kB body and reading a 1.5 kB
JSON answer from a loopback server run in another process (its CPU is not counted).

    .venv/bin/python scripts/client_cpu.py            # keep-alive
    .venv/bin/python scripts/client_cpu.py --close    # the server answers Connection: close

Before/after: `git show d30b407:src/saylau/client/voting.py > /tmp/old_voting.py` (the
httpx VotingClient), then `--old-client /tmp/old_voting.py` times its cast's HTTP part too.

Prints the client process's CPU time (time.process_time) per request, the best of 3 rounds.
Figures: docs/decisions/0008-voting-client-on-http-client.md.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import sys
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

BODY = json.dumps({"ballot": "ab" * 4500}).encode()[:9000]  # 9 kB
ANSWER = json.dumps({"receipt": {"proof": ["cd" * 32] * 22}, "time": 1}).encode()  # ~1.5 kB


def serve(port_out: multiprocessing.SimpleQueue[int], close: bool) -> None:
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


def cpu_per_request(post: Callable[[], object], n: int) -> float:
    print(".", end="", flush=True)
    for _ in range(20):  # warm up (connections, caches)
        post()
    best = float("inf")
    for _ in range(3):
        started = time.process_time()
        for _ in range(n):
            post()
        best = min(best, (time.process_time() - started) / n)
    return best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--close", action="store_true", help="server answers Connection: close")
    parser.add_argument("-n", type=int, default=1000, help="requests per round")
    parser.add_argument("--old-client", help="a voting.py to time as well (the httpx one)")
    args = parser.parse_args()

    ports: multiprocessing.SimpleQueue[int] = multiprocessing.SimpleQueue()
    process = multiprocessing.Process(target=serve, args=(ports, args.close), daemon=True)
    process.start()
    base = f"http://127.0.0.1:{ports.get()}"
    path = "/api/voting/x/ballots"
    headers = {"Content-Type": "application/json", "Accept-Language": "en"}
    results: dict[str, float] = {}
    try:
        import httpx

        with httpx.Client(base_url=base, timeout=30) as hx:
            results["httpx 0.28"] = cpu_per_request(
                lambda: hx.post(path, content=BODY, headers=headers).json(), args.n
            )
        try:
            import urllib3

            pool = urllib3.HTTPConnectionPool("127.0.0.1", int(base.rsplit(":", 1)[1]))
            results["urllib3"] = cpu_per_request(
                lambda: json.loads(pool.request("POST", path, body=BODY, headers=headers).data),
                args.n,
            )
        except ImportError:
            pass

        raw = http.client.HTTPConnection("127.0.0.1", int(base.rsplit(":", 1)[1]), timeout=30)

        def plain() -> object:
            raw.request("POST", path, body=BODY, headers=headers)
            return json.loads(raw.getresponse().read())

        results["http.client (bare)"] = cpu_per_request(plain, args.n)

        from saylau.client.http import Connection
        from saylau.client.voting import VotingClient

        with Connection(base, headers={"Accept-Language": "en"}) as conn:
            results["saylau.client.http.Connection"] = cpu_per_request(
                lambda: conn.request("POST", path, content=BODY, headers=headers).json(),
                args.n,
            )
        with VotingClient(base, "x") as client:
            client.token = "t" * 43
            results["VotingClient.cast_prepared"] = cpu_per_request(
                lambda: client.cast_prepared(BODY), args.n
            )
        if args.old_client:
            import importlib.util

            spec = importlib.util.spec_from_file_location("old_voting", args.old_client)
            assert spec is not None and spec.loader is not None
            old = importlib.util.module_from_spec(spec)
            sys.modules["old_voting"] = old  # for its dataclasses
            spec.loader.exec_module(old)
            with old.VotingClient(base, "x") as before:
                before.token = "t" * 43
                results["old VotingClient (httpx) cast POST"] = cpu_per_request(
                    lambda: before._request(
                        "POST",
                        "/ballots",
                        retry=True,
                        content=BODY,
                        headers={"Content-Type": "application/json"},
                    ).json(),
                    args.n,
                )
    finally:
        process.terminate()
    mode = "Connection: close" if args.close else "keep-alive"
    print(f"client CPU per POST (9 kB body, {len(ANSWER)} B JSON answer), {mode}:")
    for name, seconds in results.items():
        print(f"  {name:36s} {seconds * 1e3:6.3f} ms")


if __name__ == "__main__":
    main()
