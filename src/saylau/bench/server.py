"""The app under gunicorn on 127.0.0.1, for benchmarks and crash tests: start, wait until it
answers, stop gracefully, or kill -9 the master and every worker at once."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import IO

import httpx

APP = "saylau.site.wsgi:application"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def gunicorn_path() -> str:
    return str(Path(sys.executable).with_name("gunicorn"))


def server_env(database_url: str, secret_key: str, **extra: str) -> dict[str, str]:
    """The environment of a production-like app server on 127.0.0.1 with the SMS outbox."""
    env = dict(
        os.environ,
        DATABASE_URL=database_url,
        SAYLAU_SECRET_KEY=secret_key,
        SAYLAU_DEBUG="0",
        SAYLAU_ALLOWED_HOSTS="127.0.0.1",
        SAYLAU_SECURE_COOKIES="0",
        SAYLAU_SMS_BACKEND="outbox",
        SAYLAU_OTP_SMS_MODE="background",
        SAYLAU_LOG_LEVEL="WARNING",
        SAYLAU_SERVER_TIMING="1",  # each answer says its CPU time: where a request's CPU went
    )
    env.update(extra)
    return env


class AppServer:
    """gunicorn in its own process group (so a Ctrl-C meant for us does not reach it, and
    `kill` reaches the master and all workers)."""

    def __init__(
        self,
        env: Mapping[str, str],
        *,
        workers: int,
        port: int | None = None,
        threads: int = 1,
        timeout: int = 60,
        log: Path | None = None,
        cwd: Path | None = None,
    ) -> None:
        self.env = dict(env)
        self.workers, self.threads, self.timeout = workers, threads, timeout
        self.port = port or free_port()
        self.log = log
        self.cwd = cwd
        self.proc: subprocess.Popen[bytes] | None = None
        self._log_handle: IO[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def command(self) -> list[str]:
        cmd = [gunicorn_path(), "-b", f"127.0.0.1:{self.port}", "-w", str(self.workers)]
        if self.threads > 1:
            cmd += ["--worker-class", "gthread", "--threads", str(self.threads)]
        return [*cmd, "--timeout", str(self.timeout), "--graceful-timeout", "10", APP]

    def start(self, ready_within: float = 60.0) -> AppServer:
        if self.log is not None:
            self._log_handle = self.log.open("ab")
        self.proc = subprocess.Popen(
            self.command(),
            cwd=self.cwd,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=self._log_handle or subprocess.DEVNULL,
            stderr=self._log_handle or subprocess.DEVNULL,
            start_new_session=True,
        )
        self.wait_ready(ready_within)
        return self

    def wait_ready(self, within: float) -> None:
        deadline = time.monotonic() + within
        while True:
            try:
                if httpx.get(self.url + "/api/health", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if self.proc is None or self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {self.log or 'its output'}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not answer within {within:.0f} s")
            time.sleep(0.1)

    def pids(self) -> list[int]:
        """The master's pid and its workers' (from /proc)."""
        if self.proc is None:
            return []
        pid = self.proc.pid
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            children = []
        return [pid, *map(int, children)]

    def kill(self) -> list[int]:
        """kill -9 the master and every worker at once (a crash); returns the pids."""
        pids = self.pids()
        if self.proc is not None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait()
        self._close_log()
        return pids

    def stop(self) -> None:
        """Graceful stop (SIGTERM), then SIGKILL to the group after 15 s."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                pass
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)  # workers left behind, if any
        except ProcessLookupError:
            pass
        self.proc.wait()
        self._close_log()

    def _close_log(self) -> None:
        if self._log_handle is not None:
            self._log_handle.close()
            self._log_handle = None

    def __enter__(self) -> AppServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
