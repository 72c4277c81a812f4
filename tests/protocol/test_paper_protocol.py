"""The control relations of a precinct protocol (protocol/paper_protocol.py): each one holding
and broken, a consistent protocol always passing, and one changed line always caught."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from saylau.protocol.paper_protocol import (
    FIELDS,
    RELATION_CODES,
    RELATIONS,
    InvalidProtocolCounts,
    ProtocolCounts,
    check_relations,
    counts_from_json,
    counts_to_json,
)

# 100 voters on the list; 90 ballots received: 80 issued, 6 cancelled, 3 spoiled, 1 lost;
# 79 in the boxes (one voter took the ballot away): 2 invalid, 77 valid = 40 + 30 + 7.
GOOD = ProtocolCounts(100, 90, 80, 6, 3, 1, 79, 2, 77, (40, 30, 7))


def codes(p: ProtocolCounts, **marks: int) -> list[str]:
    return [f.code for f in check_relations(p, **marks)]


def test_a_consistent_protocol_passes_every_relation() -> None:
    assert check_relations(GOOD) == []
    assert check_relations(GOOD, min_marks=0, max_marks=3) == []


@pytest.mark.parametrize(
    ("change", "broken"),
    [
        # more issued than received: the balance cannot hold either
        ({"ballots_issued": 95}, ["issued_le_received", "received_balance"]),
        ({"ballots_lost": 2}, ["received_balance"]),
        ({"ballots_cancelled": 5}, ["received_balance"]),
        ({"ballots_in_boxes": 81, "valid": 79, "options": (42, 30, 7)}, ["in_boxes_le_issued"]),
        ({"invalid": 3}, ["valid_plus_invalid"]),
        ({"valid": 76, "invalid": 3}, ["options_sum_valid"]),
        ({"options": (40, 31, 7)}, ["options_sum_valid"]),
        ({"voters_on_list": 79}, ["issued_le_list"]),
    ],
)
def test_each_relation_broken(change: dict[str, object], broken: list[str]) -> None:
    p = dataclasses.replace(GOOD, **change)  # type: ignore[arg-type]
    assert codes(p) == broken
    for failure in check_relations(p):
        assert failure.message() == RELATIONS[failure.code] % failure.params
        assert failure.relation in RELATION_CODES


def test_up_to_k_options_may_sum_to_at_most_k_times_valid() -> None:
    p = dataclasses.replace(GOOD, options=(77, 77, 77))
    assert codes(p, min_marks=0, max_marks=3) == []
    over = dataclasses.replace(GOOD, options=(77, 77, 78))
    failures = check_relations(over, min_marks=0, max_marks=3)
    assert [f.code for f in failures] == ["options_le_marks", "option_le_valid"]
    assert {f.relation for f in failures} == {"options_sum_valid"}
    assert failures[0].params == {"votes": 232, "max_marks": 3, "limit": 231}
    # a vote-for-exactly-one contest wants the exact sum
    assert codes(p) == ["options_sum_valid"]


def test_no_option_has_more_votes_than_valid_ballots() -> None:
    """Within k × valid in all, but one option marked on more ballots than there are: a
    ballot marks an option at most once, so its share would be above 1."""
    p = dataclasses.replace(GOOD, options=(100, 10, 10))
    failures = check_relations(p, min_marks=0, max_marks=3)
    assert [(f.code, f.params) for f in failures] == [
        ("option_le_valid", {"option": 1, "votes": 100, "valid": 77})
    ]
    assert failures[0].relation == "options_sum_valid"
    assert failures[0].message() == (
        "the votes for option 1 (100) are more than the valid ballots (77)"
    )


def test_messages_name_the_numbers() -> None:
    (f,) = check_relations(dataclasses.replace(GOOD, voters_on_list=70))
    assert f.message() == "ballots issued (80) are more than voters on the list (70)"


@st.composite
def consistent(draw: st.DrawFn) -> ProtocolCounts:
    issued = draw(st.integers(0, 500))
    cancelled, spoiled, lost = (draw(st.integers(0, 50)) for _ in range(3))
    in_boxes = draw(st.integers(0, issued))
    invalid = draw(st.integers(0, in_boxes))
    valid = in_boxes - invalid
    n = draw(st.integers(1, 6))
    cuts = sorted(draw(st.lists(st.integers(0, valid), min_size=n - 1, max_size=n - 1)))
    options = tuple(b - a for a, b in zip([0, *cuts], [*cuts, valid], strict=True))
    return ProtocolCounts(
        voters_on_list=issued + draw(st.integers(0, 50)),
        ballots_received=issued + cancelled + spoiled + lost,
        ballots_issued=issued,
        ballots_cancelled=cancelled,
        ballots_spoiled=spoiled,
        ballots_lost=lost,
        ballots_in_boxes=in_boxes,
        invalid=invalid,
        valid=valid,
        options=options,
    )


@given(consistent())
def test_a_consistently_built_protocol_always_passes(p: ProtocolCounts) -> None:
    assert check_relations(p) == []
    assert check_relations(p, min_marks=0, max_marks=3) == []


@given(consistent(), st.sampled_from(FIELDS[1:]), st.sampled_from((1, -1)))
def test_bumping_any_line_breaks_a_relation(p: ProtocolCounts, name: str, step: int) -> None:
    """Every line but voters_on_list is in an equation, so ±1 on it is always caught."""
    value = getattr(p, name) + step
    if value < 0:
        step, value = 1, getattr(p, name) + 1
    assert check_relations(dataclasses.replace(p, **{name: value}))


@given(consistent(), st.data())
def test_bumping_any_option_breaks_a_relation(p: ProtocolCounts, data: st.DataObject) -> None:
    j = data.draw(st.integers(0, len(p.options) - 1))
    votes = list(p.options)
    votes[j] += 1
    assert codes(dataclasses.replace(p, options=tuple(votes))) == ["options_sum_valid"]


@given(consistent())
def test_fewer_on_the_list_than_issued_is_caught(p: ProtocolCounts) -> None:
    if p.ballots_issued > 0:
        short = dataclasses.replace(p, voters_on_list=p.ballots_issued - 1)
        assert codes(short) == ["issued_le_list"]


OPTIONS = ["a", "b", "c"]


def test_counts_round_trip_through_json() -> None:
    doc = counts_to_json(GOOD, OPTIONS)
    assert counts_from_json(doc["counts"], doc["options"], OPTIONS, "p") == GOOD


@pytest.mark.parametrize(
    ("counts", "options", "code"),
    [
        ([], {"a": 1}, "paper.not_object"),
        ({}, {"a": 1}, "paper.missing"),
        ({**GOOD.lines(), "extra": 1}, {"a": 40, "b": 30, "c": 7}, "paper.unknown_field"),
        ({**GOOD.lines(), "valid": -1}, {"a": 40, "b": 30, "c": 7}, "paper.not_count"),
        ({**GOOD.lines(), "valid": True}, {"a": 40, "b": 30, "c": 7}, "paper.not_count"),
        (GOOD.lines(), {"a": 40, "b": 30}, "paper.missing"),
        (GOOD.lines(), {"a": 40, "b": 30, "c": 7, "d": 0}, "paper.unknown_field"),
        (GOOD.lines(), {"a": 40, "b": 30, "c": "7"}, "paper.not_count"),
    ],
)
def test_unreadable_counts_are_refused(counts: object, options: object, code: str) -> None:
    with pytest.raises(InvalidProtocolCounts) as e:
        counts_from_json(counts, options, OPTIONS, "line 3")
    assert e.value.code == code
    assert "line 3" in str(e.value)
