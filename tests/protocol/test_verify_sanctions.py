"""A record with sanctions (docs/protocol.md §14): a simulated record whose committee annulled
a station, deregistered two winners and annulled a district verifies; the sanctions changed
its consolidated results; and each tampering with the sanctions or with how they were applied
is rejected. After each change record.json lists exactly the files present with their digests,
as a forger would, so only the checks of §12.10 and §14 can catch it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from saylau.protocol.canonical import canonical_json
from saylau.protocol.documents import CONSOLIDATION, PAPER_FILES, SANCTIONS
from saylau.protocol.failures import MESSAGES
from saylau.protocol.manifest import manifest_from_json
from saylau.protocol.sanctions import INVALID, Sanction, document, from_document
from saylau.record.verify import verify_record
from saylau.simulate.run import SimConfig, run
from saylau.simulate.sanctions import SanctionPlan
from tests.protocol.test_verify_paper import PAPER_CHECKS, edit_json, reseal

CHECKS = PAPER_CHECKS | {"sanctions"}
PLAN = SanctionPlan(annul_stations=1, deregister=2, annul_districts=1, vote_rule=INVALID)


def simulate(out: Path, stations: int, plan: SanctionPlan = PLAN) -> Path:
    run(
        SimConfig(
            voters=50,
            districts=3,
            paper_rate=0.3,
            paper_stations=stations,
            revote_rate=0.1,
            out=out,
            workers=1,
            head_every=16,
            seed="sanctions-tamper",
            sanctions=plan,
        )
    )
    return out


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return simulate(tmp_path_factory.mktemp("sanctioned") / "rec", stations=3)


@pytest.fixture(scope="module")
def unsanctioned(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return simulate(tmp_path_factory.mktemp("plain") / "rec", 3, SanctionPlan())


@pytest.fixture
def rec(pristine: Path, tmp_path: Path) -> Path:
    dst = tmp_path / "rec"
    shutil.copytree(pristine, dst)
    return dst


def failures(rec: Path) -> set[tuple[str, str, str]]:
    reseal(rec)
    return {(f.check, f.item, f.code) for f in verify_record(rec, workers=1).failures}


def rejected(rec: Path, check: str, code: str, item: str = "") -> None:
    found = failures(rec)
    assert any(c == check and k == code and item in i for c, i, k in found), found
    assert {c for c, _, _ in found} <= CHECKS, found


def sanctions_of(rec: Path) -> tuple[str, list[Sanction]]:
    rule, items = from_document(json.loads((rec / SANCTIONS).read_text()))
    return rule, list(items)


def write_sanctions(rec: Path, rule: str, items: list[Sanction]) -> None:
    (rec / SANCTIONS).write_bytes(canonical_json(document(items, rule)))


def contests(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return [c for d in doc["districts"].values() for c in d["contests"].values()]


def test_the_sanctioned_record_verifies(pristine: Path) -> None:
    report = verify_record(pristine, workers=1)
    assert report.ok, report.failures
    assert report.stats["sanctions"] == 5  # a warning, a station, two winners, a district
    assert report.consolidation == json.loads((pristine / CONSOLIDATION).read_text())


def test_each_sanction_changed_the_consolidated_results(pristine: Path, unsanctioned: Path) -> None:
    plain = json.loads((unsanctioned / CONSOLIDATION).read_text())
    doc = json.loads((pristine / CONSOLIDATION).read_text())
    _, items = sanctions_of(pristine)
    by_kind = {s.kind: s for s in items}
    station = by_kind["annul_station"].station
    annulled = [c for c in contests(doc) if station in c.get("annulled_stations", [])]
    assert annulled and all(c["paper_stations"] >= 0 for c in annulled)
    for s in (s for s in items if s.kind == "deregister_candidate"):
        assert s.district and s.contest and s.option
        before = plain["districts"][s.district]["contests"][s.contest]
        after = doc["districts"][s.district]["contests"][s.contest]
        assert s.option in before["winners"] and s.option not in after["winners"]
        assert after["total"][s.option] == 0 and after["excluded"][s.option] > 0
        assert after["invalid"] == after["paper_invalid"] + sum(after["excluded"].values())
    district = by_kind["annul_district"].district
    assert district is not None
    for c in doc["districts"][district]["contests"].values():
        assert c["annulled"] and c["winners"] == [] and not c["recount"]
    assert any(c["winners"] for c in plain["districts"][district]["contests"].values())


def test_a_sanction_removed(rec: Path) -> None:
    rule, items = sanctions_of(rec)
    write_sanctions(rec, rule, [s for s in items if s.kind != "annul_district"])
    rejected(rec, "consolidation", "consolidation.differs", "consolidation.json")
    rejected(rec, "consolidation", "consolidation.extra")  # the annulled contests say so


def test_a_warning_removed(rec: Path) -> None:
    rule, items = sanctions_of(rec)
    write_sanctions(rec, rule, [s for s in items if s.kind != "warning"])
    rejected(rec, "consolidation", "consolidation.differs", "consolidation.json")


def test_a_sanction_added(rec: Path) -> None:
    rule, items = sanctions_of(rec)
    d = manifest_from_json(json.loads((rec / "manifest.json").read_text())).districts[1].id
    extra = Sanction("S-0099", "annul_district", "PCC-X", "2026-06-03T00:00:00Z", district=d)
    write_sanctions(rec, rule, [*items, extra])
    rejected(rec, "consolidation", "consolidation.missing", d)


def test_an_annulled_station_that_does_not_exist(rec: Path) -> None:
    rule, items = sanctions_of(rec)
    items = [
        Sanction(s.id, s.kind, s.decision, s.decided_at, station="PS-9999")
        if s.kind == "annul_station"
        else s
        for s in items
    ]
    write_sanctions(rec, rule, items)
    rejected(rec, "sanctions", "sanction.station", "sanction S-0002")


def test_the_vote_rule_changed(rec: Path) -> None:
    _, items = sanctions_of(rec)
    write_sanctions(rec, "set_aside", items)
    found = failures(rec)
    assert ("consolidation", CONSOLIDATION, "consolidation.differs") in found, found
    for s in (s for s in items if s.kind == "deregister_candidate"):
        # the excluded votes are no longer invalid
        assert ("consolidation", f"{s.district}/{s.contest}", "consolidation.differs") in found


def test_a_consolidation_that_ignores_a_sanction(rec: Path) -> None:
    """The consolidation re-derived with the deregistration left out, its list of sanctions
    still complete: the numbers give it away."""
    _, items = sanctions_of(rec)
    dropped = next(s for s in items if s.kind == "deregister_candidate")
    assert dropped.district and dropped.contest and dropped.option

    def forge(doc: dict[str, Any]) -> None:
        entry = doc["districts"][dropped.district]["contests"][dropped.contest]
        del entry["excluded"], entry["invalid"]
        votes = entry["online"][dropped.option] + entry["paper"][dropped.option]
        entry["total"][dropped.option] = votes

    edit_json(rec, CONSOLIDATION, forge)
    rejected(rec, "consolidation", "consolidation.missing", f"{dropped.district}/{dropped.contest}")
    rejected(rec, "consolidation", "consolidation.differs", f"{dropped.district}/{dropped.contest}")


def test_sanctions_json_deleted(rec: Path) -> None:
    (rec / SANCTIONS).unlink()
    rejected(rec, "consolidation", "consolidation.extra", "consolidation.json")


def test_sanctions_json_without_the_consolidation(tmp_path: Path) -> None:
    rec = simulate(tmp_path / "rec", stations=0, plan=SanctionPlan(deregister=1))
    assert verify_record(rec, workers=1).ok
    assert json.loads((rec / PAPER_FILES[0]).read_text())["stations"] == []
    for name in PAPER_FILES:
        (rec / name).unlink()
    for name in PAPER_FILES:
        rejected(rec, "sanctions", "sanctions.paper_missing", name)


@pytest.mark.parametrize(
    ("edit", "code", "item"),
    [
        (lambda d: d.update(schema="saylau-sanctions/0"), "sanction.schema", SANCTIONS),
        (lambda d: d.update(note="x"), "sanctions.keys", SANCTIONS),
        (lambda d: d.update(deregistered_votes="drop"), "sanction.rule", SANCTIONS),
        (lambda d: d["sanctions"][1].update(kind="ban"), "sanction.kind", "sanction S-0002"),
        (lambda d: d["sanctions"][1].update(station=7), "sanction.text", "sanction 1"),
        (lambda d: d["sanctions"][1].update(reason="x"), "sanction.keys", "sanction 1"),
        (lambda d: d["sanctions"][2].update(id="S-0001"), "sanction.duplicate", "sanction S-0001"),
    ],
)
def test_a_malformed_sanctions_json(rec: Path, edit: Any, code: str, item: str) -> None:
    edit_json(rec, SANCTIONS, edit)
    rejected(rec, "sanctions", code, item)
    assert not any(c == "consolidation" for c, _, _ in failures(rec))  # STOP: not re-derived


def test_every_sanction_code_has_a_message() -> None:
    codes = {
        "sanctions.paper_missing",
        "sanction.schema",
        "sanctions.keys",
        "sanction.rule",
        "sanctions.not_list",
        "sanction.keys",
        "sanction.text",
        "sanction.duplicate",
        "sanction.kind",
        "sanction.field",
        "sanction.district",
        "sanction.no_district",
        "sanction.contest",
        "sanction.option",
        "sanction.station",
        "sanction.station_district",
    }
    assert codes <= set(MESSAGES)
