"""`saylau verify` on bad input: a non-zero exit, one clear line per problem, no traceback."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from saylau.protocol.canonical import canonical_json
from saylau.simulate.run import SimConfig, run
from tests.protocol import forgery as F


@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("cli") / "rec"
    run(SimConfig(voters=12, districts=3, out=out, workers=1, seed="cli"))
    return out


def saylau(*args: str) -> subprocess.CompletedProcess[str]:
    """`saylau ARGS` in English (tests/cli/test_cli_i18n.py covers the other languages)."""
    return subprocess.run(
        [sys.executable, "-m", "saylau.cli.main", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "SAYLAU_LANGUAGE": "en"},
    )


def copy(good: Path, tmp_path: Path) -> Path:
    dst = tmp_path / "rec"
    shutil.copytree(good, dst)
    return dst


def assert_clean_failure(p: subprocess.CompletedProcess[str], *needles: str) -> None:
    out = p.stdout + p.stderr
    assert p.returncode != 0, out
    assert "Traceback" not in out, out
    for needle in needles:
        assert needle in out, out


def test_good_record_verifies_from_dir_and_zip(good: Path, tmp_path: Path) -> None:
    from saylau.record.disk import zip_record

    p = saylau("verify", str(good), "--workers", "2")
    assert p.returncode == 0, p.stdout + p.stderr
    assert "VERIFIED" in p.stdout
    zip_record(good, tmp_path / "rec.zip")
    assert saylau("verify", str(tmp_path / "rec.zip")).returncode == 0


def test_missing_path() -> None:
    assert_clean_failure(saylau("verify", "/nonexistent/record"), "no such file")


def test_truncated_zip(good: Path, tmp_path: Path) -> None:
    from saylau.record.disk import zip_record

    z = tmp_path / "rec.zip"
    zip_record(good, z)
    data = z.read_bytes()
    z.write_bytes(data[: len(data) // 2])
    assert_clean_failure(saylau("verify", str(z)), "zip")


def test_bad_json(good: Path, tmp_path: Path) -> None:
    rec = copy(good, tmp_path)
    (rec / "manifest.json").write_text('{"schema": "saylau-manifest/1", ')
    F.reseal(rec)
    assert_clean_failure(saylau("verify", str(rec)), "manifest.json", "not valid JSON")


def test_unknown_schema_version(good: Path, tmp_path: Path) -> None:
    rec = copy(good, tmp_path)
    idx = json.loads((rec / "record.json").read_text())
    idx["schema"] = "saylau-record/99"
    (rec / "record.json").write_text(json.dumps(idx))
    assert_clean_failure(saylau("verify", str(rec)), "unknown schema version")


def test_point_off_the_curve_in_credentials(good: Path, tmp_path: Path) -> None:
    rec = copy(good, tmp_path)
    doc = json.loads((rec / "credentials.json").read_text())
    d = next(iter(doc["districts"]))
    doc["districts"][d][0] = "ff" * 32
    (rec / "credentials.json").write_text(json.dumps(doc))
    F.reseal(rec)
    assert_clean_failure(saylau("verify", str(rec)), f"credentials.{d}[0]", "canonical")


def test_garbage_leaves_each_named(good: Path, tmp_path: Path) -> None:
    rec = copy(good, tmp_path)
    lines = (rec / "board/leaves.jsonl").read_bytes().splitlines()
    lines[2] = b"{not json"
    lines[3] = b'{"type": "cast", "time": 5, "ballot": [1, 2]}'
    (rec / "board/leaves.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    F.reseal(rec)
    p = saylau("verify", str(rec))
    assert_clean_failure(p, "leaf 2", "leaf 3")


def test_empty_directory(tmp_path: Path) -> None:
    assert_clean_failure(saylau("verify", str(tmp_path)), "record.json")


def _set(doc: object, path: list[object], value: object) -> None:
    for key in path[:-1]:
        doc = doc[key]  # type: ignore[index]
    doc[path[-1]] = value  # type: ignore[index]


# Shapes no honest record has, each in a document whose reader once let Python speak.
ODD_SHAPES = [
    ("tally.json", ["districts", 0, "contests", 0, "options", 0], 5),
    ("tally.json", ["districts", 0, "contests", 0, "options", 1, "shares"], {"a": 1}),
    ("tally.json", ["districts", 0, "contests", 0, "options", 2, "shares", 0], "share"),
    ("tally.json", ["trustees"], 3),
    ("roll.json", ["districts"], "all"),
    ("results.json", ["districts"], [1]),
]
PYTHON_SPEAKS = (
    "object has no attribute",
    "not subscriptable",
    "Expecting ",
    "KeyError",
    "TypeError",
    "AttributeError",
    "ValueError",
    "unhashable",
    "object is not",
)


@pytest.mark.parametrize("lang", ["ru", "kk"])
@pytest.mark.parametrize(("name", "path", "value"), ODD_SHAPES)
def test_no_python_exception_text_in_any_language(
    good: Path, tmp_path: Path, lang: str, name: str, path: list[object], value: object
) -> None:
    from saylau.protocol.canonical import canonical_json
    from saylau.protocol.failures import MESSAGES

    rec = copy(good, tmp_path)
    doc = json.loads((rec / name).read_text())
    _set(doc, path, value)
    (rec / name).write_bytes(canonical_json(doc))
    F.reseal(rec)
    p = saylau("verify", str(rec), "--workers", "1", "--json", "--lang", lang)
    assert_clean_failure(p)
    report = json.loads(p.stdout)
    assert report["language"] == lang and report["failures"]
    for failure in report["failures"]:
        assert failure["code"] in MESSAGES
        assert failure["message"] != failure["message_en"], failure  # translated
        text = json.dumps(failure, ensure_ascii=False)
        assert not any(s in text for s in PYTHON_SPEAKS), failure


def test_simulate_with_a_faulty_and_a_silent_trustee_makes_a_record_that_verifies(
    tmp_path: Path,
) -> None:
    out = tmp_path / "rec"
    p = saylau(
        "simulate", "--voters", "8", "--trustees", "4", "--threshold", "2",
        "--faulty-trustee", "2", "--silent-trustee", "3", "--workers", "1",
        "--out", str(out), "--no-zip",
    )  # fmt: skip
    assert p.returncode == 0, p.stdout + p.stderr
    dkg = json.loads((out / "dkg.json").read_text())
    assert [c["dealer"] for c in dkg["complaints"]] == [2] and dkg["qual"] == [1, 3, 4]
    assert {c["dealer"] for c in dkg["disclosures"]} == {3}  # reconstructed
    assert saylau("verify", str(out), "--workers", "1").returncode == 0


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--faulty-trustee", "5"], "numbered 1 to 3"),
        (["--faulty-trustee", "1", "--faulty-trustee", "2"], "fewer than the threshold"),
        (["--silent-trustee", "1", "--silent-trustee", "3"], "fewer than the threshold"),
    ],
)
def test_simulate_refuses_a_ceremony_that_cannot_make_a_key(
    tmp_path: Path, args: list[str], needle: str
) -> None:
    p = saylau("simulate", "--voters", "4", "--out", str(tmp_path / "rec"), *args)
    assert_clean_failure(p, needle)
    assert not (tmp_path / "rec").exists()


def test_simulate_with_paper_stations_makes_a_record_that_verifies(tmp_path: Path) -> None:
    out = tmp_path / "rec"
    p = saylau(
        "simulate",
        "--voters", "30",
        "--paper-rate", "0.3",
        "--paper-stations", "2",
        "--out", str(out),
        "--workers", "1",
        "--no-zip",
    )  # fmt: skip
    assert p.returncode == 0, p.stdout + p.stderr
    assert "paper polling stations" in p.stdout
    assert (out / "paper/protocols.jsonl").exists()
    v = saylau("verify", str(out), "--workers", "1")
    assert v.returncode == 0, v.stdout + v.stderr
    assert "Paper voting checked" in v.stdout and "online and paper" in v.stdout
    doc = json.loads(saylau("verify", str(out), "--json").stdout)
    assert doc["ok"] and doc["consolidation"]["schema"] == "saylau-consolidation/1"
    assert doc["stats"]["paper_stations"] == 2
    # a broken relation is named, in the user's language
    lines = (out / "paper/protocols.jsonl").read_bytes().splitlines()
    first = json.loads(lines[0])
    first["counts"]["ballots_lost"] += 1
    (out / "paper/protocols.jsonl").write_bytes(
        b"\n".join([canonical_json(first), *lines[1:]]) + b"\n"
    )
    F.reseal(out)
    bad = saylau("verify", str(out), "--workers", "1")
    assert_clean_failure(bad, "[paper.relations]", f"{first['station']}/{first['contest']}")
    assert "are not issued + cancelled + spoiled + lost" in bad.stdout


def overrides(rec: Path) -> list[str]:
    """The precinct of each paper_override leaf of the record's board."""
    leaves = [json.loads(x) for x in (rec / "board/leaves.jsonl").read_bytes().splitlines()]
    return [e["precinct"] for e in leaves if e["type"] == "paper_override"]


