"""Sanctions acting on the consolidation (protocol/consolidation.py, docs/protocol.md §14.3):
each kind changes the consolidated result as specified, and the checks of protocol.sanctions
refuse a sanction that names something the election does not have."""

from __future__ import annotations

from typing import Any

import pytest

from saylau.protocol.consolidation import consolidate
from saylau.protocol.manifest import Manifest, manifest_from_json
from saylau.protocol.sanctions import (
    ANNUL_DISTRICT,
    ANNUL_STATION,
    DEREGISTER_CANDIDATE,
    INVALID,
    WARNING,
    Sanction,
    SanctionProblem,
    check,
    document,
    from_document,
    problems,
)
from saylau.simulate.manifest_gen import make_manifest


@pytest.fixture(scope="module")
def manifest() -> Manifest:
    return manifest_from_json(make_manifest("sanctions-test", 2))


def ids(m: Manifest) -> tuple[str, str, str]:
    """(district, its vote-for-one contest, the other district)."""
    d = m.districts[0].id
    return d, f"{d}-mazhilis", m.districts[1].id


def online(m: Manifest) -> dict[str, Any]:
    """Candidate 01 leads online with 30, 02 has 25, against all 2 (vote for one)."""
    d, c, _ = ids(m)
    return {
        d: {"ballots_counted": 57, "contests": {c: {f"{c}-01": 30, f"{c}-02": 25, f"{c}-aa": 2}}}
    }


def protocol(m: Manifest, station: str, a: int, b: int, invalid: int = 1) -> dict[str, Any]:
    d, c, _ = ids(m)
    votes = {o.id: 0 for o in m.contest(c).options}
    votes.update({f"{c}-01": a, f"{c}-02": b})
    return {
        "station": station,
        "district": d,
        "contest": c,
        "counts": {"valid": a + b, "invalid": invalid},
        "options": votes,
    }


def protocols(m: Manifest) -> list[dict[str, Any]]:
    """P-1 gives 02 ten votes: 01 40 − 35 02 with both stations; 01 30 − 25 without P-1."""
    return [protocol(m, "P-1", 0, 10), protocol(m, "P-2", 0, 0, invalid=2)]


def sanction(n: int, kind: str, **where: str) -> Sanction:
    return Sanction(f"S-{n}", kind, f"PCC-{n}", "2026-06-01T10:00:00Z", **where)


def entry(doc: dict[str, Any], m: Manifest) -> dict[str, Any]:
    d, c, _ = ids(m)
    found: dict[str, Any] = doc["districts"][d]["contests"][c]
    return found


def test_no_sanction_leaves_the_document_as_before(manifest: Manifest) -> None:
    doc = consolidate(manifest, online(manifest), protocols(manifest))
    assert set(doc) == {"schema", "recount_margin", "districts"}
    e = entry(doc, manifest)
    assert set(e) == {
        "online",
        "paper",
        "paper_valid",
        "paper_invalid",
        "paper_stations",
        "total",
        "winners",
        "tie",
        "margin",
        "recount",
    }
    _, c, _ = ids(manifest)
    assert (e["total"][f"{c}-01"], e["total"][f"{c}-02"], e["winners"]) == (30, 35, [f"{c}-02"])


def test_a_warning_changes_no_count_but_is_listed(manifest: Manifest) -> None:
    plain = consolidate(manifest, online(manifest), protocols(manifest))
    warned = consolidate(
        manifest, online(manifest), protocols(manifest), sanctions=[sanction(1, WARNING)]
    )
    assert warned.pop("sanctions") == ["S-1"]
    assert warned.pop("deregistered_votes") == "set_aside"
    assert warned == plain


def test_an_annulled_station_leaves_the_sums_and_the_winner_changes(manifest: Manifest) -> None:
    _, c, _ = ids(manifest)
    s = [sanction(1, ANNUL_STATION, station="P-1")]
    e = entry(consolidate(manifest, online(manifest), protocols(manifest), sanctions=s), manifest)
    assert e["annulled_stations"] == ["P-1"]
    assert (e["paper_stations"], e["paper_valid"], e["paper_invalid"]) == (1, 0, 2)
    assert e["paper"][f"{c}-02"] == 0 and e["total"][f"{c}-02"] == 25
    assert e["winners"] == [f"{c}-01"]  # 30 against 25: P-1's ten votes no longer count


def test_a_deregistered_candidate_is_excluded_and_cannot_win(manifest: Manifest) -> None:
    d, c, _ = ids(manifest)
    s = [sanction(1, DEREGISTER_CANDIDATE, district=d, contest=c, option=f"{c}-02")]
    doc = consolidate(manifest, online(manifest), protocols(manifest), sanctions=s)
    e = entry(doc, manifest)
    assert e["excluded"] == {f"{c}-02": 35}
    assert e["online"][f"{c}-02"] == 25 and e["paper"][f"{c}-02"] == 10  # as counted
    assert e["total"][f"{c}-02"] == 0
    assert e["invalid"] == e["paper_invalid"] == 3  # set aside: not invalid
    assert e["winners"] == [f"{c}-01"]
    assert doc["deregistered_votes"] == "set_aside"


def test_the_invalid_rule_adds_the_excluded_votes_to_invalid(manifest: Manifest) -> None:
    d, c, _ = ids(manifest)
    s = [sanction(1, DEREGISTER_CANDIDATE, district=d, contest=c, option=f"{c}-02")]
    doc = consolidate(
        manifest, online(manifest), protocols(manifest), sanctions=s, vote_rule=INVALID
    )
    e = entry(doc, manifest)
    assert e["invalid"] == 3 + 35
    assert e["paper_invalid"] == 3
    assert doc["deregistered_votes"] == "invalid"


