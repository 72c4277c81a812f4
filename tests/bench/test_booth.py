"""`saylau bench booth`: the booth's worker really runs in Debian's chromium on a loopback
page under a CSP that allows only its own scripts, every ballot it makes is verified by the
Python core before a figure is printed, and the problems it can meet are said by code."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from typer.testing import CliRunner

from saylau.bench import booth
from saylau.cli.main import app
from saylau.crypto.rand import DeterministicRng
from saylau.i18n import activate
from saylau.protocol.ballot import encrypt_ballot, tracking_code


@pytest.fixture
def english_after():
    yield
    activate("en")


def test_the_bench_times_the_browser_and_the_python_core_in_russian(english_after) -> None:
    if not booth.WORKER.is_file():
        pytest.fail(f"{booth.WORKER} is missing: run make frontend")
    result = CliRunner().invoke(app, ["bench", "booth", "--repeat", "2", "--lang", "ru"])
    assert result.exit_code == 0, result.output
    assert "медиана 2 замеров" in result.output
    assert "отношение: браузер ÷ ядро на Python" in result.output
    assert "≤ 300 ms" in result.output


def _answer(ballot: dict, progress: int = 20) -> dict:
    return {
        "answer": {"ok": True, "ballot": ballot, "trackingCode": "", "ms": 1.0},
        "progress": progress,
    }


def test_a_wrong_ballot_from_the_browser_stops_the_bench() -> None:
    b = booth._ballot()
    raw = encrypt_ballot(b.ctx, b.district, b.selection, b.credential, DeterministicRng("t")).raw
    good = _answer(raw)
    good["answer"]["trackingCode"] = tracking_code(raw)
    assert booth._check_answer(b, good, 20) == 1.0
    tampered = copy.deepcopy(good)
    proof = tampered["answer"]["ballot"]["contests"][0]["choices"][0]["proof"]
    proof["responses"][0], proof["responses"][1] = proof["responses"][1], proof["responses"][0]
    with pytest.raises(booth.BoothBenchError) as caught:
        booth._check_answer(b, tampered, 20)
    assert caught.value.code == "bench.ballot_invalid"
    with pytest.raises(booth.BoothBenchError) as caught:
        booth._check_answer(b, {**good, "progress": 3}, 20)
    assert caught.value.code == "bench.progress"
    refused = {"answer": {"ok": False, "code": "selection.invalid", "detail": "x"}, "progress": 0}
    with pytest.raises(booth.BoothBenchError) as caught:
        booth._check_answer(b, refused, 20)
    assert caught.value.code == "bench.browser_refused"


def test_no_worker_built_is_said_in_the_users_language(tmp_path: Path, english_after) -> None:
    with pytest.raises(booth.BoothBenchError) as caught:
        booth.measure(1, worker=tmp_path / "booth-worker.js")
    assert caught.value.code == "bench.no_worker"
    result = CliRunner().invoke(
        app, ["bench", "booth", "--chromium", str(tmp_path / "no"), "--lang", "kk"]
    )
    assert result.exit_code == 1
    assert "браузер жоқ" in result.output