def test_simulate_without_stations_writes_no_override(tmp_path: Path) -> None:
    """With --paper-stations 0 (the default) no one votes on paper, however high the paper
    rate; with a station its paper voters get overrides naming it, and a record that drops
    its paper part is rejected for them (paper.required)."""
    base = ("simulate", "--voters", "16", "--paper-rate", "0.5", "--workers", "1", "--no-zip")
    p = saylau(*base, "--out", str(tmp_path / "none"))
    assert p.returncode == 0, p.stdout + p.stderr
    assert overrides(tmp_path / "none") == []
    assert not (tmp_path / "none/paper").exists()
    one = tmp_path / "one"
    p = saylau(*base, "--districts", "1", "--paper-stations", "1", "--out", str(one))
    assert p.returncode == 0, p.stdout + p.stderr
    (code,) = {s["code"] for s in json.loads((one / "paper/stations.json").read_text())["stations"]}
    found = overrides(one)
    assert found and set(found) == {code}
    for name in ("paper/stations.json", "paper/protocols.jsonl", "consolidation.json"):
        (one / name).unlink()
    idx = json.loads((one / "record.json").read_text())
    idx["files"] = {k: v for k, v in idx["files"].items() if (one / k).exists()}
    (one / "record.json").write_bytes(canonical_json(idx))
    bad = saylau("verify", str(one), "--workers", "1")
    assert_clean_failure(
        bad, "FAIL [paper] board/leaves.jsonl", f"the board has {len(found)} paper"
    )


