"""A throwaway PostgreSQL cluster of our own on 127.0.0.1, for tests that kill the database
server itself (the shared server on :5432 must not be killed). initdb in a temporary
directory, one port, trust authentication for local connections only; as root the
cluster's processes run as the `postgres` user (PostgreSQL refuses to run as root)."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg

from saylau.bench import cpu
from saylau.bench.server import free_port


def bin_dir() -> Path | None:
    """The newest installed PostgreSQL's bin directory with initdb and pg_ctl, if any."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def missing() -> str | None:
    """Why no cluster can be made here (None: it can)."""
    if bin_dir() is None:
        return "needs PostgreSQL's server binaries (initdb, pg_ctl)"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "as root, needs a `postgres` user to run the cluster as"
    return None


@contextmanager
def own_cluster(settings: dict[str, str] | None = None) -> Iterator[Cluster]:
    """A started cluster in a temporary directory, stopped and removed afterwards. Not under
    pytest's tmp_path: as root, the cluster's user must be able to reach it."""
    with tempfile.TemporaryDirectory(prefix="saylau-pg-") as root:
        os.chmod(root, 0o755)
        cluster = Cluster(Path(root) / "cluster", settings or {}).start()
        try:
            yield cluster
        finally:
            cluster.stop()


def _as_owner() -> list[str]:
    if os.geteuid() != 0:
        return []
    pwd.getpwnam("postgres")  # KeyError: no user to run the cluster as
    return ["runuser", "-u", "postgres", "--"]


class Cluster:
    def __init__(self, root: Path, settings: dict[str, str]) -> None:
        binaries = bin_dir()
        if binaries is None:
            raise FileNotFoundError("initdb")
        self.bin, self.data, self.port = binaries, root / "data", free_port()
        self.log = root / "postgres.log"
        self.settings = settings
        root.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            owner = pwd.getpwnam("postgres")
            os.chown(root, owner.pw_uid, owner.pw_gid)
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
        lines = {
            "listen_addresses": "'127.0.0.1'",
            "port": str(self.port),
            "unix_socket_directories": "''",  # TCP only: no socket lock file to outlive a kill
            "fsync": "on",
            "max_connections": "40",
            "shared_buffers": "32MB",
            "wal_buffers": "4MB",
            # Nothing in the background that would flush WAL (a vacuum's commit, a buffer
            # written ahead of its WAL) while a test watches what is and is not flushed.
            "autovacuum": "off",
            "bgwriter_lru_maxpages": "0",
            **settings,
        }
        with (self.data / "postgresql.conf").open("a", encoding="utf-8") as conf:
            conf.writelines(f"{k} = {v}\n" for k, v in lines.items())

    def _run(self, tool: str, *args: str) -> None:
        subprocess.run(
            [*_as_owner(), str(self.bin / tool), *args],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )

    def url(self, database: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def start(self) -> Cluster:
        """Start (after a crash: with recovery) and wait until it takes connections."""
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60", "start")
        return self

    def create_database(self, name: str) -> str:
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def postmaster(self) -> int:
        return int((self.data / "postmaster.pid").read_text().split()[0])

    def pause_wal_writer(self) -> int:
        """SIGSTOP the WAL writer: from now on no WAL leaves PostgreSQL's shared memory
        unless a backend writes it — a synchronous commit's flush, or full WAL buffers. What
        an asynchronous commit wrote then stays there until a flush covers it, as unflushed
        WAL stays in the page cache until a power cut (a kill cannot drop the page cache)."""
        with psycopg.connect(self.url(), autocommit=True) as conn:
            row = conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE backend_type = 'walwriter'"
            ).fetchone()
        assert row is not None, "no WAL writer"
        os.kill(int(row[0]), signal.SIGSTOP)
        return int(row[0])

    def kill(self) -> list[int]:
        """SIGKILL to the postmaster and every backend at once: WAL that no process wrote out
        of PostgreSQL's shared memory is gone, as in a power cut."""
        master = self.postmaster()
        pids = [master, *cpu.children(master)]
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and any(_alive(pid) for pid in pids):
            time.sleep(0.05)
        # The dead postmaster may stay a zombie (a container's init that reaps nothing), and
        # PostgreSQL takes a pid that exists for a live server: the lock file goes, as after
        # a reboot.
        (self.data / "postmaster.pid").unlink(missing_ok=True)
        return pids

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        except subprocess.CalledProcessError:
            pass  # not running


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    try:
        return stat.read_text().split(") ", 1)[1][0] != "Z"
    except (OSError, IndexError):
        return False
