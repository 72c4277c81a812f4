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
    assert (
        said(lang, "This is the voter's latest ballot so far: it counts unless replaced later.")
        in text
    )
    recorded = phone.locator("#check-result time").first
    assert recorded.inner_text() == server_time(lang, world.other["time"])  # as the pages show it
    assert recorded.get_attribute("datetime") == server_time(lang, world.other["time"], "datetime")
    assert phone.locator("#id_code").input_value() == code
    index = str(world.other["leaf_index"])
    assert phone.locator("#check-result td").first.inner_text().startswith(index) or index in text
    problems = audit(phone)["problems"] + axe_violations(phone)
    assert not problems, "\n".join(problems)


def test_typed_by_keyboard_alone_and_a_mistyped_code(world, phone):
    lang, code = "en", world.other["receipt"]["tracking_code"]
    asked = []
    phone.on("request", lambda r: asked.append(r.url) if "/board/ballots/" in r.url else None)
    phone.goto(check_url(phone, world, lang))
    phone.keyboard.press("Tab")
    for _ in range(8):  # past the header's links and buttons, to the code's input
        if phone.evaluate("document.activeElement.id") == "id_code":
            break
        phone.keyboard.press("Tab")
    assert phone.evaluate("document.activeElement.id") == "id_code"
    phone.keyboard.type("not a tracking code")
    phone.keyboard.press("Enter")
    error = phone.locator("#id_code_error")
    error.wait_for()
    assert error.inner_text() == said(lang, "A tracking code has 64 characters 0–9 and a–f.")
    assert phone.get_attribute("#id_code", "aria-invalid") == "true"
    assert "id_code_error" in phone.get_attribute("#id_code", "aria-describedby")
    found = audit(phone)
    assert not found["problems"], "\n".join(found["problems"])
    assert not asked, "a mistyped code was sent to the server"

    phone.fill("#id_code", "")
    phone.keyboard.type(" " + code[:32].upper() + " " + code[32:] + " ")  # as copied from paper
    phone.keyboard.press("Enter")
    assert verdict(phone) == "verified"
    assert phone.evaluate("location.hash") == f"#{code}"
    assert phone.locator("#id_code_error").is_hidden()
    assert phone.evaluate("document.activeElement.dataset.verdict") == "verified"  # focus moved


def test_a_ballot_replaced_by_a_re_vote_says_so(world, phone):
    lang = "ru"
    old, new = world.replaced["receipt"]["tracking_code"], world.revote["receipt"]["tracking_code"]
    phone.goto(check_url(phone, world, lang, old))
    assert verdict(phone) == "verified"
    superseded = (
        "A later ballot of the same voter (a re-vote) replaced this one: only the latest "
        "ballot counts."
    )
    assert said(lang, superseded) in phone.locator("#check-result").inner_text()
    phone.click(f'#check-result a[href="#{new}"]')
    phone.locator(f'#check-result [data-verdict=verified][data-code="{new}"]').wait_for()
    assert phone.evaluate("location.hash") == f"#{new}"
    text = phone.locator("#check-result").inner_text()
    assert said(lang, "new ballot (re-vote)") in text and said(lang, superseded) not in text
    assert phone.locator("#id_code").input_value() == new


def test_not_on_the_board_and_no_network(world, phone):
    lang = "kk"
    phone.goto(check_url(phone, world, lang, "0" * 64))
    assert verdict(phone) == "not_found"
    assert phone.locator("#check-result").inner_text() == said(
        lang, "No ballot with this tracking code is on the board."
    )
    phone.route(BALLOTS, lambda route: route.abort("internetdisconnected"))
    phone.goto("about:blank")
    phone.goto(check_url(phone, world, lang, world.other["receipt"]["tracking_code"]))
    assert verdict(phone) == "network"
    network = "The server could not be reached. Check your connection and try again."
    assert phone.locator("#check-result").inner_text() == said(lang, network)
    assert not phone.problems, phone.problems


def flip(hex_text: str) -> str:
    """The same hex with its first character changed."""
    return ("1" if hex_text[0] == "0" else "0") + hex_text[1:]


def altered(where: str, name: str, change: Any) -> Any:
    """answer[where][name] = change(answer[where][name]) (where "" for the answer itself)."""

    def alter(answer: dict) -> None:
        part = answer[where] if where else answer
        part[name] = change(part[name])

    return alter


