"""The DEMO site in a child process (`runserver`, SAYLAU_DEBUG=1), and the SMS it sends to the
development outbox."""

from __future__ import annotations

import os
import subprocess
import sys
import time


def start_server(host: str, port: int, *, quiet: bool = False) -> subprocess.Popen[bytes]:
    """`runserver --noreload` in a child process, with SAYLAU_DEBUG=1."""
    env = dict(os.environ, SAYLAU_DEBUG="1", PYTHONUNBUFFERED="1")
    command = [
        sys.executable,
        "-m",
        "saylau.site.manage",
        "runserver",
        "--noreload",
        "--skip-checks",
        f"{host}:{port}",
    ]
    output = subprocess.DEVNULL if quiet else None
    return subprocess.Popen(command, env=env, stdout=output, stderr=output)


def wait_until_up(url: str, process: subprocess.Popen[bytes], seconds: float = 30.0) -> bool:
    from saylau.client.http import Connection, TransportError

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            with Connection(url, timeout=2.0) as http:
                if http.request("GET", "/api/health").status_code == 200:
                    return True
        except TransportError:
            pass
        time.sleep(0.2)
    return False


def stop_server(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def latest_sms_id() -> int:
    from saylau.notify.models import OutboxMessage

    latest = OutboxMessage.objects.order_by("-id").values_list("id", flat=True).first()
    return int(latest or 0)


def new_sms(after: int) -> list[tuple[int, str, str]]:
    """(id, to, body) of the outbox's messages after message `after`, oldest first."""
    from django.db import connection

    from saylau.notify.models import OutboxMessage

    found = [
        (m.id, m.to, m.body) for m in OutboxMessage.objects.filter(id__gt=after).order_by("id")
    ]
    connection.close()  # do not hold the SQLite file open between polls
    return found
