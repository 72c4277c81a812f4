"""The paper part of a record (protocol/verify_paper.py, docs/protocol.md §12.10): a simulated
record with paper stations verifies, and each tampering is rejected. After each change the
record's digests are recomputed (and the board's heads re-signed when leaves change), so the
record's other checks pass and the paper checks must catch it."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from saylau.protocol import board
from saylau.protocol.canonical import canonical_json
from saylau.protocol.documents import CONSOLIDATION, PAPER_FILES, PROTOCOLS, STATIONS
from saylau.protocol.failures import MESSAGES
from saylau.protocol.manifest import manifest_from_json
from saylau.protocol.verify_paper import PaperCheck, check_stations
from saylau.record.verify import verify_record
from saylau.simulate.manifest_gen import make_manifest
from saylau.simulate.run import SimConfig, SimResult, run

PAPER_CHECKS = {
    "paper",
    "paper.stations",
    "paper.protocols",
    "paper.relations",
    "paper.overrides",
    "consolidation",
}


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, SimResult]:
    out = tmp_path_factory.mktemp("paper") / "rec"
    res = run(
        SimConfig(
            voters=60,
            districts=3,
            paper_rate=0.35,
            paper_stations=4,
            revote_rate=0.1,
            out=out,
            workers=1,
            head_every=16,
            receipts=5,
            seed="paper-tamper",
        )
    )
    return out, res


@pytest.fixture
def rec(pristine: tuple[Path, SimResult], tmp_path: Path) -> Path:
    dst = tmp_path / "rec"
    shutil.copytree(pristine[0], dst)
    return dst


def reseal(rec: Path) -> None:
    """record.json lists exactly the files present, with their digests, as a forger would."""
    idx = json.loads((rec / "record.json").read_text())
    idx["files"] = {
        p.relative_to(rec).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(rec.rglob("*"))
        if p.is_file() and p.name != "record.json"
    }
    (rec / "record.json").write_bytes(canonical_json(idx))


def leaves(rec: Path) -> list[dict[str, Any]]:
    return [json.loads(x) for x in (rec / "board/leaves.jsonl").read_bytes().splitlines()]


def rewrite_board(rec: Path, events: list[dict[str, Any]], seed: bytes) -> None:
    """The log replaced by `events`, its heads re-signed with the board's key, and the
    receipts (whose proofs name the old log) left out."""
    lines = [canonical_json(e) for e in events]
    (rec / "board/leaves.jsonl").write_bytes(b"".join(x + b"\n" for x in lines))
    fp = bytes.fromhex(json.loads((rec / "election.json").read_text())["fingerprint"])
    key = board.BoardKey.from_seed(seed)
    log = board.MerkleLog()
    for line in lines:
        log.append(line)
    head = board.sign_tree_head(key, fp, log.size, events[-1]["time"], log.root())
    (rec / "board/heads.jsonl").write_bytes(canonical_json(board.tree_head_to_json(head)) + b"\n")
    (rec / "receipts.jsonl").unlink()


def protocol_lines(rec: Path) -> list[dict[str, Any]]:
    return [json.loads(x) for x in (rec / PROTOCOLS).read_bytes().splitlines()]


def write_protocols(rec: Path, lines: list[dict[str, Any]]) -> None:
    (rec / PROTOCOLS).write_bytes(b"".join(canonical_json(x) + b"\n" for x in lines))


def edit_json(rec: Path, name: str, fn: Callable[[Any], None]) -> None:
    doc = json.loads((rec / name).read_text())
    fn(doc)
    (rec / name).write_bytes(canonical_json(doc))


def failures(rec: Path) -> list[tuple[str, str, str]]:
    report = verify_record(rec, workers=1)
    return [(f.check, f.item, f.code) for f in report.failures]


def rejected(rec: Path, check: str, code: str, item: str = "", only_paper: bool = True) -> None:
    reseal(rec)
    found = failures(rec)
    assert any(c == check and k == code and item in i for c, i, k in found), found
    if only_paper:
        assert {c for c, _, _ in found} <= PAPER_CHECKS, found


def test_the_paper_record_verifies(pristine: tuple[Path, SimResult]) -> None:
    out, res = pristine
    report = verify_record(out, workers=1)
    assert report.ok, report.failures
    assert report.stats["paper_stations"] == 4
    assert report.stats["paper_recounted"] == 1
    assert report.consolidation == json.loads((out / CONSOLIDATION).read_text())
    precincts = {e["precinct"] for e in leaves(out) if e["type"] == "paper_override"}
    codes = {s["code"] for s in json.loads((out / STATIONS).read_text())["stations"]}
    assert precincts and precincts <= codes  # real station codes, not precinct-N
    assert res.stats["paper_overrides"] == report.stats["paper_overrides"] > 0


def test_a_record_without_paper_stations_has_no_paper_part(tmp_path: Path) -> None:
    """No station, no paper voter: however many would vote on paper, the board has no
    override and the record no paper part."""
    out = tmp_path / "rec"
    res = run(SimConfig(voters=12, paper_rate=0.5, out=out, workers=1, seed="no-paper"))
    assert not any((out / name).exists() for name in PAPER_FILES)
    assert not overrides(leaves(out)) and res.stats["paper_overrides"] == 0
    report = verify_record(out, workers=1)
    assert report.ok, report.failures
    assert report.consolidation is None and "paper_stations" not in report.stats


@pytest.fixture(scope="module")
def one_station(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("one") / "rec"
    run(
        SimConfig(
            voters=16,
            districts=1,
            paper_rate=0.4,
            paper_stations=1,
            out=out,
            workers=1,
            seed="one-station",
        )
    )
    return out


def test_overrides_without_the_paper_part(one_station: Path, tmp_path: Path) -> None:
    """A record whose board sets online ballots aside for paper votes but which drops its
    paper part (and lists no paper file) fails: the overrides must be checked against it."""
    rec = tmp_path / "rec"
    shutil.copytree(one_station, rec)
    n = len(overrides(leaves(rec)))
    assert n > 0 and verify_record(rec, workers=1).ok
    for name in PAPER_FILES:
        (rec / name).unlink()
    (rec / "paper").rmdir()
    reseal(rec)
    found = verify_record(rec, workers=1).failures
    assert [(f.check, f.item, f.code, f.params) for f in found] == [
        ("paper", "board/leaves.jsonl", "paper.required", {"overrides": n})
    ]
    assert str(n) in found[0].message


def first(lines: list[dict[str, Any]], revision: int = 1) -> int:
    return next(i for i, x in enumerate(lines) if x["revision"] == revision)


def test_a_protocol_count_changed(rec: Path) -> None:
    lines = protocol_lines(rec)
    # the last vote-for-exactly-1 protocol (not the recounted one: its last revision counts)
    line = [x for x in lines if x["contest"].endswith("-mazhilis")][-1]
    oid = next(iter(line["options"]))
    line["options"][oid] += 1
    write_protocols(rec, lines)
    rejected(rec, "paper.relations", "relation.options_sum_valid", line["station"])
    d, c = line["district"], line["contest"]
    rejected(rec, "consolidation", "consolidation.differs", f"{d}/{c}")


def test_a_relation_broken(rec: Path) -> None:
    lines = protocol_lines(rec)
    lines[0]["counts"]["ballots_lost"] += 1  # the balance no longer holds; totals unchanged
    write_protocols(rec, lines)
    item = f"{lines[0]['station']}/{lines[0]['contest']} revision 1"
    rejected(rec, "paper.relations", "relation.received_balance", item)
    assert {c for c, _, _ in failures(rec)} == {"paper.relations"}


def test_a_revision_removed(rec: Path) -> None:
    lines = protocol_lines(rec)
    recount = first(lines, 2)
    del lines[recount - 1]  # revision 1 of the recounted protocol
    write_protocols(rec, lines)
    rejected(rec, "paper.protocols", "protocols.revisions")


def test_the_recount_removed_changes_the_consolidation(rec: Path) -> None:
    lines = protocol_lines(rec)
    del lines[first(lines, 2)]
    write_protocols(rec, lines)
    rejected(rec, "consolidation", "consolidation.differs")


def test_a_revision_renumbered(rec: Path) -> None:
    lines = protocol_lines(rec)
    lines[first(lines, 2)]["revision"] = 3
    write_protocols(rec, lines)
    rejected(rec, "paper.protocols", "protocols.revisions")


def test_a_reason_dropped(rec: Path) -> None:
    lines = protocol_lines(rec)
    lines[first(lines, 2)]["reason"] = ""
    write_protocols(rec, lines)
    rejected(rec, "paper.protocols", "protocols.reason_missing")


def test_a_reason_given_to_a_first_revision(rec: Path) -> None:
    lines = protocol_lines(rec)
    lines[0]["reason"] = "why not"
    write_protocols(rec, lines)
    rejected(rec, "paper.protocols", "protocols.reason_first")


def test_an_unknown_station(rec: Path) -> None:
    lines = protocol_lines(rec)
    lines[-1]["station"] = "PS-9999"
    write_protocols(rec, lines)
    rejected(rec, "paper.protocols", "protocols.unknown_station", "PS-9999")


def test_a_protocol_moved_to_another_district(rec: Path) -> None:
    lines = protocol_lines(rec)
    other = next(x["district"] for x in lines if x["district"] != lines[0]["district"])
    lines[0]["district"] = other
    write_protocols(rec, lines)
    rejected(rec, "paper.protocols", "protocols.district")


def test_lines_out_of_order(rec: Path) -> None:
    lines = protocol_lines(rec)
    lines[0], lines[1] = lines[1], lines[0]
    write_protocols(rec, lines)
    rejected(rec, "paper.protocols", "protocols.order", "line 1")


def test_a_bad_scan_digest(rec: Path) -> None:
    lines = protocol_lines(rec)
    lines[0]["scan_sha256"] = lines[0]["scan_sha256"].upper()
    write_protocols(rec, lines)
    rejected(rec, "paper.protocols", "protocols.scan_sha256")


def test_a_station_listed_twice(rec: Path) -> None:
    edit_json(rec, STATIONS, lambda d: d["stations"].insert(0, dict(d["stations"][0])))
    rejected(rec, "paper.stations", "stations.duplicate")


def test_a_station_in_an_unknown_district(rec: Path) -> None:
    edit_json(rec, STATIONS, lambda d: d["stations"][-1].update(district="atlantis"))
    rejected(rec, "paper.stations", "stations.district")


def overrides(events: list[dict[str, Any]]) -> list[int]:
    return [i for i, e in enumerate(events) if e["type"] == "paper_override"]


def test_an_override_renamed_to_another_station(
    rec: Path, pristine: tuple[Path, SimResult]
) -> None:
    events = leaves(rec)
    i = overrides(events)[0]
    target = next(
        events[j]["precinct"]
        for j in overrides(events)
        if events[j]["precinct"] != events[i]["precinct"]
    )
    events[i]["precinct"] = target
    rewrite_board(rec, events, pristine[1].board_seed)
    rejected(rec, "paper.overrides", "overrides.too_many", f"station {target}")


def test_an_override_naming_no_station(rec: Path, pristine: tuple[Path, SimResult]) -> None:
    events = leaves(rec)
    i = overrides(events)[0]
    events[i]["precinct"] = "precinct-7"
    rewrite_board(rec, events, pristine[1].board_seed)
    rejected(rec, "paper.overrides", "overrides.unknown_station", f"leaf {i}")


def test_an_override_added(rec: Path, pristine: tuple[Path, SimResult]) -> None:
    events = leaves(rec)
    station = events[overrides(events)[0]]["precinct"]
    paper = {events[j]["credential"] for j in overrides(events)}
    online = next(
        e["ballot"]["credential"]
        for e in events
        if e["type"] == "cast" and e["ballot"]["credential"] not in paper
    )
    close = events[-1]
    extra = {"type": "paper_override", "time": close["time"], "credential": online}
    events.insert(len(events) - 1, {**extra, "precinct": station})
    rewrite_board(rec, events, pristine[1].board_seed)
    # the voter's online ballot leaves the tally too, so the tally check also objects
    rejected(rec, "paper.overrides", "overrides.too_many", f"station {station}", only_paper=False)


def test_an_override_removed(rec: Path, pristine: tuple[Path, SimResult]) -> None:
    """A paper voter who had voted online: without the override that ballot counts again."""
    events = leaves(rec)
    online = {e["ballot"]["credential"] for e in events if e["type"] in ("cast", "revote")}
    i = next(j for j in overrides(events) if events[j]["credential"] in online)
    del events[i]
    rewrite_board(rec, events, pristine[1].board_seed)
    rejected(rec, "tally.aggregate", "tally.sum", only_paper=False)


def contest_entry(doc: dict[str, Any]) -> dict[str, Any]:
    """The consolidation entry of the contest with the most paper stations."""
    entries = [c for d in doc["districts"].values() for c in d["contests"].values()]
    return max(entries, key=lambda c: c["paper_stations"])


def test_consolidation_totals_changed(rec: Path) -> None:
    def bump(doc: dict[str, Any]) -> None:
        entry = contest_entry(doc)
        entry["total"][next(iter(entry["total"]))] += 1

    edit_json(rec, CONSOLIDATION, bump)
    rejected(rec, "consolidation", "consolidation.differs")
    found = failures(rec)
    assert len(found) == 1 and found[0][0] == "consolidation", found


def test_consolidation_winners_changed(rec: Path) -> None:
    def swap(doc: dict[str, Any]) -> None:
        entry = contest_entry(doc)
        entry["winners"] = [o for o in entry["total"] if o not in entry["winners"]][:1]

    edit_json(rec, CONSOLIDATION, swap)
    rejected(rec, "consolidation", "consolidation.differs")


def test_consolidation_recount_flag_changed(rec: Path) -> None:
    def flip(doc: dict[str, Any]) -> None:
        entry = contest_entry(doc)
        entry["recount"] = not entry["recount"]

    edit_json(rec, CONSOLIDATION, flip)
    rejected(rec, "consolidation", "consolidation.differs")


def test_consolidation_with_another_margin_is_rederived_with_it(rec: Path) -> None:
    edit_json(rec, CONSOLIDATION, lambda d: d.update(recount_margin=-1))
    rejected(rec, "consolidation", "consolidation.margin")


@pytest.mark.parametrize("name", PAPER_FILES)
def test_a_paper_file_deleted(rec: Path, name: str) -> None:
    (rec / name).unlink()
    rejected(rec, "paper", "paper.file_missing", name)


def test_every_code_has_a_message() -> None:
    for code in (
        "relation.options_le_marks",
        "relation.option_le_valid",
        "paper.not_count",
        "overrides.too_many",
    ):
        assert code in MESSAGES


@pytest.mark.parametrize(
    ("doc", "code"),
    [
        ({"schema": "saylau-stations/2", "stations": []}, "document.schema"),
        ({"schema": "saylau-stations/1", "stations": {}}, "stations.not_list"),
        ({"schema": "saylau-stations/1", "stations": [{"code": "A"}]}, "stations.keys"),
        (
            {
                "schema": "saylau-stations/1",
                "stations": [{"code": "A", "number": 0, "district": "astana", "address": ""}],
            },
            "stations.number",
        ),
        (
            {
                "schema": "saylau-stations/1",
                "stations": [
                    {"code": "B", "number": 1, "district": "astana", "address": ""},
                    {"code": "A", "number": 2, "district": "astana", "address": ""},
                ],
            },
            "stations.order",
        ),
    ],
)
def test_stations_shape(doc: Any, code: str) -> None:
    out = PaperCheck()
    check_stations(doc, manifest_from_json(make_manifest("e", 3)), out)
    assert [f.code for f in out.failures] == [code]


def test_an_option_with_more_votes_than_ballots(rec: Path) -> None:
    """A vote-for-up-to-k protocol whose total stays within k × valid, but one option has
    more votes than there are valid ballots: votes moved from another option onto it."""
    lines = protocol_lines(rec)
    line = next(
        x
        for x in lines
        if not x["contest"].endswith("-mazhilis")
        and x["counts"]["valid"] > 0
        and len(x["options"]) > 1
    )
    top, other = sorted(line["options"], key=lambda o: -line["options"][o])[:2]
    moved = line["counts"]["valid"] + 1 - line["options"][top]
    line["options"][top] += moved
    line["options"][other] = max(0, line["options"][other] - moved)
    write_protocols(rec, lines)
    rejected(rec, "paper.relations", "relation.option_le_valid", line["station"], only_paper=False)
