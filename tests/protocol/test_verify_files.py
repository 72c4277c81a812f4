"""Which files a record holds (docs/protocol.md §12.1): hidden files count as present, and
symbolic links are never followed — present but not listed, or listed, both are reported."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from saylau.protocol.canonical import MAX_DEPTH, StrictJsonError, canonical_json, strict_loads
from saylau.record.verify import verify_record
from tests.protocol import forgery as F
from tests.protocol import test_verify_tamper as T

pristine, record = T.pristine, T.record  # the tamper suite's record, as fixtures


def codes(rec: Path) -> list[tuple[str, str, str]]:
    return [(f.check, f.item, f.code) for f in verify_record(rec, workers=1).failures]


def test_a_hidden_file_is_present_but_not_listed(record: Path) -> None:
    (record / "board" / ".extra-leaves.jsonl").write_text("{}\n")
    assert codes(record) == [("record.files", "board/.extra-leaves.jsonl", "files.unlisted")]


def test_links_are_present_but_not_listed_and_never_followed(record: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    (outside / "sub").mkdir(parents=True)
    (outside / "sub" / "x.json").write_text("{}")
    os.symlink(outside / "sub", record / "more")  # a link to a directory
    os.symlink(record / "nowhere", record / "dangling.json")
    assert codes(record) == [
        ("record.files", "dangling.json", "files.unlisted"),
        ("record.files", "more", "files.unlisted"),
    ]


def test_a_listed_document_that_is_a_link_is_refused(record: Path, tmp_path: Path) -> None:
    real = tmp_path / "results.json"
    real.write_bytes((record / "results.json").read_bytes())
    (record / "results.json").unlink()
    os.symlink(real, record / "results.json")
    found = codes(record)
    assert ("record.files", "results.json", "files.link") in found
    assert ("results", "results.json", "record.file_missing") in found


def test_a_listed_file_under_a_linked_directory_is_refused(record: Path, tmp_path: Path) -> None:
    moved = tmp_path / "board"
    (record / "board").rename(moved)
    os.symlink(moved, record / "board")
    found = codes(record)
    assert ("record.files", "board/leaves.jsonl", "files.link") in found
    assert ("board", "board/leaves.jsonl", "record.file_missing") in found


def test_resealing_does_not_hide_a_link(record: Path, tmp_path: Path) -> None:
    real = tmp_path / "tally.json"
    real.write_bytes((record / "tally.json").read_bytes())
    (record / "tally.json").unlink()
    os.symlink(real, record / "tally.json")
    idx = json.loads((record / "record.json").read_text())
    (record / "record.json").write_bytes(canonical_json(idx))
    F.reseal(record)
    assert ("record.files", "tally.json", "files.link") in codes(record)


# --- leaves: every type has exactly its keys (§9.1), and nesting is bounded (§3.5) -----


def _leaf(rec: Path, index: int, leaf: object) -> None:
    lines = (rec / "board/leaves.jsonl").read_bytes().splitlines()
    lines[index] = canonical_json(leaf)
    (rec / "board/leaves.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    F.reseal(rec)


def test_open_and_close_leaves_with_an_extra_key_are_malformed(record: Path) -> None:
    leaves = F.leaves(record)
    _leaf(record, 0, {**leaves[0], "note": "x"})
    _leaf(record, len(leaves) - 1, {**leaves[-1], "note": "x"})
    found = {(c, i) for c, i, code in codes(record) if code == "leaf.keys"}
    assert found == {("board.leaf", "leaf 0"), ("board.leaf", f"leaf {len(leaves) - 1}")}


def test_open_leaf_whose_election_is_not_a_string(record: Path) -> None:
    _leaf(record, 0, {**F.leaves(record)[0], "election": 5})
    assert ("board.leaf", "leaf 0", "leaf.string") in codes(record)


def test_nesting_is_limited_to_32_levels() -> None:
    assert MAX_DEPTH == 32
    assert strict_loads("[" * 32 + "]" * 32) is not None
    with pytest.raises(StrictJsonError, match="deeply"):
        strict_loads("[" * 33 + "]" * 33)
    with pytest.raises(StrictJsonError, match="deeply"):
        strict_loads('{"a":' * 33 + "1" + "}" * 33)


def test_python_exceptions_never_lend_their_text_to_a_failure() -> None:
    from saylau.protocol.failures import code_of

    assert code_of(KeyError("alpha")) == ("error.missing_key", {"key": "'alpha'"})
    assert code_of(TypeError("'int' object is not subscriptable")) == ("error.malformed", {})
    assert code_of(AttributeError("'list' object has no attribute 'get'")) == (
        "error.malformed",
        {},
    )
    code, params = code_of(StrictJsonError("json.number", "numbers must be integers", number="1.5"))
    assert (code, params) == ("json.number", {"number": "1.5"})
