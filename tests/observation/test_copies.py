"""Protocol copies: read like a commission's protocol, kept with the relations they break,
and two copies of one station compared field by field."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from saylau.observation import accreditation as acc
from saylau.observation.copies import compare
from saylau.observation.errors import InvalidSubmission
from saylau.observation.submissions import Sent, submit
from tests.observation.world import END, NOW, START
from tests.paper.entry_world import CONTEST, good_counts


@pytest.fixture
def two(ow):
    acc.assign(ow.users["coord"], ow.observers["obs1"], ow.station, "primary", START, END)
    acc.assign(ow.users["coord_b"], ow.observers["obs_b"], ow.station, "primary", START, END)
    return ow


def send_copy(ow, name, typed, contest=CONTEST):
    payload = {"contest": contest, "counts": typed.counts, "options": typed.options}
    sent = Sent(uuid.uuid4(), "protocol_copy", "S-75", NOW, payload)
    return submit(ow.observers[name], sent, NOW + dt.timedelta(minutes=1))[0]


def test_two_equal_copies_agree(two, english):
    send_copy(two, "obs1", good_counts())
    send_copy(two, "obs_b", good_counts())
    result = compare(two.station, CONTEST)
    assert len(result.copies) == 2 and result.agree and result.differing == []
    assert all(c.failures == [] for c in result.copies)


def test_copies_that_differ_name_the_lines(two, english):
    send_copy(two, "obs1", good_counts())
    send_copy(two, "obs_b", good_counts(valid=77, invalid=3, o1=39))
    result = compare(two.station, CONTEST)
    assert not result.agree
    assert result.differing == [
        ("counts", "invalid"),
        ("counts", "valid"),
        ("options", f"{CONTEST}-1"),
    ]
    values = [c.values[("counts", "valid")] for c in result.copies]
    assert values == [78, 77]


def test_a_copy_breaking_a_relation_is_kept_with_the_relation(two, english):
    stored = send_copy(two, "obs1", good_counts(valid=70))
    assert stored.status == "accepted"
    (copy,) = compare(two.station, CONTEST).copies
    assert any("valid + invalid" in text for text in copy.failures)


@pytest.mark.parametrize(
    ("typed", "contest"),
    [
        (good_counts(), "no-such-contest"),
        (type(good_counts())({"valid": 1}, good_counts().options), CONTEST),
        (type(good_counts())({**good_counts().counts, "valid": -1}, {}), CONTEST),
    ],
)
def test_an_unreadable_copy_is_refused_and_not_stored(two, typed, contest):
    with pytest.raises(InvalidSubmission):
        send_copy(two, "obs1", typed, contest)
    assert compare(two.station, CONTEST).copies == []
