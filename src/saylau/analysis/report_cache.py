"""The report on an election's own results, computed once per set of inputs (decision 0043).

The key is a digest of what the report reads, taken with a few cheap queries (as
paper.results_cache does for the consolidation): the election's status and manifest, the
decrypted results, the accepted protocols' ids and revisions, the board's size and last
leaf, the sign-ins' count and last id, the credentials' count, the roll's districts and the
test settings. A changed input is a new key: nothing is invalidated, nothing stale is shown.
The report.json lives in Django's cache and on disk under VAR_DIR/analysis/elections/<slug>/
<key>/ with the figures (SVG, PNG), report.html and report.pdf written for kk, ru and en at
once, so every process finds them and a request only reads files.

A new key's folder is written as <key>.<random>.partial (flock-ed while it is written) and
renamed into place; then, under the election's folder lock, every complete folder that is
neither the one just made nor the current inputs' key is removed, and so is every partial
folder whose writer is gone (decision 0047). A reader whose folder went away in between
(its inputs changed) reads the current one (`read`).
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max
from django.utils import translation

from saylau.analysis.run import SCHEMA, Settings
from saylau.board.models import Leaf
from saylau.elections import services as elections
from saylau.elections.models import Election, PublicCredential
from saylau.paper.models import Protocol
from saylau.paper.results_cache import PROTOCOL_VERSION
from saylau.registry.models import RollDistrictCount
from saylau.voting.models import SignInEvent

PREFIX = "saylau:analysis:"
TIMEOUT = 24 * 3600
VERSION = 1  # bumped when the report's code changes what it computes
LANGUAGES = ("kk", "ru", "en")
SETTINGS = Settings()
LOCK = ".lock"
PARTIAL = ".partial"
ATTEMPTS = 3  # a folder removed under a reader: its inputs changed; read the new one


def inputs(election: Election, s: Settings = SETTINGS) -> list[Any]:
    """Everything the report of `election` depends on, as JSON-able values."""
    accepted = Protocol.objects.filter(election=election, status=Protocol.Status.ACCEPTED)
    board = Leaf.objects.filter(election=election).aggregate(n=Count("pk"), last=Max("index"))
    signins = SignInEvent.objects.filter(election=election).aggregate(n=Count("pk"), last=Max("pk"))
    roll = RollDistrictCount.objects.filter(snapshot__election=election.slug)
    return [
        SCHEMA,
        VERSION,
        election.pk,
        election.slug,
        election.status,
        election.manifest,
        elections.election_results(election),
        [list(row) for row in accepted.order_by("pk").values_list(*PROTOCOL_VERSION)],
        board,
        signins,
        PublicCredential.objects.filter(election=election).count(),
        sorted(roll.values_list("district_id", "count")),
        [s.seed, s.alpha, s.draws, s.digit_draws, s.boot, s.null_draws],
    ]


def key(election: Election) -> str:
    """The name of the folder (and cache entry) of the report on `election`'s current inputs."""
    raw = json.dumps(inputs(election), sort_keys=True, default=str)
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def root(election: Election) -> Path:
    """The election's report folders. Under elections/, so no slug meets analysis/uploads/."""
    return Path(settings.VAR_DIR) / "analysis" / "elections" / election.slug


def folder(election: Election, name: str) -> Path:
    return root(election) / name


def compute(election: Election, out: Path) -> dict[str, Any]:
    """Run every test and write the files of every language into `out` (then the report)."""
    from saylau.analysis import election_report
    from saylau.analysis.report_files import write_figures, write_json

    built = election_report.build(election, SETTINGS)
    report = {**built.report, "language": None, "figures": []}
    for lang in LANGUAGES:
        with translation.override(lang):
            figs = built.figures(translation.gettext)
            report["figures"] = [name for name, _f in figs]
            write_figures(out / lang, figs, report, lang, translation.gettext)
    write_json(out, report)  # last: its presence says the folder is complete
    return report


@contextmanager
def _locked(base: Path) -> Iterator[None]:
    """The election folder's lock: a rename into place and a clean-up never overlap."""
    fd = os.open(base / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def _writer_gone(path: Path) -> bool:
    """A partial folder nobody writes any more (its writer's flock is gone with it)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    finally:
        os.close(fd)
    return True


def remove_older(election: Election, keep: str) -> list[str]:
    """Remove the election's report folders other than `keep` (being served by the caller) and
    the current inputs' one, and the partial folders no process writes. Call under `_locked`.
    Returns the names removed."""
    base = root(election)
    current = key(election)
    removed = []
    for path in sorted(base.iterdir()):
        name = path.name
        if not path.is_dir() or name in (keep, current):
            continue
        if name.endswith(PARTIAL) and not _writer_gone(path):
            continue
        shutil.rmtree(path, ignore_errors=True)
        cache.delete(PREFIX + name)
        removed.append(name)
    return removed


def _build(election: Election, name: str) -> dict[str, Any]:
    """Compute the report into a partial folder, rename it into place (unless another process
    did first: then its report is the one), and remove the older folders."""
    base = root(election)
    base.mkdir(parents=True, exist_ok=True)
    with _locked(base):  # a clean-up cannot take the new folder before it is flock-ed
        partial = Path(tempfile.mkdtemp(prefix=f"{name}.", suffix=PARTIAL, dir=base))
        fd = os.open(partial, os.O_RDONLY)
        fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        report = compute(election, partial)
        out = folder(election, name)
        with _locked(base):
            try:
                os.rename(partial, out)
            except OSError as e:
                if e.errno not in (errno.ENOTEMPTY, errno.EEXIST):
                    raise
                report = json.loads((out / "report.json").read_text(encoding="utf-8"))
            remove_older(election, keep=name)
        return report
    finally:
        os.close(fd)
        shutil.rmtree(partial, ignore_errors=True)  # gone already when it was renamed


def report_of(election: Election) -> tuple[dict[str, Any], Path]:
    """The report and its folder: from the cache, else from disk, else computed."""
    name = key(election)
    out = folder(election, name)
    found: dict[str, Any] | None = cache.get(PREFIX + name)
    path = out / "report.json"
    if found is None or not path.exists():
        try:
            found = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            found = _build(election, name)
        cache.set(PREFIX + name, found, TIMEOUT)
    return found, out


def read(election: Election, file: str) -> tuple[dict[str, Any], bytes]:
    """The report and the bytes of one of its files (a path inside its folder). If the folder
    was removed after its key was taken (the inputs changed meanwhile), the current one."""
    for attempt in range(ATTEMPTS):
        report, out = report_of(election)
        try:
            return report, (out / file).read_bytes()
        except FileNotFoundError:
            if attempt == ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def warm(election: Election) -> str | None:
    """Compute the report now (on publishing), so that its page's first visitor does not wait.
    None when it is ready; else the failure's kind, logged — the publication stands and the
    page computes the report at its first visit instead."""
    try:
        report_of(election)
    except Exception as error:  # any failure here must not undo or hide the publication
        logging.getLogger("saylau.analysis").exception("analysis of %s", election.slug)
        return type(error).__name__
    return None
