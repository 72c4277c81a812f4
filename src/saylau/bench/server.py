"""The app under its production HTTP server on 127.0.0.1, for benchmarks and crash tests:
start, wait until it answers, stop gracefully, or kill -9 the master and every worker at once.

The server is granian (decision 0012): its HTTP/1.1 handling is Rust outside the GIL and
it keeps connections alive, so a worker's Python runs the app and little else. gunicorn's
sync workers stay available (`server="gunicorn"`) to compare the two in one run."""

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

from saylau.client.http import Connection, TransportError

APP = "saylau.site.wsgi:application"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


SERVERS = ("granian", "gunicorn")


def _script(name: str) -> str:
    """A console script of this virtualenv (granian, gunicorn)."""
    return str(Path(sys.executable).with_name(name))


def server_command(server: str, port: int, *, workers: int, threads: int = 1) -> list[str]:
    """The command that serves the app on 127.0.0.1:`port` in production's configuration:
    `workers` processes, each running the app in `threads` threads (README, "Voting
    service")."""
    if server == "granian":
        return [
            _script("granian"),
            "--interface",
            "wsgi",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--blocking-threads",
            str(threads),
            "--no-ws",
            "--respawn-failed-workers",
            "--log-level",
            "warning",
            APP,
        ]
    if server == "gunicorn":
        cmd = [_script("gunicorn"), "-b", f"127.0.0.1:{port}", "-w", str(workers)]
        if threads > 1:
            cmd += ["--worker-class", "gthread", "--threads", str(threads)]
        return [*cmd, "--timeout", "60", "--graceful-timeout", "10", APP]
    raise ValueError(f"unknown app server {server!r}: one of {', '.join(SERVERS)}")


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
    """The app server in its own process group (so a Ctrl-C meant for us does not reach it, and
    `kill` reaches the master and all workers)."""

    def __init__(
        self,
        env: Mapping[str, str],
        *,
        workers: int,
        port: int | None = None,
        threads: int = 1,
        server: str = "granian",
        log: Path | None = None,
        cwd: Path | None = None,
    ) -> None:
        self.env = dict(env)
        self.workers, self.threads, self.server = workers, threads, server
        self.port = port or free_port()
        self.log = log
        self.cwd = cwd
        self.proc: subprocess.Popen[bytes] | None = None
        self._log_handle: IO[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def command(self) -> list[str]:
        return server_command(self.server, self.port, workers=self.workers, threads=self.threads)

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
                with Connection(self.url, timeout=2) as http:
                    if http.request("GET", "/api/health").status_code == 200:
                        return
            except TransportError:
                pass
            if self.proc is None or self.proc.poll() is not None:
                raise RuntimeError(f"{self.server} exited; see {self.log or 'its output'}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"{self.server} did not answer within {within:.0f} s")
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


class AppServers:
    """`count` app servers of one worker each, on ports of their own — as behind a load
    balancer that spreads connections evenly (decision 0017). The load generator gives its
    threads the servers in turn (`urls`), so its C connections split C/count each way.

    One server of `count` workers shares one listening socket, and a worker that wakes up
    to accept may take a whole burst of new connections: of a stretch's 8, all 8 went to
    one worker at times, and the other stayed idle for that stretch."""

    def __init__(
        self,
        env: Mapping[str, str],
        *,
        count: int,
        threads: int = 1,
        server: str = "granian",
        logs: Path | None = None,
    ) -> None:
        self.servers = [
            AppServer(
                env,
                workers=1,
                threads=threads,
                server=server,
                log=logs / f"server-{k}.log" if logs is not None else None,
            )
            for k in range(count)
        ]

    @property
    def urls(self) -> list[str]:
        return [s.url for s in self.servers]

    @property
    def url(self) -> str:
        """The first server's (any of them serves everything)."""
        return self.servers[0].url

    def masters(self) -> list[int]:
        return [s.proc.pid for s in self.servers if s.proc is not None]

    def start(self, ready_within: float = 60.0) -> AppServers:
        try:
            for s in self.servers:
                s.start(ready_within)
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        for s in self.servers:
            s.stop()
