"""A refused ballot's reason is chosen by the code of the check that failed, not by its text:
each failing check through the real cast API, in English and Russian."""

from __future__ import annotations

import copy

import pytest

from saylau.protocol.canonical import canonical_json
from saylau.protocol.errors import BALLOT_CHECKS, InvalidBallot
from saylau.voting.refusals import refused

pytestmark = pytest.mark.django_db


def _reversed(proof: dict) -> dict:
    """The same scalars, challenges and responses swapped: no longer a proof."""
    return {"challenges": proof["responses"], "responses": proof["challenges"]}


def _broken(raw: dict, what: str) -> dict:
    out = copy.deepcopy(raw)
    contest = out["contests"][0]
    if what == "mark_proof":
        contest["choices"][0]["proof"] = _reversed(contest["choices"][0]["proof"])
    elif what == "range_proof":
        contest["range_proof"] = _reversed(contest["range_proof"])
    elif what == "election":
        out["election"] = "ab" * 32
    elif what == "contests":
        contest["id"] = "no-such-contest"
    return out


@pytest.mark.parametrize(
    ("what", "en", "ru"),
    [
        ("mark_proof", "the proof of a mark does not verify", "доказательство отметки не"),
        ("range_proof", "the proof of the number of marks", "числа отметок"),
        ("election", "it was made for another election", "для других выборов"),
        ("contests", "its contests do not match", "не соответствуют"),
    ],
)
def test_each_failed_check_is_named_in_the_voters_language(world, api, what, en, ru):
    voter = world.voters[0]
    token = api.sign_in(voter)
    body = canonical_json(_broken(world.ballot(voter).raw, what))
    for language, words in (("en", en), ("ru", ru)):
        response = api.post("/ballots", body, token=token, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 400, response.content
        error = response.json()["error"]
        assert error["code"] == "ballot.invalid"
        assert words in error["message"], error["message"]


def test_every_check_code_has_its_own_reason():
    reasons = {code: str(refused(InvalidBallot("detail", code))) for code in BALLOT_CHECKS}
    assert len(set(reasons.values())) == len(BALLOT_CHECKS)
    # an unknown code is the generic reason, never another check's
    assert str(refused(InvalidBallot("detail", "other"))) == reasons["malformed"]
