"""`saylau bench observers`: election day's observer reports against the app server on
127.0.0.1, as a ratio to the rate the target needs.

The target: N stations × 2 observers each sending a checklist and a protocol copy within an
hour, answered with p99 ≤ 1 s. Setup (another process): a dedicated PostgreSQL database with
the N stations, 2N accredited observers and their sessions. Then, under granian (one server
of one worker per core): a closed loop of `concurrency` observers measures the capacity
(reports per second), and an open loop at the needed rate (4N per hour) measures the latency
a report waits. Afterwards every 201 answer must be one stored row, and retries of stored
reports must add none.
"""

from __future__ import annotations

import json
import os
import queue
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console

from saylau.bench.load_run import recreate
from saylau.bench.server import AppServers, server_env
from saylau.bench.stats import Latency, steady_rate
from saylau.client.http import Connection, TransportError

HOUR = 3600.0
COUNTS = {
    "voters_on_list": 1000,
    "ballots_received": 1000,
    "ballots_issued": 800,
    "ballots_cancelled": 190,
    "ballots_spoiled": 5,
    "ballots_lost": 5,
    "ballots_in_boxes": 800,
    "invalid": 10,
    "valid": 790,
}


@dataclass(frozen=True)
class ObserversConfig:
    stations: int
    concurrency: int
    sample: int  # reports in the closed loop
    seconds: float  # length of the open loop at the needed rate
    workers: int
    database_url: str
    maintenance_url: str
    database: str


def _setup(cfg: ObserversConfig, work: Path, key: str) -> dict[str, Any]:
    out = work / "setup.json"
    env = dict(
        os.environ,
        DATABASE_URL=cfg.database_url,
        SAYLAU_VAR_DIR=str(work),
        SAYLAU_SECRET_KEY=key,
        SAYLAU_LOG_LEVEL="WARNING",
    )
    command = [sys.executable, "-m", "saylau.bench.observers_setup", str(out)]
    subprocess.run([*command, "--stations", str(cfg.stations)], env=env, check=True)
    result: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return result


def report_body(observer: dict[str, Any], kind: str, items: list[str]) -> dict[str, Any]:
    """A checklist (every item answered) or a protocol copy that holds every relation."""
    if kind == "checklist":
        payload: dict[str, Any] = {"phase": "voting", "answers": dict.fromkeys(items, "yes")}
    else:
        options = observer["options"]
        votes = {oid: 65 for oid in options}
        votes[options[-1]] = COUNTS["valid"] - 65 * (len(options) - 1)
        payload = {"contest": observer["contest"], "counts": COUNTS, "options": votes}
    return {
        "client_uuid": str(uuid.uuid4()),
        "kind": kind,
        "station": observer["station"],
        "occurred_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "payload": payload,
    }


def _headers(observer: dict[str, Any]) -> dict[str, str]:
    cookie = f"sessionid={observer['session']}; csrftoken={observer['csrf']}"
    return {"Cookie": cookie, "X-CSRFToken": observer["csrf"], "Accept-Language": "en"}


@dataclass
class Outcome:
    latency: float
    finished: float
    status: int
    observer: dict[str, Any]
    body: dict[str, Any]


def _send(
    http: Connection, observer: dict[str, Any], body: dict[str, Any], start: float
) -> Outcome:
    try:
        answer = http.request(
            "POST", "/api/observation/submissions", json=body, headers=_headers(observer)
        )
        status = answer.status_code
    except TransportError:
        status = 0
    now = time.perf_counter()
    return Outcome(now - start, now, status, observer, body)


def _workers(urls: list[str], jobs: queue.Queue[Any], out: list[Outcome], n: int) -> None:
    """`n` threads taking (observer, body, start or None) from `jobs` until a None."""

    def work(url: str) -> None:
        with Connection(url, timeout=30) as http:
            while (job := jobs.get()) is not None:
                observer, body, due = job
                if due is not None:
                    time.sleep(max(0.0, due - time.perf_counter()))
                start = due if due is not None else time.perf_counter()
                out.append(_send(http, observer, body, start))

    threads = [threading.Thread(target=work, args=(urls[k % len(urls)],)) for k in range(n)]
    for t in threads:
        t.start()
    for _ in threads:
        jobs.put(None)
    for t in threads:
        t.join()


def _reports(setup: dict[str, Any], start: int, count: int) -> list[tuple[Any, dict[str, Any]]]:
    observers = setup["observers"]
    out = []
    for k in range(start, start + count):
        observer = observers[(k // 2) % len(observers)]
        kind = "checklist" if k % 2 == 0 else "protocol_copy"
        out.append((observer, report_body(observer, kind, setup["items"])))
    return out


def closed_loop(urls: list[str], reports: list[Any], concurrency: int) -> list[Outcome]:
    jobs: queue.Queue[Any] = queue.Queue()
    for observer, body in reports:
        jobs.put((observer, body, None))
    out: list[Outcome] = []
    _workers(urls, jobs, out, concurrency)
    return out


def open_loop(urls: list[str], reports: list[Any], rate: float, threads: int) -> list[Outcome]:
    """Each report is due at k / rate seconds; its latency counts from when it was due."""
    jobs: queue.Queue[Any] = queue.Queue()
    begin = time.perf_counter() + 0.5
    for k, (observer, body) in enumerate(reports):
        jobs.put((observer, body, begin + k / rate))
    out: list[Outcome] = []
    _workers(urls, jobs, out, threads)
    return out


def _stored(database_url: str) -> int:
    import psycopg

    with psycopg.connect(database_url) as conn:
        row = conn.execute("SELECT count(*) FROM observation_submission").fetchone()
    return int(row[0]) if row else 0


def run(console: Console, cfg: ObserversConfig) -> bool:
    """Run the benchmark and print its figures; True when both targets were met."""
    from saylau.bench import observers_report as report

    work = Path(tempfile.mkdtemp(prefix="saylau-bench-observers-"))
    key = secrets.token_urlsafe(48)
    recreate(cfg.maintenance_url, cfg.database)
    try:
        started = time.perf_counter()
        setup = _setup(cfg, work, key)
        report.setup_line(console, cfg, time.perf_counter() - started)
        env = server_env(cfg.database_url, key, SAYLAU_VAR_DIR=str(work))
        servers = AppServers(env, count=cfg.workers, logs=work)
        servers.start()
        try:
            needed = 4 * cfg.stations / HOUR
            closed = closed_loop(servers.urls, _reports(setup, 0, cfg.sample), cfg.concurrency)
            count = max(1, int(needed * cfg.seconds))
            opened = open_loop(
                servers.urls, _reports(setup, cfg.sample, count), needed, max(4, cfg.concurrency)
            )
            stored_ok = [o for o in closed + opened if o.status == 201]
            retries = closed_loop(servers.urls, [(o.observer, o.body) for o in stored_ok[:200]], 4)
        finally:
            servers.stop()
        figures = {
            "capacity": steady_rate(o.finished for o in closed),
            "needed": needed,
            "closed": Latency.of([o.latency for o in closed]),
            "open": Latency.of([o.latency for o in opened]),
            "failed": sum(1 for o in closed + opened if o.status != 201),
            "stored": _stored(cfg.database_url),
            "accepted": len(stored_ok),
            "retries_not_200": sum(1 for o in retries if o.status != 200),
        }
        return report.print_figures(console, cfg, figures)
    finally:
        recreate(cfg.maintenance_url, cfg.database, create=False)
        shutil.rmtree(work, ignore_errors=True)
