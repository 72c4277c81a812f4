"""The voting booth in real Chromium on a 360-px phone: a whole vote in kk, ru and en through
the sign-in pages, a Benaloh challenge then a cast, a re-vote, and the page's accessibility
(axe-core) and fit at every step. Screenshots of each step: var/screenshots/booth/."""

from __future__ import annotations

import json

import pytest
from tests.site.browser.booth_world import (
    CITY,
    PEOPLE,
    Booth,
    booth_world,
    decrypt_marks,
    sign_in_cookie,
)
from tests.voting.helpers import last_code

from saylau.board.models import Leaf
from saylau.protocol.ballot import ballot_from_json, verify_ballot

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

#: A word of each language's receipt line "checked in this browser" (voting/booth_text.py)
CHECKED = {"kk": "браузерде", "ru": "браузере", "en": "Checked in this browser"}


@pytest.fixture
def world(members):
    return booth_world(members)


def ballots_of(world, voter) -> list[Leaf]:
    return list(Leaf.objects.filter(election=world.election, credential=voter.credential))


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_a_whole_vote_in_each_language(world, phone, lang):
    voter = world.voters[0]
    booth = Booth(phone, world, f"vote-{lang}")
    slug = world.election.slug
    phone.goto(f"{phone.base}/{lang}/vote/{slug}/")
    phone.fill("input[name=iin]", voter.iin)
    phone.fill("input[name=phone]", voter.phone)
    phone.click("main form button[type=submit]")
    phone.fill("input[name=code]", last_code())
    phone.click("main form button[type=submit]")
    phone.wait_for_selector("#open-booth")
    booth.shot("signed-in")
    phone.click("#open-booth")
    phone.wait_for_selector("body[data-booth=ready]")
    assert phone.locator("html").get_attribute("lang") == lang
    assert CITY[voter.district][lang] in phone.inner_text("main")
    booth.shot("code")
    booth.enter_code(voter.code)
    assert booth.step() == "step-ballot"
    assert PEOPLE[0][lang] in phone.inner_text("#step-ballot")
    booth.mark(0, 1)
    booth.mark(1, 0, 2)
    booth.shot("ballot")
    booth.review()
    review = phone.inner_text("#review-list")
    assert PEOPLE[1][lang] in review and PEOPLE[2][lang] in review
    booth.shot("review")
    code = booth.encrypt()
    booth.shot("encrypted")
    booth.cast()
    receipt = booth.receipt()
    booth.shot("receipt")
    assert receipt["code"] == code
    assert CHECKED[lang] in receipt["check"]
    assert not phone.problems, phone.problems

    # on the board: the ballot the browser made, verified by the Python core, with its marks
    (leaf,) = ballots_of(world, voter)
    assert leaf.tracking_code == code and str(leaf.index) == receipt["leaf"]
    raw = json.loads(bytes(leaf.data))["ballot"]
    verify_ballot(world.ctx, ballot_from_json(raw), None)
    assert decrypt_marks(world, raw) == {
        f"{voter.district}-mazhilis": [0, 1, 0, 0],
        f"{voter.district}-maslikhat": [1, 0, 1, 0, 0, 0],
    }
