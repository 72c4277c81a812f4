"""The independent verifier (written from docs/protocol.md only) agrees with saylau's."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from saylau.protocol.canonical import canonical_json
from saylau.simulate.run import SimConfig, run
from tests.protocol import forgery as F

SCRIPT = Path(__file__).with_name("independent_verifier.py")


@pytest.fixture(scope="module")
def record(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("spec") / "rec"
    run(
        SimConfig(
            voters=40,
            districts=3,
            trustees=4,
            threshold=3,
            absent_trustees=1,
            revote_rate=0.3,
            paper_rate=0.1,
            out=out,
            workers=1,
            head_every=16,
            seed="spec-check",
        )
    )
    return out


def independent(rec: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), str(rec)], capture_output=True, text=True, timeout=300
    )


def test_accepts_a_valid_record(record: Path) -> None:
    p = independent(record)
    assert p.returncode == 0, p.stdout + p.stderr
    assert "OK" in p.stdout


def test_rejects_a_wrong_announced_result(record: Path, tmp_path: Path) -> None:
    rec = tmp_path / "rec"
    shutil.copytree(record, rec)
    results = json.loads((rec / "results.json").read_text())
    d = next(iter(results["districts"]))
    c = next(iter(results["districts"][d]["contests"]))
    o = next(iter(results["districts"][d]["contests"][c]))
    results["districts"][d]["contests"][c][o] += 1
    (rec / "results.json").write_bytes(canonical_json(results))
    F.reseal(rec)
    assert independent(rec).returncode != 0


def test_rejects_an_altered_ciphertext(record: Path, tmp_path: Path) -> None:
    rec = tmp_path / "rec"
    shutil.copytree(record, rec)
    events = F.leaves(rec)
    i = next(k for k, e in enumerate(events) if e["type"] == "cast")
    events[i]["ballot"]["contests"][0]["choices"][1]["beta"] = events[i]["ballot"]["contests"][0][
        "choices"
    ][0]["beta"]
    F.write_leaves(rec, events)
    F.reseal(rec)
    assert independent(rec).returncode != 0
