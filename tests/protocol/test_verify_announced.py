"""Tamperings of what a record announces: results.json, tally.json and the district lists of
credentials.json and roll.json must be exactly what the record counted and the manifest
defines. Each case edits one document, reseals the record (as a forger would) and must be
rejected with the right check, item and code."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from saylau.protocol.canonical import canonical_json
from saylau.record.verify import verify_record
from tests.protocol import forgery as F
from tests.protocol import test_verify_tamper as T

Edit = Callable[[Any], Any]

pristine, record = T.pristine, T.record  # the tamper suite's record, as fixtures


def edit(rec: Path, name: str, fn: Edit) -> None:
    doc = json.loads((rec / name).read_text())
    doc = fn(doc) or doc
    (rec / name).write_bytes(canonical_json(doc))
    F.reseal(rec)


def codes(rec: Path) -> list[tuple[str, str, str]]:
    return [(f.check, f.item, f.code) for f in verify_record(rec, workers=1).failures]


def first(doc: dict[str, Any]) -> tuple[str, str, str]:
    d = next(iter(doc["districts"]))
    c = next(iter(doc["districts"][d]["contests"]))
    o = next(iter(doc["districts"][d]["contests"][c]))
    return d, c, o


def test_a_made_up_option_with_1000_votes(record: Path) -> None:
    def add(doc: dict[str, Any]) -> None:
        d, c, _ = first(doc)
        doc["districts"][d]["contests"][c]["made-up-candidate"] = 1000

    edit(record, "results.json", add)
    d, c, _ = first(json.loads((record / "results.json").read_text()))
    assert codes(record) == [("results", f"{d}/{c}/made-up-candidate", "results.extra_option")]


def test_a_made_up_contest(record: Path) -> None:
    def add(doc: dict[str, Any]) -> None:
        d, _, _ = first(doc)
        doc["districts"][d]["contests"]["senate"] = {"someone": 1000}

    edit(record, "results.json", add)
    d, _, _ = first(json.loads((record / "results.json").read_text()))
    assert codes(record) == [("results", f"{d}/senate", "results.extra_contest")]


def test_an_option_left_out(record: Path) -> None:
    def drop(doc: dict[str, Any]) -> None:
        d, c, o = first(doc)
        del doc["districts"][d]["contests"][c][o]

    before = json.loads((record / "results.json").read_text())
    edit(record, "results.json", drop)
    d, c, o = first(before)
    assert codes(record) == [("results", f"{d}/{c}/{o}", "results.option_missing")]


def test_a_contest_left_out(record: Path) -> None:
    before = json.loads((record / "results.json").read_text())
    d, c, _ = first(before)
    edit(record, "results.json", lambda doc: doc["districts"][d]["contests"].pop(c) and None)
    assert codes(record) == [("results", f"{d}/{c}", "results.contest_missing")]


def test_a_made_up_district(record: Path) -> None:
    def add(doc: dict[str, Any]) -> None:
        doc["districts"]["KZ-99"] = {"ballots_counted": 0, "contests": {}}

    edit(record, "results.json", add)
    assert codes(record) == [("results", "district KZ-99", "results.extra_district")]


@pytest.mark.parametrize(
    ("fn", "item", "code"),
    [
        (lambda doc: doc.update(note="unofficial"), "results.json", "results.extra_key"),
        (lambda doc: doc.update(districts=[]), "results.json districts", "results.not_object"),
        (lambda doc: [doc], "results.json", "results.not_object"),
    ],
)
def test_results_json_of_another_shape(record: Path, fn: Edit, item: str, code: str) -> None:
    edit(record, "results.json", fn)
    assert codes(record) == [("results", item, code)]


def test_extra_key_in_a_district_of_the_results(record: Path) -> None:
    d, _, _ = first(json.loads((record / "results.json").read_text()))
    edit(record, "results.json", lambda doc: doc["districts"][d].update(turnout=99))
    assert codes(record) == [("results", f"district {d}", "results.extra_key")]


def test_true_is_not_a_count_of_one(record: Path) -> None:
    results = json.loads((record / "results.json").read_text())
    found = [
        (d, c, o)
        for d, dd in results["districts"].items()
        for c, cc in dd["contests"].items()
        for o, n in cc.items()
        if n == 1
    ]
    assert found, "the pristine record has a count of 1"
    d, c, o = found[0]
    edit(record, "results.json", lambda doc: doc["districts"][d]["contests"][c].update({o: True}))
    assert codes(record) == [("results", f"{d}/{c}/{o}", "results.count")]


# --- the tally --------------------------------------------------------------------------


def test_tally_json_as_an_array_is_one_coded_failure(record: Path) -> None:
    edit(record, "tally.json", lambda doc: [doc])
    found = codes(record)
    assert found[0] == ("tally", "tally.json", "record.not_object")
    # nothing was counted: the announced results, and the consolidation of the record's paper
    # part (re-derived without online counts), differ from it
    assert all(check in ("results", "consolidation") for check, _, _ in found[1:]), found


def test_tally_districts_not_an_array(record: Path) -> None:
    edit(
        record,
        "tally.json",
        lambda doc: doc.update(districts={d["id"]: d for d in doc["districts"]}),
    )
    assert ("tally", "tally.json districts", "tally.not_array") in codes(record)


def test_tally_contests_not_an_array(record: Path) -> None:
    def mangle(doc: dict[str, Any]) -> None:
        dist = doc["districts"][0]
        dist["contests"] = {c["id"]: c for c in dist["contests"]}

    edit(record, "tally.json", mangle)
    d = json.loads((record / "tally.json").read_text())["districts"][0]["id"]
    assert ("tally", f"district {d} contests", "tally.not_array") in codes(record)


def test_a_duplicate_share_from_one_trustee(record: Path) -> None:
    def twice(doc: dict[str, Any]) -> None:
        opt = doc["districts"][0]["contests"][0]["options"][0]
        opt["shares"].append(opt["shares"][0])

    edit(record, "tally.json", twice)
    tally = json.loads((record / "tally.json").read_text())
    d, c = tally["districts"][0], tally["districts"][0]["contests"][0]
    item = f"{d['id']}/{c['id']}/{c['options'][0]['id']}"
    found = codes(record)
    assert ("tally.decryption", item, "tally.share_twice") in found


def test_a_tally_district_the_manifest_does_not_have(record: Path) -> None:
    def add(doc: dict[str, Any]) -> None:
        doc["districts"].append({**doc["districts"][0], "id": "KZ-99"})

    edit(record, "tally.json", add)
    assert codes(record) == [("tally", "district KZ-99", "tally.extra")]


# --- the district lists of credentials.json and roll.json -----------------------------


def test_credentials_and_roll_for_a_district_the_manifest_does_not_have(record: Path) -> None:
    creds = json.loads((record / "credentials.json").read_text())
    d = next(iter(creds["districts"]))
    moved = creds["districts"][d][:1]

    def cut(doc: dict[str, Any]) -> None:
        doc["districts"][d] = doc["districts"][d][1:]
        doc["districts"]["KZ-99"] = moved

    def recount(doc: dict[str, Any]) -> None:
        doc["districts"][d] -= 1
        doc["districts"]["KZ-99"] = 1

    edit(record, "credentials.json", cut)
    edit(record, "roll.json", recount)
    found = [x for x in codes(record) if x[0] == "credentials"]
    assert found == [
        ("credentials", "credentials.json", "credentials.district_unknown"),
        ("credentials", "roll.json", "credentials.district_unknown"),
    ]


def test_a_manifest_district_missing_from_both_lists(record: Path) -> None:
    d = next(iter(json.loads((record / "roll.json").read_text())["districts"]))
    edit(record, "credentials.json", lambda doc: doc["districts"].pop(d) and None)
    edit(record, "roll.json", lambda doc: doc["districts"].pop(d) and None)
    found = [x for x in codes(record) if x[0] == "credentials"]
    assert found == [
        ("credentials", "credentials.json", "credentials.district_missing"),
        ("credentials", "roll.json", "credentials.district_missing"),
    ]


def test_roll_districts_not_an_object(record: Path) -> None:
    edit(record, "roll.json", lambda doc: doc.update(districts=[1, 2, 3]))
    assert ("credentials", "credentials.json", "roll.districts") in codes(record)


def test_identity_as_joint_key_stops_verification(record: Path) -> None:
    edit(record, "election.json", lambda doc: doc.update(joint_public_key="00" * 32))
    assert codes(record) == [("election", "election.json", "election.identity_key")]


def test_a_tally_district_listed_twice(record: Path) -> None:
    tally = json.loads((record / "tally.json").read_text())
    d = tally["districts"][0]["id"]
    edit(record, "tally.json", lambda doc: doc["districts"].append(doc["districts"][0]))
    assert codes(record) == [("tally", f"tally.json districts {d}", "tally.repeated_id")]
