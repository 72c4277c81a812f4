"""The "check my ballot" page in real Chromium: the browser verifies the board's answer for a
receipt's tracking code itself (signed head, inclusion, the leaf's ballot, a re-vote that
replaced it), and shows an answer the test tampers with (page.route) as failing, naming what
failed, in kk, ru and en."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext
from tests.site.browser.audit import audit
from tests.site.browser.axe import axe_violations
from tests.site.pages_world import page_world
from tests.voting.helpers import Api

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BALLOTS = "**/api/voting/*/board/ballots/*"


@pytest.fixture
def world(members):
    """A cast by voter 0, a cast by voter 1, then a re-vote by voter 0 (replacing the first)."""
    world = page_world(members, ip_policy="flag")
    api = Api(Client(), world.election.slug)
    first, other = world.voters[0], world.voters[1]
    token = api.sign_in(first)
    world.replaced = api.cast(world.ballot(first, 0), token).json()
    world.other = api.cast(world.ballot(other, 1), api.sign_in(other)).json()
    world.revote = api.cast(world.ballot(first, 1, seed="again"), token).json()
    assert world.revote["kind"] == "revote"
    return world


def said(lang: str, text: str) -> str:
    with translation.override(lang):
        return gettext(text)


def server_time(lang: str, ms: int, what: str = "text") -> str:
    """The text (or the datetime attribute) of {% local_time ms %} in `lang`."""
    import re
    from html import unescape

    from saylau.site.templatetags.saylau_pages import local_time

    with translation.override(lang):
        html = str(local_time(ms))
    if what == "datetime":
        return re.search(r'datetime="([^"]+)"', html).group(1)
    return unescape(re.sub(r"<[^>]+>", "", html))


def verdict(page) -> str:
    """Waits for the page's verdict on the check it started; returns it."""
    found = page.locator("#check-result [data-verdict]:not([data-verdict=checking])")
    found.wait_for()
    return found.get_attribute("data-verdict")


def check_url(page, world, lang: str, code: str = "") -> str:
    return f"{page.base}/{lang}/board/{world.election.slug}/check/" + (f"#{code}" if code else "")


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_a_receipt_is_verified_in_the_browser(world, phone, lang):
    code = world.other["receipt"]["tracking_code"]
    phone.goto(check_url(phone, world, lang, code))
    assert verdict(phone) == "verified"
    text = phone.locator("main").inner_text()
    assert said(lang, "Verified: this ballot is on the bulletin board.") in text
    assert said(lang, "This is the voter's latest ballot so far: it counts unless replaced later.") in text
    recorded = phone.locator("#check-result time").first
    assert recorded.inner_text() == server_time(lang, world.other["time"])  # as the pages show it
    assert recorded.get_attribute("datetime") == server_time(lang, world.other["time"], "datetime")
    assert phone.locator("#id_code").input_value() == code
    index = str(world.other["leaf_index"])
    assert phone.locator("#check-result td").first.inner_text().startswith(index) or index in text
    problems = audit(phone)["problems"] + axe_violations(phone)
    assert not problems, "\n".join(problems)
