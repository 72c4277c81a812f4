"""The report's folders per key (decision 0047): a new key's folder is renamed into place and
the election's older ones removed, never the one being served or written; two workers racing
on one key keep one folder, and a worker that finishes an older key after a newer one was
made does not remove the newer one. The races run on PostgreSQL (threads, each with its own
connection); the interleavings are forced by holding a worker after its real computation."""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection, connections

from saylau.analysis import report_cache
from saylau.analysis.run import Settings
from saylau.elections.models import Election

FAST = Settings(draws=20, digit_draws=5, boot=20, null_draws=5)
on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent workers need PostgreSQL"
)


@pytest.fixture(autouse=True)
def fast_reports(settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings.VAR_DIR = tmp_path
    monkeypatch.setattr(report_cache, "SETTINGS", FAST)
    cache.clear()


def _election(slug: str) -> Election:
    """An election with no ballots or protocols yet: its report is real and quick to make
    (no station tests, no figures), which is all these tests need of it."""
    from saylau.demo import play as demo
    from saylau.elections import services
    from tests.analysis.online_world import _districts

    _districts()  # the registry's districts (a flushed database has none)
    return services.create_election(
        demo.sample_manifest(slug), actor="test", trustees=3, threshold=2
    )


def _set_status(election: Election, status: str) -> None:
    """A changed input: another key."""
    Election.objects.filter(pk=election.pk).update(status=status)
    election.refresh_from_db()


def _folders(election: Election) -> list[str]:
    return sorted(p.name for p in report_cache.root(election).iterdir() if p.is_dir())


def _in_thread(name: str, job: Callable[[], Any], out: dict[str, Any]) -> threading.Thread:
    def run() -> None:
        try:
            out[name] = job()
        except Exception as error:  # the outcome under test
            out[name] = error
        finally:
            connections.close_all()

    thread = threading.Thread(target=run, name=name)
    thread.start()
    return thread


def _held(monkeypatch: pytest.MonkeyPatch, hold: Callable[[], None]) -> None:
    """Every computation runs for real, then calls `hold` before its folder is renamed."""
    real = report_cache.compute

    def compute(election: Election, out: Path) -> dict[str, Any]:
        report = real(election, out)
        hold()
        return report

    monkeypatch.setattr(report_cache, "compute", compute)


def test_a_new_key_removes_the_older_folders_and_dead_partials(db):
    election = _election("cache-one")
    first, out = report_cache.report_of(election)
    assert _folders(election) == [out.name] == [report_cache.key(election)]
    base = report_cache.root(election)
    dead = base / "0123.dead.partial"  # a writer killed mid-way: no lock held any more
    dead.mkdir()
    live = base / "4567.live.partial"  # a writer still at work: it holds its flock
    live.mkdir()
    fd = os.open(live, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        _set_status(election, "published")
        second, new = report_cache.report_of(election)
        assert new != out and second == report_cache.report_of(election)[0]
        assert _folders(election) == sorted([new.name, live.name])
        assert cache.get(report_cache.PREFIX + out.name) is None
    finally:
        os.close(fd)
    _set_status(election, "draft")  # the first inputs again: computed again, not stale
    again, back = report_cache.report_of(election)
    assert back == out and again == first
    assert _folders(election) == [out.name]  # the writer gone, its partial went too


def test_a_reader_whose_folder_went_meanwhile_reads_the_current_one(db, monkeypatch):
    election = _election("cache-read")
    report_cache.report_of(election)
    real = report_cache.report_of
    calls: list[Path] = []

    def inputs_change_after_the_key_was_taken(e: Election) -> Any:
        found = real(e)
        calls.append(found[1])
        if len(calls) == 1:  # another request sees new inputs and removes this folder
            _set_status(election, "published")
            assert real(election)[1] != found[1]
            assert not found[1].exists()
        return found

    monkeypatch.setattr(report_cache, "report_of", inputs_change_after_the_key_was_taken)
    report, data = report_cache.read(election, "en/report.pdf")
    assert data[:5] == b"%PDF-" and len(calls) == 2 and calls[1].exists()
    assert report["election"] == "cache-read" and not report["figures"]


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_on_one_key_keep_one_folder(monkeypatch):
    election = _election("cache-race")
    both = threading.Barrier(2)
    _held(monkeypatch, lambda: both.wait(timeout=60))  # both computed before either renames
    out: dict[str, Any] = {}
    workers = [_in_thread(n, lambda: report_cache.report_of(election), out) for n in "ab"]
    for worker in workers:
        worker.join(timeout=120)
    (report_a, folder_a), (report_b, folder_b) = out["a"], out["b"]
    assert folder_a == folder_b and report_a == report_b
    assert _folders(election) == [report_cache.key(election)]
    assert (folder_a / "report.json").exists() and (folder_a / "kk" / "report.pdf").exists()


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_an_older_key_finished_last_does_not_remove_the_newer_one(monkeypatch):
    election = _election("cache-order")
    old_key = report_cache.key(election)
    computing, finish = threading.Event(), threading.Event()

    def hold() -> None:
        if threading.current_thread().name == "old":
            computing.set()
            assert finish.wait(timeout=120)

    _held(monkeypatch, hold)
    out: dict[str, Any] = {}
    worker = _in_thread("old", lambda: report_cache.report_of(election), out)
    assert computing.wait(timeout=120)
    _set_status(election, "published")  # the inputs change while the old key is computed
    newer, new_folder = report_cache.report_of(election)
    partials = [n for n in _folders(election) if n.endswith(report_cache.PARTIAL)]
    assert len(partials) == 1 and partials[0].startswith(old_key)  # being written: kept
    finish.set()
    worker.join(timeout=120)
    old_report, old_folder = out["old"]
    assert old_folder.name == old_key and old_report["election"] == "cache-order"
    assert _folders(election) == sorted([old_key, new_folder.name])  # the newer one stays
    assert report_cache.report_of(election) == (newer, new_folder)
    _set_status(election, "closed")
    _latest, latest = report_cache.report_of(election)
    assert _folders(election) == [latest.name]  # both older ones go with the next key


def test_warm_computes_the_report_or_says_why_not(db, settings, tmp_path, caplog):
    """On publishing: the report is made now; if it cannot be (here the var folder is a
    file), the failure's kind comes back and is logged, and nothing is raised."""
    election = _election("cache-warm")
    assert report_cache.warm(election) is None
    assert (report_cache.folder(election, report_cache.key(election)) / "report.json").is_file()
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    settings.VAR_DIR = blocked
    cache.clear()
    assert report_cache.warm(election) in {"NotADirectoryError", "FileExistsError"}
    assert "analysis of cache-warm" in caplog.text
