"""Publication: the election record, written where the site serves it once published.

    SAYLAU_VAR_DIR/records/<slug>/record/            the record directory
    SAYLAU_VAR_DIR/records/<slug>/<slug>-record.zip  the same as one zip

The files are those `saylau simulate` writes (protocol/documents.py), plus audit.jsonl: every
audit event of the election up to publication, redacted. The record is written to a
temporary directory, checked with the universal verifier (the same `verify_record` anyone
runs), and only then moved into place; a record that does not verify is not published.

The apps above this one add their own files through `register_record_part` (the paper app:
stations, protocols, consolidation, sanctions); elections never imports them.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from saylau.elections.audit import audit, audit_lines
from saylau.elections.authority import credential_lists, roll_counts
from saylau.elections.board import board_source
from saylau.elections.errors import RecordNotPublished, TransitionRefused
from saylau.elections.models import Ceremony, Election, Status, Tally
from saylau.protocol import board, documents
from saylau.protocol.canonical import canonical_json
from saylau.protocol.documents import HEADS, LEAVES, RECEIPTS
from saylau.protocol.receipt import receipt_to_json
from saylau.record.disk import RecordWriter, zip_record
from saylau.record.verify import verify_record

AUDIT = "audit.jsonl"

#: Writes an app's files of the election's record; called after the record's own files,
#: before record.json lists them all.
RecordPart = Callable[[Election, RecordWriter], None]
_PARTS: list[RecordPart] = []


def register_record_part(part: RecordPart) -> None:
    """Have `part` add its files to every record written from now on (once per part)."""
    if part not in _PARTS:
        _PARTS.append(part)


def record_parts() -> tuple[RecordPart, ...]:
    return tuple(_PARTS)


def records_root() -> Path:
    return Path(settings.VAR_DIR) / "records"


def record_dir(election: Election) -> Path:
    return records_root() / election.slug / "record"


def record_zip(election: Election) -> Path:
    return records_root() / election.slug / f"{election.slug}-record.zip"


def record_path(election: Election) -> Path:
    """The published record's zip (for the download page); RecordNotPublished before."""
    path = record_zip(election)
    if election.status != Status.PUBLISHED or not path.is_file():
        raise RecordNotPublished(_("The record of this election is not published yet."))
    return path


def election_document(election: Election) -> dict[str, Any]:
    return documents.election_document(
        election.joint_public_key,
        election.fingerprint,
        election.board_public_key,
        election.trustees,
        election.threshold,
    )


def _write(election: Election, directory: Path) -> None:
    source = board_source()
    ceremony = Ceremony.objects.get(election=election)
    tally = Tally.objects.get(election=election)
    w = RecordWriter(directory)
    w.write_json("manifest.json", election.manifest)
    w.write_json("election.json", election_document(election))
    w.write_json("dkg.json", ceremony.transcript)
    w.write_json("roll.json", documents.roll_document(roll_counts(election)))
    w.write_json("credentials.json", documents.credentials_document(credential_lists(election)))
    w.write_lines(LEAVES, source.board_leaves(election))
    w.write_lines(
        HEADS, (canonical_json(board.tree_head_to_json(h)) for h in source.board_heads(election))
    )
    receipts = [canonical_json(receipt_to_json(r)) for r in source.published_receipts(election)]
    if receipts:
        w.write_lines(RECEIPTS, receipts)
    w.write_json("tally.json", tally.document)
    w.write_json("results.json", tally.results)
    w.write_lines(AUDIT, audit_lines(election))
    for part in _PARTS:
        part(election, w)
    w.finish(election.slug, bytes.fromhex(election.fingerprint))


def write_record(election: Election, *, verify: bool = True, workers: int = 1) -> Path:
    """Write, verify and move the record into place; returns the zip's path."""
    base = records_root() / election.slug
    base.mkdir(parents=True, exist_ok=True)
    tmp = base / f".tmp-{secrets.token_hex(8)}"
    tmp_zip = tmp.with_suffix(".zip")
    try:
        _write(election, tmp)
        if verify:
            report = verify_record(tmp, workers=workers)
            if not report.ok:
                problems = "; ".join(
                    f"{f.check} {f.item}: {f.message}" for f in report.failures[:3]
                )
                raise TransitionRefused(
                    _("The record does not verify, so it is not published: %(problems)s")
                    % {"problems": problems}
                )
        zip_record(tmp, tmp_zip)
        target = record_dir(election)
        if target.exists():
            shutil.rmtree(target)
        os.replace(tmp, target)
        os.replace(tmp_zip, record_zip(election))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        tmp_zip.unlink(missing_ok=True)
    audit(
        election,
        "system:publication",
        "record.written",
        files=sorted(
            p.relative_to(record_dir(election)).as_posix()
            for p in record_dir(election).rglob("*")
            if p.is_file()
        ),
    )
    return record_zip(election)
