"""The consolidation rule (protocol/consolidation.py): winners, the bar, ties, margins and the
recount flag; online + paper per district and contest, the highest revision counting."""

from __future__ import annotations

from typing import Any

import pytest

from saylau.protocol.consolidation import CONSOLIDATION_SCHEMA, consolidate, decide
from saylau.protocol.documents import consolidation_document, counting_protocols
from saylau.protocol.manifest import Contest, Manifest, manifest_from_json
from saylau.simulate.manifest_gen import make_manifest

# Each district of the synthetic manifest has "<d>-mazhilis" (vote for exactly 1 of 11
# candidates or against all) and "<d>-maslikhat" (vote for up to 3 of 7, or against all).


@pytest.fixture(scope="module")
def manifest() -> Manifest:
    return manifest_from_json(make_manifest("consolidation-test", 2))


def contest(manifest: Manifest, kind: str) -> Contest:
    return manifest.contest(f"{manifest.districts[0].id}-{kind}")


def totals(c: Contest, **votes: int) -> dict[str, int]:
    """Totals by short name: "o1" is the contest's first candidate, "aa" against all."""
    out = {o.id: 0 for o in c.options}
    for short, n in votes.items():
        out[f"{c.id}-aa" if short == "aa" else f"{c.id}-{int(short[1:]):02d}"] = n
    return out


def test_exactly_one_seat(manifest: Manifest) -> None:
    c = contest(manifest, "mazhilis")
    d = decide(c, totals(c, o1=50, o2=40, o3=10, aa=5), 2)
    assert d.winners == (f"{c.id}-01",)
    assert (d.tie, d.margin, d.recount) == (False, 10, False)  # bar = 40 (the runner-up)


def test_up_to_three_seats(manifest: Manifest) -> None:
    c = contest(manifest, "maslikhat")
    d = decide(c, totals(c, o1=90, o2=80, o3=70, o4=60, aa=20), 2)
    assert d.winners == (f"{c.id}-01", f"{c.id}-02", f"{c.id}-03")
    assert (d.tie, d.margin, d.recount) == (False, 10, False)  # bar = 60 (the 4th)


def test_against_all_above_a_candidate_leaves_the_seat_empty(manifest: Manifest) -> None:
    c = contest(manifest, "maslikhat")
    d = decide(c, totals(c, o1=90, o2=80, o3=30, o4=10, aa=50), 2)
    assert d.winners == (f"{c.id}-01", f"{c.id}-02")  # o3 is under the bar of 50
    assert (d.tie, d.margin, d.recount) == (False, 30, False)


def test_against_all_winning(manifest: Manifest) -> None:
    c = contest(manifest, "mazhilis")
    d = decide(c, totals(c, o1=30, o2=20, aa=45), 2)
    assert d.winners == ()
    assert (d.tie, d.margin, d.recount) == (False, 15, False)  # bar 45 − best 30


def test_tie_at_the_seat_boundary(manifest: Manifest) -> None:
    c = contest(manifest, "maslikhat")
    d = decide(c, totals(c, o1=90, o2=80, o3=60, o4=60, aa=5), 2)
    assert d.winners == (f"{c.id}-01", f"{c.id}-02")  # the third seat is tied
    assert (d.tie, d.margin, d.recount) == (True, 0, True)
    one = contest(manifest, "mazhilis")
    d = decide(one, totals(one, o1=7, o2=7), 2)
    assert (d.winners, d.tie, d.recount) == ((), True, True)


def test_a_two_vote_margin_is_flagged_and_three_is_not(manifest: Manifest) -> None:
    c = contest(manifest, "mazhilis")
    close = decide(c, totals(c, o1=52, o2=50), 2)
    assert (close.winners, close.margin, close.recount) == ((f"{c.id}-01",), 2, True)
    clear = decide(c, totals(c, o1=53, o2=50), 2)
    assert (clear.margin, clear.recount) == (3, False)
    assert decide(c, totals(c, o1=53, o2=50), 3).recount  # the threshold is the election's


def test_a_contest_without_votes_is_no_recount(manifest: Manifest) -> None:
    c = contest(manifest, "mazhilis")
    d = decide(c, totals(c), 2)
    assert (d.winners, d.tie, d.recount) == ((), False, False)


def _line(
    station: str, district: str, c: Contest, revision: int, votes: list[int], invalid: int = 0
) -> dict[str, Any]:
    valid = sum(votes)
    return {
        "station": station,
        "district": district,
        "contest": c.id,
        "revision": revision,
        "counts": {"valid": valid, "invalid": invalid},
        "options": {o.id: v for o, v in zip(c.options, votes, strict=True)},
    }


def test_online_plus_the_counting_revision(manifest: Manifest) -> None:
    d = manifest.districts[0].id
    c = contest(manifest, "mazhilis")
    n = len(c.options)
    online = {d: {"ballots_counted": 12, "contests": {c.id: {c.options[0].id: 7}}}}
    first = _line("S1", d, c, 1, [3] + [0] * (n - 1), invalid=1)
    recount = _line("S1", d, c, 2, [2, 1] + [0] * (n - 2), invalid=1)
    other = _line("S2", d, c, 1, [0, 4] + [0] * (n - 2))
    assert counting_protocols([recount, other, first]) == [recount, other]
    doc = consolidation_document(manifest, online, [first, recount, other])
    assert doc == consolidate(manifest, online, [recount, other])
    assert doc["schema"] == CONSOLIDATION_SCHEMA and doc["recount_margin"] == 2
    entry = doc["districts"][d]["contests"][c.id]
    assert entry["paper"][c.options[0].id] == 2 and entry["paper"][c.options[1].id] == 5
    assert entry["total"][c.options[0].id] == 9 and entry["total"][c.options[1].id] == 5
    assert (entry["paper_valid"], entry["paper_invalid"], entry["paper_stations"]) == (7, 1, 2)
    assert entry["winners"] == [c.options[0].id] and entry["margin"] == 4
    assert doc["districts"][d]["online_ballots"] == 12
    # a district without online ballots or protocols is there, with zeros
    empty = doc["districts"][manifest.districts[1].id]
    assert empty["online_ballots"] == 0
    assert all(not e["winners"] and not e["recount"] for e in empty["contests"].values())
