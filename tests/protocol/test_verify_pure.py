"""The verifier is pure (decision 0025): it runs on a record held in memory, through the
RecordSource and LeafSource interfaces, with the same report as on disk; the leaves checked
in a process pool give what they give in this process."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from saylau.crypto.group import Element
from saylau.protocol.ballot import ElectionContext
from saylau.protocol.canonical import strict_loads
from saylau.protocol.documents import LEAVES, credential_list_from_document
from saylau.protocol.failures import CodedError
from saylau.protocol.leaves import LeafList
from saylau.protocol.manifest import manifest_from_json
from saylau.protocol.verify import Report, Verifier
from saylau.protocol.verify_ballots import LeavesCheck, check_leaves
from saylau.record.leaves import LeavesFile, line_offsets
from saylau.record.verify import verify_record
from tests.protocol import test_verify_tamper as T

pristine, record = T.pristine, T.record  # the tamper suite's record, as fixtures


class MemoryRecord:
    """A RecordSource over file contents in a dict: no file is opened while verifying."""

    def __init__(self, files: dict[str, bytes]) -> None:
        self.files = files

    def _get(self, name: str) -> bytes:
        if name not in self.files:
            raise CodedError("record.file_missing", name=name)
        return self.files[name]

    def json(self, name: str) -> Any:
        return strict_loads(self._get(name), name)

    def lines(self, name: str) -> list[bytes]:
        return self._get(name).splitlines()

    def has(self, name: str) -> bool:
        return name in self.files

    def file_digest_problems(self) -> list[tuple[str, str]]:
        return []

    def leaves(self) -> LeafList:
        return LeafList(self.lines(LEAVES))


def _load(rec: Path) -> dict[str, bytes]:
    return {p.relative_to(rec).as_posix(): p.read_bytes() for p in rec.rglob("*") if p.is_file()}


def _codes(report: Report) -> list[tuple[str, str, str, dict[str, Any]]]:
    return [(f.check, f.item, f.code, dict(f.params)) for f in report.failures]


def test_a_record_in_memory_verifies_as_on_disk(record: Path) -> None:
    on_disk = verify_record(record, workers=1)
    in_memory = Verifier(MemoryRecord(_load(record))).run()
    assert on_disk.ok and in_memory.ok
    assert in_memory.results == on_disk.results
    assert in_memory.stats == on_disk.stats


def test_a_tampered_leaf_in_memory_fails_as_on_disk(record: Path) -> None:
    leaves = (record / LEAVES).read_bytes().splitlines()
    i = next(i for i, leaf in enumerate(leaves) if b'"type":"cast"' in leaf)
    leaves[i] = leaves[i].replace(b'"alpha":"', b'"alpha":"00', 1)
    (record / LEAVES).write_bytes(b"\n".join(leaves) + b"\n")
    on_disk = [c for c in _codes(verify_record(record, workers=1)) if c[0] != "record.files"]
    in_memory = _codes(Verifier(MemoryRecord(_load(record))).run())
    assert any(c[0] == "ballot" and c[1].startswith(f"leaf {i} ") for c in in_memory)
    assert in_memory == on_disk


def _check(rec: Path, leaves: Any) -> LeavesCheck:
    manifest = manifest_from_json(json.loads((rec / "manifest.json").read_bytes()))
    election = json.loads((rec / "election.json").read_bytes())
    ctx = ElectionContext.make(manifest, Element(bytes.fromhex(election["joint_public_key"])))
    creds = credential_list_from_document(json.loads((rec / "credentials.json").read_bytes()))
    return check_leaves(leaves, ctx, creds, chunk=5)


def test_leaves_checked_in_a_pool_match_leaves_checked_here(record: Path) -> None:
    path = record / LEAVES
    lines = path.read_bytes().splitlines()
    lines[2] = b'{"type":"cast"}'  # one bad leaf, so the failures are compared too
    path.write_bytes(b"\n".join(lines) + b"\n")
    here = _check(record, LeafList(lines))
    pooled = _check(record, LeavesFile(path, line_offsets(path), workers=2))
    assert here.failures and here.failures == pooled.failures
    assert here.leaf_hashes == pooled.leaf_hashes and len(here.leaf_hashes) == len(lines)
    assert here.aggregator.sums == pooled.aggregator.sums
    assert here.aggregator.counts == pooled.aggregator.counts
    assert here.rules.superseded()  # re-votes: the ballots taken out were read back by index
    assert here.valid_ballots == pooled.valid_ballots


def test_receipts_without_the_leaves_name_each_missing_leaf(record: Path) -> None:
    (record / LEAVES).unlink()
    receipts = (record / "receipts.jsonl").read_bytes().splitlines()
    found = _codes(verify_record(record, workers=1))
    missing = [c for c in found if c[2] == "receipt.missing_leaf"]
    assert len(missing) == len(receipts) > 0
    assert not [c for c in found if c[2] == "record.unreadable"]