def test_a_deregistration_in_every_district_names_no_district(manifest: Manifest) -> None:
    _, c, other = ids(manifest)
    s = [sanction(1, DEREGISTER_CANDIDATE, contest=c, option=f"{c}-01")]
    doc = consolidate(manifest, online(manifest), protocols(manifest), sanctions=s)
    assert entry(doc, manifest)["excluded"] == {f"{c}-01": 30}
    assert all("excluded" not in e for e in doc["districts"][other]["contests"].values())
    check(manifest, s, {})


def test_an_annulled_district_has_no_winner_and_says_so(manifest: Manifest) -> None:
    d, c, other = ids(manifest)
    doc = consolidate(
        manifest,
        online(manifest),
        protocols(manifest),
        sanctions=[sanction(1, ANNUL_DISTRICT, district=d)],
    )
    for e in doc["districts"][d]["contests"].values():
        assert e["annulled"] is True
        assert (e["winners"], e["tie"], e["margin"], e["recount"]) == ([], False, None, False)
    assert entry(doc, manifest)["total"][f"{c}-01"] == 30  # what was counted stays shown
    assert all("annulled" not in e for e in doc["districts"][other]["contests"].values())


def test_one_contest_of_a_district_annulled(manifest: Manifest) -> None:
    d, c, _ = ids(manifest)
    s = [sanction(1, ANNUL_DISTRICT, district=d, contest=f"{d}-maslikhat")]
    doc = consolidate(manifest, online(manifest), protocols(manifest), sanctions=s)
    assert doc["districts"][d]["contests"][f"{d}-maslikhat"]["annulled"] is True
    assert "annulled" not in entry(doc, manifest)
    assert entry(doc, manifest)["winners"] == [f"{c}-02"]


STATIONS = {"P-1": "astana", "P-2": "astana"}


@pytest.mark.parametrize(
    ("where", "code"),
    [
        ({"kind": "ban"}, "sanction.kind"),
        ({"kind": ANNUL_STATION, "station": "P-9"}, "sanction.station"),
        (
            {"kind": ANNUL_STATION, "station": "P-1", "district": "almaty"},
            "sanction.station_district",
        ),
        ({"kind": ANNUL_STATION, "station": "P-1", "option": "x"}, "sanction.field"),
        ({"kind": ANNUL_DISTRICT}, "sanction.no_district"),
        ({"kind": ANNUL_DISTRICT, "district": "nowhere"}, "sanction.district"),
        (
            {"kind": ANNUL_DISTRICT, "district": "astana", "contest": "almaty-mazhilis"},
            "sanction.contest",
        ),
        ({"kind": DEREGISTER_CANDIDATE, "contest": "c9", "option": "o"}, "sanction.contest"),
        (
            {
                "kind": DEREGISTER_CANDIDATE,
                "district": "almaty",
                "contest": "astana-mazhilis",
                "option": "astana-mazhilis-01",
            },
            "sanction.contest",
        ),
        (
            {
                "kind": DEREGISTER_CANDIDATE,
                "contest": "astana-mazhilis",
                "option": "astana-mazhilis-aa",
            },
            "sanction.option",
        ),
        (
            {"kind": DEREGISTER_CANDIDATE, "contest": "astana-mazhilis", "option": "nobody"},
            "sanction.option",
        ),
    ],
)
def test_a_sanction_that_does_not_fit_is_refused(
    manifest: Manifest, where: dict[str, str], code: str
) -> None:
    kind = where.pop("kind")
    bad = sanction(1, kind, **where)
    assert [p.code for p in problems(manifest, [bad], STATIONS)] == [code]
    with pytest.raises(SanctionProblem) as caught:
        check(manifest, [bad], STATIONS)
    assert caught.value.code == code and caught.value.item == "sanction S-1"


def test_a_repeated_id_is_refused(manifest: Manifest) -> None:
    s = sanction(1, WARNING)
    assert [p.code for p in problems(manifest, [s, s], STATIONS)] == ["sanction.duplicate"]


def test_the_document_round_trips(manifest: Manifest) -> None:
    items = (sanction(1, WARNING), sanction(2, ANNUL_STATION, station="P-2"))
    assert from_document(document(items, INVALID)) == (INVALID, items)


@pytest.mark.parametrize(
    ("doc", "code"),
    [
        ({"schema": "saylau-sanctions/2"}, "sanction.schema"),
        ({"schema": "saylau-sanctions/1", "deregistered_votes": "set_aside"}, "sanctions.keys"),
        (
            {"schema": "saylau-sanctions/1", "deregistered_votes": "drop", "sanctions": []},
            "sanction.rule",
        ),
        (
            {"schema": "saylau-sanctions/1", "deregistered_votes": "invalid", "sanctions": {}},
            "sanctions.not_list",
        ),
        (
            {
                "schema": "saylau-sanctions/1",
                "deregistered_votes": "invalid",
                "sanctions": [{"id": "S"}],
            },
            "sanction.keys",
        ),
        (
            {
                "schema": "saylau-sanctions/1",
                "deregistered_votes": "invalid",
                "sanctions": [{"id": "S", "kind": "warning", "decision": "", "decided_at": "x"}],
            },
            "sanction.text",
        ),
    ],
)
def test_a_malformed_document_is_refused(doc: dict[str, Any], code: str) -> None:
    with pytest.raises(SanctionProblem) as caught:
        from_document(doc)
    assert caught.value.code == code
