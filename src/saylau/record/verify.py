"""`verify_record`: open a record on disk and run the pure verifier over it. The optional
files (receipts.jsonl, and the paper part: paper/stations.json, paper/protocols.jsonl,
consolidation.json) are read through the same Record when present."""

from __future__ import annotations

import os
from pathlib import Path

from saylau.protocol.errors import InvalidRecord
from saylau.protocol.failures import Failure, code_of
from saylau.protocol.verify import ProgressFn, Report, Verifier
from saylau.record.disk import Record

__all__ = ["ProgressFn", "Report", "verify_record"]


def verify_record(
    path: Path, workers: int | None = None, progress: ProgressFn | None = None, chunk: int = 200
) -> Report:
    """Verify the record at `path` (a directory or a .zip), its ballots checked in `workers`
    processes (default: every core). Never raises on bad input."""
    try:
        rec = Record.open(path, workers or os.cpu_count() or 1)
    except InvalidRecord as e:
        return Report([Failure("record", str(path), *code_of(e))])
    with rec:
        verifier = Verifier(rec, progress, chunk)
        try:
            return verifier.run()
        except (OSError, MemoryError, ValueError, TypeError, KeyError, AttributeError):
            # A record shaped in a way no check anticipated: report it, never a traceback.
            verifier.fail("record", str(path), "record.unreadable")
            return verifier.report
