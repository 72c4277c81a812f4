"""The independent verifier (written from docs/protocol.md only) agrees with saylau's."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from saylau.protocol.canonical import canonical_json
from saylau.record.verify import verify_record
from saylau.simulate.run import SimConfig, run
from saylau.simulate.sanctions import SanctionPlan
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


def _json_edit(name: str, fn: Any) -> Any:
    def apply(rec: Path) -> None:
        doc = json.loads((rec / name).read_text())
        doc = fn(doc) or doc
        (rec / name).write_bytes(canonical_json(doc))

    return apply


def _first(doc: dict[str, Any]) -> tuple[str, str]:
    d = next(iter(doc["districts"]))
    return d, next(iter(doc["districts"][d]["contests"]))


def _made_up_option(doc: dict[str, Any]) -> None:
    d, c = _first(doc)
    doc["districts"][d]["contests"][c]["made-up-candidate"] = 1000


def _made_up_contest(doc: dict[str, Any]) -> None:
    d, _ = _first(doc)
    doc["districts"][d]["contests"]["senate"] = {"someone": 1000}


def _dropped_option(doc: dict[str, Any]) -> None:
    d, c = _first(doc)
    opts = doc["districts"][d]["contests"][c]
    del opts[next(iter(opts))]


def _unknown_district(doc: dict[str, Any]) -> None:
    doc["districts"]["KZ-99"] = [] if doc["schema"] == "saylau-credentials/1" else 0


def _duplicate_share(doc: dict[str, Any]) -> None:
    opt = doc["districts"][0]["contests"][0]["options"][0]
    opt["shares"].append(opt["shares"][0])


def _open_leaf_with_an_extra_key(rec: Path) -> None:
    events = F.leaves(rec)
    events[0]["note"] = "x"
    F.write_leaves(rec, events)


def _hidden_file(rec: Path) -> None:
    (rec / "board" / ".more.jsonl").write_text("{}\n")


def _linked_document(rec: Path) -> None:
    real = rec.parent / "results-elsewhere.json"
    real.write_bytes((rec / "results.json").read_bytes())
    (rec / "results.json").unlink()
    (rec / "results.json").symlink_to(real)


TAMPERINGS: dict[str, tuple[Any, str, str]] = {
    # name: (edit, the reference's check, its code)
    "made-up option": (
        _json_edit("results.json", _made_up_option),
        "results",
        "results.extra_option",
    ),
    "made-up contest": (
        _json_edit("results.json", _made_up_contest),
        "results",
        "results.extra_contest",
    ),
    "option left out": (
        _json_edit("results.json", _dropped_option),
        "results",
        "results.option_missing",
    ),
    "extra results key": (
        _json_edit("results.json", lambda d: d.update(note="x")),
        "results",
        "results.extra_key",
    ),
    "results as array": (
        _json_edit("results.json", lambda d: [d]),
        "results",
        "results.not_object",
    ),
    "credentials district": (
        _json_edit("credentials.json", _unknown_district),
        "credentials",
        "credentials.district_unknown",
    ),
    "roll district": (
        _json_edit("roll.json", _unknown_district),
        "credentials",
        "credentials.district_unknown",
    ),
    "duplicate share": (
        _json_edit("tally.json", _duplicate_share),
        "tally.decryption",
        "tally.share_twice",
    ),
    "tally as array": (_json_edit("tally.json", lambda d: [d]), "tally", "record.not_object"),
    "open leaf key": (_open_leaf_with_an_extra_key, "board.leaf", "leaf.keys"),
    "hidden file": (_hidden_file, "record.files", "files.unlisted"),
    "linked document": (_linked_document, "record.files", "files.link"),
}


@pytest.mark.parametrize("name", sorted(TAMPERINGS))
def test_both_verifiers_reject_the_tampering(record: Path, tmp_path: Path, name: str) -> None:
    rec = tmp_path / "rec"
    shutil.copytree(record, rec)
    tamper, check, code = TAMPERINGS[name]
    tamper(rec)
    F.reseal(rec)
    found = {(f.check, f.code) for f in verify_record(rec, workers=1).failures}
    assert (check, code) in found, found
    assert independent(rec).returncode != 0


def test_both_verifiers_accept_a_ceremony_with_a_complaint_and_a_reconstruction(
    tmp_path: Path,
) -> None:
    rec = tmp_path / "rec"
    run(
        SimConfig(
            voters=12,
            districts=3,
            trustees=4,
            threshold=2,
            absent_trustees=1,
            out=rec,
            workers=1,
            seed="spec-faulty",
            faulty_trustees=frozenset({2}),
            silent_trustees=frozenset({3}),
        )
    )
    dkg = json.loads((rec / "dkg.json").read_text())
    assert dkg["complaints"] and dkg["disclosures"] and 2 not in dkg["qual"]
    assert 3 in dkg["qual"] and 3 not in {e["dealer"] for e in dkg["extractions"]}
    assert verify_record(rec, workers=1).ok
    p = independent(rec)
    assert p.returncode == 0, p.stdout + p.stderr
    # and a transcript whose reconstruction disagrees is refused by both
    dkg["joint_public_key"] = dkg["extractions"][0]["commitments"][0]
    (rec / "dkg.json").write_bytes(canonical_json(dkg))
    F.reseal(rec)
    assert not verify_record(rec, workers=1).ok
    assert independent(rec).returncode != 0


@pytest.fixture(scope="module")
def paper_record(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("spec-paper") / "rec"
    run(
        SimConfig(
            voters=40,
            paper_rate=0.3,
            paper_stations=3,
            out=out,
            workers=1,
            head_every=16,
            seed="spec-paper",
        )
    )
    return out


def _protocols_edit(fn: Any) -> Any:
    def apply(rec: Path) -> None:
        path = rec / "paper/protocols.jsonl"
        lines = [json.loads(x) for x in path.read_bytes().splitlines()]
        fn(lines)
        path.write_bytes(b"".join(canonical_json(x) + b"\n" for x in lines))

    return apply


def _lost_ballot(lines: list[dict[str, Any]]) -> None:
    lines[0]["counts"]["ballots_lost"] += 1


def _renumbered(lines: list[dict[str, Any]]) -> None:
    next(x for x in lines if x["revision"] == 2)["revision"] = 3


def _winner_changed(doc: dict[str, Any]) -> None:
    entry = next(
        c for d in doc["districts"].values() for c in d["contests"].values() if c["winners"]
    )
    loser = next(o for o in entry["total"] if o not in entry["winners"])
    entry["winners"] = [*entry["winners"][1:], loser]


PAPER_TAMPERINGS: dict[str, tuple[Any, str, str]] = {
    "relation broken": (
        _protocols_edit(_lost_ballot),
        "paper.relations",
        "relation.received_balance",
    ),
    "revision renumbered": (_protocols_edit(_renumbered), "paper.protocols", "protocols.revisions"),
    "winner changed": (
        _json_edit("consolidation.json", _winner_changed),
        "consolidation",
        "consolidation.differs",
    ),
    "stations file deleted": (
        lambda rec: (rec / "paper/stations.json").unlink(),
        "paper",
        "paper.file_missing",
    ),
}


def test_both_verifiers_accept_a_record_with_paper_stations(paper_record: Path) -> None:
    assert verify_record(paper_record, workers=1).ok
    p = independent(paper_record)
    assert p.returncode == 0, p.stdout + p.stderr


@pytest.mark.parametrize("name", sorted(PAPER_TAMPERINGS))
def test_both_verifiers_reject_the_paper_tampering(
    paper_record: Path, tmp_path: Path, name: str
) -> None:
    rec = tmp_path / "rec"
    shutil.copytree(paper_record, rec)
    tamper, check, code = PAPER_TAMPERINGS[name]
    tamper(rec)
    idx = json.loads((rec / "record.json").read_text())
    idx["files"] = {k: v for k, v in idx["files"].items() if (rec / k).exists()}
    (rec / "record.json").write_bytes(canonical_json(idx))
    F.reseal(rec)
    found = {(f.check, f.code) for f in verify_record(rec, workers=1).failures}
    assert (check, code) in found, found
    assert independent(rec).returncode != 0


def test_both_verifiers_reject_overrides_without_the_paper_part(
    paper_record: Path, tmp_path: Path
) -> None:
    """§12.10: a board with paper overrides and a record with no paper part at all (the three
    files gone and unlisted) fails in both verifiers, on that rule alone."""
    rec = tmp_path / "rec"
    shutil.copytree(paper_record, rec)
    leaves = [json.loads(x) for x in (rec / "board/leaves.jsonl").read_bytes().splitlines()]
    assert any(e["type"] == "paper_override" for e in leaves)
    for name in ("paper/stations.json", "paper/protocols.jsonl", "consolidation.json"):
        (rec / name).unlink()
    idx = json.loads((rec / "record.json").read_text())
    idx["files"] = {k: v for k, v in idx["files"].items() if (rec / k).exists()}
    (rec / "record.json").write_bytes(canonical_json(idx))
    F.reseal(rec)
    found = {(f.check, f.code) for f in verify_record(rec, workers=1).failures}
    assert found == {("paper", "paper.required")}, found
    p = independent(rec)
    assert p.returncode != 0 and "overrides need the paper part" in p.stdout + p.stderr


# Sanctions (§14) ----------------------------------------------------------------------


def _sanctioned(out: Path, stations: int, plan: SanctionPlan) -> Path:
    run(
        SimConfig(
            voters=40,
            paper_rate=0.3,
            paper_stations=stations,
            out=out,
            workers=1,
            head_every=16,
            seed="spec-sanctions",
            sanctions=plan,
        )
    )
    return out


@pytest.fixture(scope="module")
def sanctioned_record(tmp_path_factory: pytest.TempPathFactory) -> Path:
    plan = SanctionPlan(annul_stations=1, deregister=1, annul_districts=1, vote_rule="invalid")
    return _sanctioned(tmp_path_factory.mktemp("spec-sanctions") / "rec", 3, plan)


def test_both_verifiers_accept_a_record_with_sanctions(sanctioned_record: Path) -> None:
    assert verify_record(sanctioned_record, workers=1).ok
    p = independent(sanctioned_record)
    assert p.returncode == 0, p.stdout + p.stderr


def test_both_verifiers_accept_sanctions_without_paper_stations(tmp_path: Path) -> None:
    rec = _sanctioned(tmp_path / "rec", 0, SanctionPlan(deregister=1, annul_districts=1))
    assert verify_record(rec, workers=1).ok
    p = independent(rec)
    assert p.returncode == 0, p.stdout + p.stderr


def _without(kind: str) -> Any:
    def edit(doc: dict[str, Any]) -> None:
        doc["sanctions"] = [s for s in doc["sanctions"] if s["kind"] != kind]

    return edit


def _station_renamed(doc: dict[str, Any]) -> None:
    next(s for s in doc["sanctions"] if s["kind"] == "annul_station")["station"] = "PS-9999"


def _added(doc: dict[str, Any]) -> None:
    doc["sanctions"].append(
        {
            "id": "S-0099",
            "kind": "deregister_candidate",
            "decision": "PCC-X",
            "decided_at": "2026-06-03T00:00:00Z",
            "contest": "almaty-mazhilis",
            "option": "almaty-mazhilis-01",
        }
    )


def _ignored(doc: dict[str, Any]) -> None:
    """The consolidation of an annulled district given its winners back."""
    for d in doc["districts"].values():
        for c in d["contests"].values():
            if c.pop("annulled", False):
                c["winners"] = [next(o for o in c["total"] if not o.endswith("-aa"))]


SANCTION_TAMPERINGS: dict[str, tuple[Any, str, str]] = {
    "sanction removed": (
        _json_edit("sanctions.json", _without("annul_district")),
        "consolidation",
        "consolidation.extra",
    ),
    "sanction added": (
        _json_edit("sanctions.json", _added),
        "consolidation",
        "consolidation.differs",
    ),
    "unknown station annulled": (
        _json_edit("sanctions.json", _station_renamed),
        "sanctions",
        "sanction.station",
    ),
    "vote rule changed": (
        _json_edit("sanctions.json", lambda d: d.update(deregistered_votes="set_aside")),
        "consolidation",
        "consolidation.differs",
    ),
    "consolidation ignores a sanction": (
        _json_edit("consolidation.json", _ignored),
        "consolidation",
        "consolidation.missing",
    ),
}


@pytest.mark.parametrize("name", sorted(SANCTION_TAMPERINGS))
def test_both_verifiers_reject_the_sanction_tampering(
    sanctioned_record: Path, tmp_path: Path, name: str
) -> None:
    rec = tmp_path / "rec"
    shutil.copytree(sanctioned_record, rec)
    tamper, check, code = SANCTION_TAMPERINGS[name]
    tamper(rec)
    F.reseal(rec)
    found = {(f.check, f.code) for f in verify_record(rec, workers=1).failures}
    assert (check, code) in found, found
    p = independent(rec)
    assert p.returncode == 1 and f"('{check}'," in p.stdout, p.stdout + p.stderr
