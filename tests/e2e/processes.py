"""Real processes for the end-to-end test: `saylau` commands of this virtualenv, each with a
timeout inside one overall deadline, and the app under granian; every process started here
is stopped by `Processes.stop_all()`, and personal data is masked in whatever is shown."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx

SAYLAU = str(Path(sys.executable).with_name("saylau"))
GRANIAN = str(Path(sys.executable).with_name("granian"))
APP = "saylau.site.wsgi:application"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Private(str):
    """An IIN or a phone number: its repr (in pytest's tracebacks, which show the arguments of
    every function on the way) is masked."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "'<private>'"


def argv(template: str, **values: object) -> list[str]:
    """A command's arguments: `template`'s words, each formatted with `values` on its own
    (a value with spaces stays one argument; a Private value stays Private)."""
    words = []
    for word in template.split():
        name = word[1:-1]
        value = values.get(name) if word == f"{{{name}}}" else None
        words.append(value if isinstance(value, Private) else word.format(**values))
    return words


class Deadline:
    """The whole test's time budget: each step waits at most what it needs and what is left."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    def left(self, at_most: float) -> float:
        left = self.end - time.monotonic()
        if left <= 0:
            raise TimeoutError(f"the end-to-end test ran over its {self.seconds:.0f} s budget")
        return min(at_most, left)


@dataclass
class Redactor:
    """Replaces personal data (IINs, phones) in text that may be shown, e.g. on a failure."""

    secrets: set[str] = field(default_factory=set)

    def add(self, values: Iterable[str]) -> None:
        for value in values:
            self.secrets.add(value)
            digits = "".join(ch for ch in value if ch.isdigit())
            if len(digits) >= 10:
                self.secrets.update({digits, "+" + digits, digits[1:]})

    def __repr__(self) -> str:
        return f"Redactor(<{len(self.secrets)} private values>)"

    def __call__(self, text: str) -> str:
        for secret in sorted(self.secrets, key=len, reverse=True):
            text = text.replace(secret, "<redacted>")
        return text


@dataclass(frozen=True)
class Done:
    args: list[str]
    returncode: int
    stdout: str
    stderr: str

    def __repr__(self) -> str:  # the arguments hold IINs and phones, the output may
        return f"Done(saylau {' '.join(self.args[:2])} …, exit {self.returncode})"

    @property
    def output(self) -> str:
        """stdout with rich's line wrapping undone (long lines wrap at the console width)."""
        return " ".join(self.stdout.split())


class Processes:
    """Starts `saylau` commands and granian; remembers each so that none outlives the test."""

    def __init__(self, deadline: Deadline, redact: Redactor) -> None:
        self.deadline = deadline
        self.redact = redact
        self.started: list[subprocess.Popen[str]] = []

    def describe(self, done: Done) -> str:
        return self.redact(
            f"`saylau {' '.join(done.args)}` exited {done.returncode}\n"
            f"--- stdout\n{done.stdout[-3000:]}\n--- stderr\n{done.stderr[-3000:]}"
        )

    def says(self, done: Done, *phrases: str) -> None:
        """Fail, showing the command's output with personal data masked, unless its output
        has every phrase (pytest's own explanation of an `assert` would show it unmasked)."""
        missing = [phrase for phrase in phrases if phrase not in done.output]
        if missing:
            raise AssertionError(self.redact(f"{missing!r} not said by ") + self.describe(done))

    def start(
        self, args: Sequence[str], env: Mapping[str, str], cwd: Path, *, stdin: bool = False
    ) -> subprocess.Popen[str]:
        proc = subprocess.Popen(
            [SAYLAU, *args],
            cwd=cwd,
            env=dict(env),
            stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        self.started.append(proc)
        return proc

    def finish(
        self,
        proc: subprocess.Popen[str],
        args: Sequence[str],
        timeout: float,
        *,
        input: str | None = None,
        check: bool = True,
    ) -> Done:
        try:
            out, err = proc.communicate(input=input, timeout=self.deadline.left(timeout))
        except subprocess.TimeoutExpired:
            _kill(proc)
            out, err = proc.communicate()
            done = Done(list(args), -9, out, err)
            raise AssertionError("timed out: " + self.describe(done)) from None
        done = Done(list(args), proc.returncode, out, err)
        if check and done.returncode != 0:
            raise AssertionError(self.describe(done))
        return done

    def run(
        self,
        args: Sequence[str],
        env: Mapping[str, str],
        cwd: Path,
        *,
        timeout: float = 30,
        check: bool = True,
    ) -> Done:
        args = [str(a) for a in args]
        return self.finish(self.start(args, env, cwd), args, timeout, check=check)

    def run_all(
        self,
        commands: Sequence[Sequence[str]],
        envs: Sequence[Mapping[str, str]],
        cwds: Sequence[Path],
        *,
        timeout: float = 30,
    ) -> list[Done]:
        """Run the commands at the same time (each with its environment and directory); wait
        for all of them."""
        argss = [[str(a) for a in args] for args in commands]
        procs = [self.start(a, env, cwd) for a, env, cwd in zip(argss, envs, cwds, strict=True)]
        return [self.finish(p, a, timeout) for p, a in zip(procs, argss, strict=True)]

    def serve(self, env: Mapping[str, str], cwd: Path, log: Path, *, workers: int = 2) -> str:
        """The app under granian on a free loopback port, as the README runs it; its URL."""
        port = free_port()
        command = [
            GRANIAN,
            "--interface",
            "wsgi",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--blocking-threads",
            "1",
            "--no-ws",
            "--respawn-failed-workers",
            "--log-level",
            "warning",
            APP,
        ]
        with log.open("ab") as handle:
            proc = subprocess.Popen(
                command,
                cwd=cwd,
                env=dict(env),
                stdin=subprocess.DEVNULL,
                stdout=handle,
                stderr=handle,
                text=True,
                start_new_session=True,
            )
        self.started.append(proc)
        url = f"http://127.0.0.1:{port}"
        while True:
            try:
                if httpx.get(url + "/api/health", timeout=2).status_code == 200:
                    return url
            except httpx.TransportError:
                pass
            if proc.poll() is not None:
                raise AssertionError("granian exited:\n" + self.redact(log.read_text()[-3000:]))
            self.deadline.left(60)
            time.sleep(0.2)

    def stop_all(self) -> None:
        """SIGTERM each process group still running, then SIGKILL what is left after 10 s."""
        running = [p for p in self.started if p.poll() is None]
        for proc in running:
            _signal(proc, signal.SIGTERM)
        end = time.monotonic() + 10
        for proc in running:
            try:
                proc.wait(timeout=max(0.1, end - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
        for proc in running:
            _kill(proc)  # the whole group: granian's workers, a verifier's pool


def _signal(proc: subprocess.Popen[str], sig: signal.Signals) -> None:
    try:
        os.killpg(proc.pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def _kill(proc: subprocess.Popen[str]) -> None:
    _signal(proc, signal.SIGKILL)
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        pass