def test_simulate_with_sanctions_makes_a_record_that_verifies(tmp_path: Path) -> None:
    out = tmp_path / "rec"
    p = saylau(
        "simulate",
        "--voters", "60",
        "--paper-rate", "0.3",
        "--paper-stations", "3",
        "--annul-stations", "1",
        "--deregister", "1",
        "--annul-districts", "1",
        "--deregistered-votes", "invalid",
        "--out", str(out),
        "--workers", "1",
        "--no-zip",
    )  # fmt: skip
    assert p.returncode == 0, p.stdout + p.stderr
    assert "sanctions in the record" in p.stdout
    sanctions = json.loads((out / "sanctions.json").read_text())
    assert sanctions["deregistered_votes"] == "invalid"
    kinds = [s["kind"] for s in sanctions["sanctions"]]
    assert kinds == ["warning", "annul_station", "deregister_candidate", "annul_district"]
    v = saylau("verify", str(out), "--workers", "1")
    assert v.returncode == 0, v.stdout + v.stderr
    assert "annulled — re-vote" in v.stdout and "votes excluded" in v.stdout
    assert "sanctions against the election, applied to the results" in v.stdout
    doc = json.loads(saylau("verify", str(out), "--json").stdout)
    assert doc["ok"] and doc["stats"]["sanctions"] == 4
    assert doc["consolidation"]["sanctions"] == [s["id"] for s in sanctions["sanctions"]]
    # a station annulled that the record does not have: named, in the user's language
    sanctions["sanctions"][1]["station"] = "PS-0404"
    (out / "sanctions.json").write_bytes(canonical_json(sanctions))
    F.reseal(out)
    bad = saylau("verify", str(out), "--workers", "1")
    assert_clean_failure(bad, "[sanctions] sanction S-0002", "station 'PS-0404' is not in")
    ru = subprocess.run(
        [sys.executable, "-m", "saylau.cli.main", "verify", str(out), "--lang", "ru"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert ru.returncode == 1 and "участка 'PS-0404' нет в paper/stations.json" in ru.stdout


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--annul-stations", "1"], "--annul-stations 1: the election has 0 paper stations"),
        (["--annul-districts", "3"], "--annul-districts 3: at most 2, one district must stay"),
        (["--deregistered-votes", "drop"], "--deregistered-votes must be one of"),
        (["--deregister", "99"], "--deregister 99: only"),
    ],
)
def test_simulate_refuses_sanctions_that_do_not_fit(
    tmp_path: Path, args: list[str], needle: str
) -> None:
    p = saylau("simulate", "--voters", "6", "--workers", "1", "--out", str(tmp_path / "rec"), *args)
    assert_clean_failure(p, needle)
    assert not (tmp_path / "rec").exists()
