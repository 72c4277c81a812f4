"""`saylau smtp-intake` as a running command: migrate a fresh SQLite database, create an
election, start the listener on 127.0.0.1, send it a complaint with an attachment, and
receive the acknowledgment on a second real SMTP server (Django's SMTP e-mail backend)."""

from __future__ import annotations

import os
import signal
import smtplib
import socket
import sqlite3
import subprocess
import sys
import time
from email import message_from_bytes
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from tests.complaints.world import png_bytes

ROOT = Path(__file__).resolve().parents[2]
HOTLINE = "hotline@saylau.test"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Sink:
    """Keeps every message it is sent."""

    def __init__(self) -> None:
        self.messages: list[bytes] = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's hook
        self.messages.append(envelope.content)
        return "250 OK"


def saylau(env: dict[str, str], *args: str, **kwargs):
    command = [sys.executable, "-m", "saylau.cli.main", *args]
    return subprocess.run(command, env=env, cwd=ROOT, capture_output=True, timeout=120, **kwargs)


def wait_for(predicate, seconds: float = 20.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture
def sink():
    box = Sink()
    server = Controller(box, hostname="127.0.0.1", port=free_port())
    server.start()
    yield box, server.port
    server.stop()


def test_the_command_takes_mail_and_replies(tmp_path, sink):
    box, sink_port = sink
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT / "src"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "SAYLAU_VAR_DIR": str(tmp_path),
        "SAYLAU_HOTLINE_ADDRESS": HOTLINE,
        "SAYLAU_EMAIL_HOST": "127.0.0.1",
        "SAYLAU_EMAIL_PORT": str(sink_port),
        "SAYLAU_LANGUAGE": "en",
    }
    assert saylau(env, "manage", "migrate", "-v0").returncode == 0
    created = saylau(env, "election", "create", "docs/examples/manifest.yaml", "--lang", "en")
    assert created.returncode == 0, created.stderr.decode()
    port = free_port()
    command = [sys.executable, "-m", "saylau.cli.main", "smtp-intake", "--port", str(port)]
    process = subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        assert wait_for(lambda: listening(port)), process.stderr.read1().decode()
        message = EmailMessage()
        message["From"] = "Asel <asel@example.kz>"
        message["To"] = HOTLINE
        message["Subject"] = "Coercion at work"
        message.set_content("The director made us join the party.")
        message.add_attachment(png_bytes(), maintype="image", subtype="png", filename="a.png")
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
            client.send_message(message)
        assert wait_for(lambda: bool(box.messages)), "no acknowledgment arrived"
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=20)
    reply = message_from_bytes(box.messages[0])
    assert reply["To"] == "asel@example.kz" and reply["From"] == HOTLINE
    with sqlite3.connect(tmp_path / "db.sqlite3") as db:
        reference, channel = db.execute(
            "SELECT reference, channel FROM complaints_complaint"
        ).fetchone()
        evidence = db.execute("SELECT count(*) FROM complaints_evidence").fetchone()[0]
    assert channel == "email" and evidence == 1
    assert reference in reply.get_payload(decode=True).decode()
