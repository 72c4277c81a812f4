"""The voting booth in real Chromium on a 360-px phone: a whole vote in kk, ru and en through
the sign-in pages, a Benaloh challenge then a cast, a re-vote, and the page's accessibility
(axe-core) and fit at every step. Screenshots of each step: var/screenshots/booth/."""

from __future__ import annotations

import json

import pytest
from tests.site.browser.booth_world import (
    CITY,
    PARTIES,
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
def test_a_whole_vote_in_each_language(world, tab, lang):
    voter = world.voters[0]
    booth = Booth(tab, world, f"vote-{lang}")
    slug = world.election.slug
    tab.goto(f"{tab.base}/{lang}/vote/{slug}/")
    tab.fill("input[name=iin]", voter.iin)
    tab.fill("input[name=phone]", voter.phone)
    tab.click("main form button[type=submit]")
    tab.fill("input[name=code]", last_code())
    tab.click("main form button[type=submit]")
    tab.wait_for_selector("#open-booth")
    booth.shot("signed-in", check=True)
    tab.click("#open-booth")
    tab.wait_for_selector("body[data-booth=ready]")
    assert tab.locator("html").get_attribute("lang") == lang
    assert CITY[voter.district][lang] in tab.inner_text("main")
    booth.shot("code")
    booth.enter_code(voter.code)
    assert booth.step() == "step-ballot"
    assert PEOPLE[0][lang] in tab.inner_text("#step-ballot")
    # each candidate's party under the name, in the page's language; none for an independent
    first, second = PARTIES[0], PARTIES[1]
    assert first is not None and second is not None
    label = tab.locator("label[for=option-0-0]")
    assert label.locator(".name").inner_text() == PEOPLE[0][lang]
    assert label.locator(".party").inner_text() == first[lang]
    assert tab.locator("label[for=option-0-2] .party").count() == 0
    assert tab.locator("label[for=option-0-3] .party").count() == 0  # "against all"
    booth.mark(0, 1)
    booth.mark(1, 0, 2)
    booth.shot("ballot")
    booth.review()
    review = tab.inner_text("#review-list")
    assert PEOPLE[1][lang] in review and PEOPLE[2][lang] in review
    assert f"{PEOPLE[1][lang]} ({second[lang]})" in review
    booth.shot("review")
    code = booth.encrypt()
    booth.shot("encrypted")
    booth.cast()
    receipt = booth.receipt()
    booth.shot("receipt")
    assert receipt["code"] == code
    assert CHECKED[lang] in receipt["check"]
    assert not booth.problems and not tab.problems, booth.problems + tab.problems
    # the receipt's link (its QR code's) opens the check page, which verifies the ballot
    tab.click("#receipt-link")
    found = tab.locator(f'#check-result [data-verdict=verified][data-code="{code}"]')
    found.wait_for()
    booth.shot("checked")

    # on the board: the ballot the browser made, verified by the Python core, with its marks
    (leaf,) = ballots_of(world, voter)
    assert leaf.tracking_code == code and str(leaf.index) == receipt["leaf"]
    raw = json.loads(bytes(leaf.data))["ballot"]
    verify_ballot(world.ctx, ballot_from_json(raw), None)
    assert decrypt_marks(world, raw) == {
        f"{voter.district}-mazhilis": [0, 1, 0, 0],
        f"{voter.district}-maslikhat": [1, 0, 1, 0, 0, 0],
    }


def test_a_challenge_opens_the_encryption_and_is_never_cast(world, tab):
    voter = world.voters[1]
    sign_in_cookie(tab, world, voter)
    tab.context.grant_permissions(["clipboard-read", "clipboard-write"])
    booth = Booth(tab, world, "challenge")
    booth.open("en")
    booth.shot("code", check=True)
    booth.enter_code(voter.code)
    booth.mark(0, 3)  # against all
    booth.mark(1, 1, 3, 4)
    booth.shot("ballot", check=True)
    booth.review()
    booth.shot("review", check=True)
    challenged = booth.encrypt()
    booth.shot("encrypted", check=True)
    tab.click("#challenge-button")
    tab.wait_for_selector("#challenge-result:not(:empty)")
    assert "holds exactly your marks" in tab.inner_text("#challenge-result")
    tab.click("#copy-button")
    tab.wait_for_selector("#challenge-copied:not(:empty)")
    assert tab.inner_text("#challenge-copied") == "Copied."
    opened = json.loads(tab.input_value("#challenge-opening"))
    assert json.loads(tab.evaluate("navigator.clipboard.readText()")) == opened
    booth.shot("challenged", check=True)

    # the opening, checked here by the Python core: the randomness re-encrypts every option
    marks = {
        f"{voter.district}-mazhilis": [0, 0, 0, 1],
        f"{voter.district}-maslikhat": [0, 1, 0, 1, 1, 0],
    }
    assert opened["tracking_code"] == challenged
    assert reopened(world, opened["ballot"], opened["opening"]) == marks

    cast = booth.encrypt("#reencrypt-button")
    assert cast != challenged
    booth.cast()
    receipt = booth.receipt()
    booth.shot("receipt", check=True)
    assert receipt["code"] == cast
    with tab.expect_download() as download:
        tab.click("#save-button")
    saved = json.loads(open(download.value.path(), encoding="utf-8").read())
    assert saved["receipt"]["tracking_code"] == cast and saved["leaf_index"] == int(receipt["leaf"])
    assert saved["check_url"] == f"{tab.base}/en/board/{world.election.slug}/check/#{cast}"
    qr = tab.get_attribute("#receipt-qr", "alt")
    assert saved["check_url"] in qr
    codes = [leaf.tracking_code for leaf in ballots_of(world, voter)]
    assert codes == [cast]  # the challenged encryption never reached the board
    assert not booth.problems, "\n".join(booth.problems)


def reopened(world, raw: dict, opening: dict) -> dict[str, list[int]]:
    """The marks an opening claims, each checked: (alpha, beta) = (r·G, r·K + m·G)."""
    from saylau.crypto import elgamal
    from saylau.crypto.encoding import element_hex

    ballot = ballot_from_json(raw)
    key = world.ctx.joint_public_key
    found = {}
    for contest, opened in zip(ballot.contests, opening["contests"], strict=True):
        assert opened["id"] == contest.contest_id
        for choice, mark, r in zip(
            contest.choices, opened["marks"], opened["randomness"], strict=True
        ):
            again = elgamal.encrypt(key, mark, int.from_bytes(bytes.fromhex(r), "little"))
            assert element_hex(again.alpha) == element_hex(choice.ct.alpha)
            assert element_hex(again.beta) == element_hex(choice.ct.beta)
        found[contest.contest_id] = list(opened["marks"])
    return found


def test_a_revote_replaces_the_earlier_ballot_and_only_the_last_counts(world, tab):
    from saylau.crypto.rand import DeterministicRng
    from saylau.protocol.tally import aggregate, decrypt_tally, results_from_tally
    from saylau.voting import services

    voter = world.voters[2]
    sign_in_cookie(tab, world, voter)
    booth = Booth(tab, world, "revote")
    codes = []
    for first, second in (((0,), (0, 1)), ((2,), (4,))):
        booth.open("ru")
        booth.enter_code(voter.code)
        booth.mark(0, *first)
        booth.mark(1, *second)
        booth.review()
        codes.append(booth.encrypt())
        booth.cast()
        receipt = booth.receipt()
    booth.shot("revote-receipt")
    assert codes[0][:16] in receipt["kind"]  # "заменяет ваш прежний бюллетень …"
    booth.open("ru")
    assert "Вы уже проголосовали" in tab.inner_text("#latest-vote")
    booth.shot("voted-before")

    services.close_board(world.election)
    counted = list(services.counted_ballots(world.election))
    mine = [b for b in counted if b.raw["credential"] == voter.credential]
    assert len(mine) == 1 and decrypt_marks(world, mine[0].raw)[f"{voter.district}-mazhilis"][2]
    present = {j: x for j, x in world.shares.items() if j != 3}
    agg = aggregate(world.ctx.manifest, counted)
    tally = decrypt_tally(
        world.ctx.fingerprint, world.ctx.manifest, agg, present, 2, DeterministicRng("t")
    )
    counts = results_from_tally(tally)["districts"][voter.district]["contests"]
    district = voter.district
    assert counts[f"{district}-mazhilis"] == {
        f"{district}-mazhilis-1": 0,
        f"{district}-mazhilis-2": 0,
        f"{district}-mazhilis-3": 1,
        f"{district}-mazhilis-aa": 0,
    }
    assert counts[f"{district}-maslikhat"][f"{district}-maslikhat-5"] == 1
    assert sum(counts[f"{district}-maslikhat"].values()) == 1


def tab_to(page, selector: str, limit: int = 40) -> None:
    """Press Tab until `selector` has the focus, and check that the focus is visible."""
    for _press in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            outline = page.evaluate(
                "() => { const s = getComputedStyle(document.activeElement);"
                " return [s.outlineStyle, s.outlineWidth]; }"
            )
            assert outline[0] != "none" and outline[1] != "0px", (selector, outline)
            return
    raise AssertionError(f"{selector} cannot be reached with Tab")


def test_a_vote_with_the_keyboard_alone(world, tab):
    voter = world.voters[3]
    sign_in_cookie(tab, world, voter)
    booth = Booth(tab, world, "keyboard")
    booth.open("kk")
    tab_to(tab, "#credential-code")
    tab.keyboard.type(voter.code)
    tab.keyboard.press("Enter")
    assert booth.step() == "step-ballot"
    assert tab.evaluate("document.activeElement.id") == "step-ballot-title"
    for option in ("#option-0-2", "#option-1-0", "#option-1-4"):
        tab_to(tab, option)
        tab.keyboard.press("Space")
    booth.shot("keyboard-ballot")
    tab_to(tab, "#ballot-form button[type=submit]")
    tab.keyboard.press("Enter")
    assert booth.step() == "step-review"
    tab_to(tab, "#encrypt-button")
    tab.keyboard.press("Enter")
    tab.wait_for_selector("#encrypt-ready:not([hidden])", timeout=30_000)
    tab_to(tab, "#cast-button")
    tab.keyboard.press("Enter")
    booth.receipt()
    (leaf,) = ballots_of(world, voter)
    assert decrypt_marks(world, json.loads(bytes(leaf.data))["ballot"]) == {
        f"{voter.district}-mazhilis": [0, 0, 1, 0],
        f"{voter.district}-maslikhat": [1, 0, 0, 0, 1, 0],
    }


def test_a_code_link_opened_before_sign_in_reaches_the_booth(world, tab):
    """A credential-code link opened signed out: the sign-in page keeps the code in this tab
    (out of its address bar), and the booth has it filled after sign-in; no request the
    server sees carries it."""
    voter = world.voters[0]
    slug = world.election.slug
    dashed = "-".join(voter.code[i : i + 5] for i in range(0, 20, 5))
    sent: list[str] = []
    tab.on("request", lambda r: sent.append(f"{r.method} {r.url} {r.post_data or ''}"))
    tab.goto(f"{tab.base}/kk/vote/{slug}/booth/#code={dashed}")
    assert tab.url.split("#")[0].endswith(f"/kk/vote/{slug}/")  # the sign-in page
    tab.wait_for_function("location.hash === ''")
    assert dashed not in tab.url
    tab.fill("input[name=iin]", voter.iin)
    tab.fill("input[name=phone]", voter.phone)
    tab.click("main form button[type=submit]")
    tab.fill("input[name=code]", last_code())
    tab.click("main form button[type=submit]")
    tab.click("#open-booth")
    tab.wait_for_selector("body[data-booth=ready]")
    assert tab.input_value("#credential-code") == dashed
    assert tab.evaluate("sessionStorage.length") == 0  # taken, not kept
    tab.click("#code-form button[type=submit]")
    assert Booth(tab, world, "code-link").step() == "step-ballot"
    assert sent and not tab.problems, tab.problems
    for request in sent:
        for form in (dashed, voter.code, dashed.replace("-", "%2D")):
            assert form not in request, request


def test_sign_out_forgets_the_tabs_code_link_and_booth_state(world, tab):
    """A code link opened, then signed in and out before the booth: the sign-in page that
    follows the sign-out says so and leaves nothing of the code or the marks in the tab."""
    voter = world.voters[0]
    slug = world.election.slug
    dashed = "-".join(voter.code[i : i + 5] for i in range(0, 20, 5))
    tab.goto(f"{tab.base}/ru/vote/{slug}/#code={dashed}")
    tab.wait_for_function("location.hash === ''")
    assert tab.evaluate("sessionStorage.length") == 1  # the code, carried for the booth
    tab.evaluate(f"sessionStorage.setItem('saylau.booth.{slug}', '{{}}')")  # a stashed booth
    tab.fill("input[name=iin]", voter.iin)
    tab.fill("input[name=phone]", voter.phone)
    tab.click("main form button[type=submit]")
    tab.fill("input[name=code]", last_code())
    tab.click("main form button[type=submit]")
    tab.click("main form[action$='/sign-out/'] button[type=submit]")
    tab.wait_for_selector("#signed-out")
    assert "вышли" in tab.inner_text("#signed-out")
    assert tab.evaluate("sessionStorage.length") == 0
    assert "signed-out" not in tab.url
    assert not tab.problems, tab.problems