INCLUSION = "The proof that the ballot is in the board's log does not hold."
SIGNATURE = "The signature on the tree head is not the board's."
LEAF = "The leaf the server sent is not the ballot with this tracking code."
REPLACED = "The server says a re-vote replaced this ballot, but that re-vote does not check."
FINGERPRINT = "The election's fingerprint does not match its manifest and joint public key."


def tamperings(world) -> list[tuple[str, str, Any, str, str]]:
    """(what, whose answer, how it is altered, the message shown, the code in the detail)."""
    other = world.other["receipt"]["tracking_code"]  # a first cast, replacing nothing
    some_key = world.election.joint_public_key  # a valid element, not the board's key
    path, head = "inclusion_proof", "tree_head"
    return [
        ("a proof hash", "ballot", altered(path, "path", lambda p: [flip(p[0]), *p[1:]]),
         INCLUSION, "inclusion.path"),
        ("a hash left out", "ballot", altered(path, "path", lambda p: p[:-1]),
         INCLUSION, "inclusion.path"),
        ("the leaf index", "ballot", altered(path, "leaf_index", lambda i: i + 1),
         INCLUSION, "inclusion.index"),
        ("the signature", "ballot", altered(head, "signature", flip), SIGNATURE, "head.signature"),
        ("the root", "ballot", altered(head, "root_hash", flip), SIGNATURE, "head.signature"),
        ("the head's time", "ballot", altered(head, "timestamp", lambda t: t + 1),
         SIGNATURE, "head.signature"),
        ("the leaf's time", "ballot", altered("leaf", "time", lambda t: t + 1), LEAF, "leaf.time"),
        ("another ballot's answer", "other", None, LEAF, "leaf.tracking_code"),
        ("a made-up re-vote", "ballot", altered("", "replaced_by", lambda _: other),
         REPLACED, "leaf.replaces"),
        ("the fingerprint", "election", altered("", "fingerprint", flip), FINGERPRINT, "≠"),
        ("the board's key", "election", altered("", "board_public_key", lambda _: some_key),
         SIGNATURE, "head.signature"),
    ]  # fmt: skip


def tamper(slug: str, target: str, code: str, whose: str, alter: Any) -> Any:
    """A page.route handler: `whose` answer (the election's, or the look-up of `target`)
    altered by `alter`, or replaced by the look-up of `code` ("other"); the rest untouched."""

    def answer(route: Any) -> None:
        url = route.request.url
        is_election = url.endswith(f"/api/voting/{slug}")
        if is_election != (whose == "election") or (not is_election and target not in url):
            route.continue_()
        elif whose == "other":
            route.fulfill(response=route.fetch(url=url.replace(target, code)))
        else:
            response = route.fetch()
            body = response.json()
            alter(body)
            route.fulfill(response=response, body=json.dumps(body))

    return answer


def test_a_tampered_answer_is_shown_as_failing(world, phone):
    """Each alteration of the board's answer (or of the election's key and fingerprint) on its
    way to the browser: the page says "not verified", names what failed, and shows the code."""
    lang, code = "en", world.other["receipt"]["tracking_code"]
    target = world.replaced["receipt"]["tracking_code"]  # asked for; `other` is someone else's
    slug, cases = world.election.slug, tamperings(world)
    for whose in ("ballot", "election"):  # passed through the same way, unaltered: verified
        phone.unroute_all()
        phone.route("**/api/voting/**", tamper(slug, target, code, whose, lambda _: None))
        phone.goto("about:blank")
        phone.goto(check_url(phone, world, lang, target))
        assert verdict(phone) == "verified", whose
    wrong = []
    for what, whose, alter, message, detail in cases:
        phone.unroute_all()
        phone.route("**/api/voting/**", tamper(slug, target, code, whose, alter))
        phone.goto("about:blank")
        phone.goto(check_url(phone, world, lang, target))
        got = verdict(phone)
        text = phone.locator("#check-result").inner_text()
        if got != "failed" or said(lang, message) not in text:
            wrong.append(f"{what}: {got}: {text!r}")
            continue
        phone.click("#check-result summary")
        shown = phone.locator("#check-result details code").inner_text()
        if detail not in shown:
            wrong.append(f"{what}: the detail {shown!r} does not name {detail!r}")
    assert not wrong, "\n".join(wrong)
    found = audit(phone)["problems"] + axe_violations(phone)
    assert not found, "\n".join(found)
