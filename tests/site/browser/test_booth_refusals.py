"""The booth in real Chromium when something is wrong: marks the rules forbid, a wrong
credential code, the election closed mid-vote, an expired session, tampered page state, and a
network failure during the cast (before or after the server recorded the ballot). Each time a
clear message in the voter's language, the voter told whether the ballot was recorded, and
nothing cast twice."""

from __future__ import annotations

import json

import pytest
from tests.site.browser.booth_world import Booth, booth_world, sign_in_cookie

from saylau.board.models import Leaf

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def world(members):
    return booth_world(members)


def on_board(world, voter) -> list[str]:
    leaves = Leaf.objects.filter(election=world.election, credential=voter.credential)
    return [leaf.tracking_code for leaf in leaves.order_by("index")]


def ready_to_cast(booth: Booth, voter, lang: str = "en") -> str:
    booth.open(lang)
    booth.enter_code(voter.code)
    booth.mark(0, 0)
    booth.mark(1, 1)
    booth.review()
    return booth.encrypt()


def test_marks_the_rules_forbid_cannot_be_made(world, tab):
    voter = world.voters[0]
    sign_in_cookie(tab, world, voter)
    booth = Booth(tab, world, "invalid-marks")
    booth.open("en")
    booth.enter_code(voter.code)
    # "up to three": with three marked, the other candidates and "against all" are blocked
    booth.mark(1, 0, 1, 2)
    assert [booth.box(1, j).is_disabled() for j in range(6)] == [False] * 3 + [True] * 3
    assert "To mark another option" in tab.inner_text("#count-1")
    booth.box(1, 3).click(force=True)  # a tap on a blocked option does nothing
    assert not booth.box(1, 3).is_checked()
    booth.shot("over-vote-blocked", check=True)
    # "choose one" with "against all": a candidate blocks "against all" and the reverse
    booth.mark(0, 1)
    assert booth.box(0, 3).is_disabled() and booth.box(0, 0).is_disabled()
    booth.box(0, 1).uncheck()
    booth.mark(0, 3)
    assert [booth.box(0, j).is_disabled() for j in range(4)] == [True, True, True, False]
    assert "Against all" in tab.inner_text("#count-0")
    # a blank "choose one" is refused at review
    booth.box(0, 3).uncheck()
    tab.click("#ballot-form button[type=submit]")
    assert booth.step() == "step-ballot"
    assert "mark at least 1" in tab.inner_text("#contest-error-0")
    # marks forced past the page's blocks (the page state tampered with) are refused too
    booth.mark(0, 2)
    tab.evaluate(
        """() => { for (const j of [3, 4]) {
             const box = document.getElementById('option-1-' + j);
             box.disabled = false; box.checked = true; } }"""
    )
    tab.click("#ballot-form button[type=submit]")
    assert booth.step() == "step-ballot"
    assert "break its rule" in tab.inner_text("#contest-error-1")
    booth.shot("forced-marks-refused", check=True)
    assert not booth.problems, "\n".join(booth.problems)
    assert on_board(world, voter) == []


def test_a_wrong_credential_code_is_named_and_one_from_a_link_is_taken(world, tab):
    voter, other = world.voters[0], world.voters[2]
    slug = world.election.slug
    # not signed in: the link leads to the sign-in page, whose script clears the address bar
    tab.goto(f"{tab.base}/kk/vote/{slug}/booth/#code={voter.code}")
    tab.wait_for_function("location.hash === ''")
    assert tab.url == f"{tab.base}/kk/vote/{slug}/" and voter.code not in tab.url
    sign_in_cookie(tab, world, voter)
    booth = Booth(tab, world, "credential-code")
    booth.open("kk")
    booth.enter_code("")
    assert "Тіркелгі кодыңызды енгізіңіз" in tab.inner_text("#credential-code-error")
    typo = voter.code[:-1] + ("2" if voter.code[-1] != "2" else "3")
    booth.enter_code(typo)
    assert "қате бар" in tab.inner_text("#credential-code-error")
    assert tab.get_attribute("#credential-code", "aria-invalid") == "true"
    booth.shot("typo", check=True)
    booth.enter_code(other.code)  # well formed, but another voter's
    assert "сіздің тіркелгі кодыңыз емес" in tab.inner_text("#credential-code-error")
    assert booth.step() == "step-code"
    assert not booth.problems, "\n".join(booth.problems)

    # a link that carries the code in its fragment: taken, and cleared from the address bar
    dashed = "-".join(voter.code[i : i + 5] for i in range(0, 20, 5))
    booth.open("ru", fragment=f"#code={dashed}")
    assert tab.evaluate("location.hash") == ""
    assert voter.code not in tab.url and tab.input_value("#credential-code") == dashed
    tab.click("#code-form button[type=submit]")
    assert booth.step() == "step-ballot"


def test_the_election_closed_mid_vote(world, tab):
    voter = world.voters[0]
    sign_in_cookie(tab, world, voter)
    booth = Booth(tab, world, "closed-mid-vote")
    ready_to_cast(booth, voter, "ru")
    world.election.status = "closed"
    world.election.save(update_fields=["status"])
    booth.cast()
    status = booth.cast_status()
    assert "Голосование на этих выборах завершено." in status
    assert "Ваш бюллетень не записан." in status
    booth.shot("closed", check=True)
    assert not booth.problems, "\n".join(booth.problems)
    assert on_board(world, voter) == []


def test_an_expired_session(world, tab):
    from django.utils import timezone

    from saylau.voting.models import VoterSession

    voter = world.voters[0]
    sign_in_cookie(tab, world, voter)
    booth = Booth(tab, world, "expired-session")
    ready_to_cast(booth, voter, "en")
    VoterSession.objects.filter(member_id=voter.member_id).update(expires_at=timezone.now())
    booth.cast()
    tab.wait_for_selector("#sign-in-link:not([hidden])")
    assert "Your session has expired, so your ballot was not recorded." in booth.cast_status()
    booth.shot("session-expired", check=True)
    assert not booth.problems, "\n".join(booth.problems)
    assert on_board(world, voter) == []


def test_tampered_page_state_is_refused(world, tab):
    voter = world.voters[0]
    sign_in_cookie(tab, world, voter)
    booth = Booth(tab, world, "tampered-state")
    # the state kept across a language switch, altered: discarded, and the voter told
    booth.open("en")
    state = {"v": 1, "step": "review", "code": voter.code, "marks": [[1, 0, 0, 1], [0] * 6]}
    tab.evaluate(
        "(s) => sessionStorage.setItem('saylau.booth.' + s.slug, s.text)",
        {"slug": world.election.slug, "text": json.dumps(state)},
    )
    booth.open("en")
    assert "was not valid, so it was discarded" in tab.inner_text("#booth-alert")
    assert booth.step() == "step-code"
    assert tab.evaluate("sessionStorage.length") == 0
    booth.shot("state-discarded", check=True)

    # the state kept across a real switch of language: the step, the code and the marks
    booth.enter_code(voter.code)
    booth.mark(1, 2, 4)
    with tab.expect_navigation():
        tab.click("nav.languages button[value=ru]")
    tab.wait_for_selector("body[data-booth=ready]")
    assert booth.step() == "step-ballot" and "/ru/" in tab.url
    assert booth.box(1, 2).is_checked() and booth.box(1, 4).is_checked()
    assert tab.evaluate("sessionStorage.length") == 0

    # the election's key in the page's data altered: the ballot is for another election,
    # the server refuses it, says so in the voter's language, and stores nothing
    def altered(route):
        response = route.fetch()
        body = response.text().replace(world.election.joint_public_key, GENERATOR)
        route.fulfill(response=response, body=body)

    tab.route(f"**/vote/{world.election.slug}/booth/", altered)
    ready_to_cast(booth, voter, "ru")
    booth.cast()
    tab.wait_for_selector("#restart-button:not([hidden])")
    status = booth.cast_status()
    assert "для других выборов" in status and "Ваш бюллетень не записан." in status
    booth.shot("tampered-key-refused", check=True)
    assert not booth.problems, "\n".join(booth.problems)
    assert on_board(world, voter) == []


#: ristretto255's generator: a valid element that is not the election's key
GENERATOR = "e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76"


@pytest.mark.parametrize("when", ["before", "after"])
def test_a_network_failure_during_the_cast(world, tab, when):
    """The cast's answer is lost: before the server saw the ballot, or after it recorded it.
    The booth asks the board by tracking code, says which, and never casts twice."""
    voter = world.voters[1]
    sign_in_cookie(tab, world, voter)
    booth = Booth(tab, world, f"network-{when}")
    code = ready_to_cast(booth, voter, "en")
    cast_url = f"**/vote/{world.election.slug}/booth/ballots"
    lookup_url = f"**/api/voting/{world.election.slug}/board/ballots/*"
    seen: list[str] = []

    def lost(route):
        seen.append(route.request.method)
        if when == "after":
            route.fetch()  # the server records the ballot; its answer never arrives
        route.abort("connectionreset")

    tab.route(cast_url, lost)
    tab.route(lookup_url, lambda route: route.abort("internetdisconnected"))
    booth.cast()
    tab.wait_for_selector("#ask-board-button:not([hidden])")
    assert "could not be reached" in booth.cast_status()
    booth.shot("board-unreachable", check=True)
    assert on_board(world, voter) == ([code] if when == "after" else [])

    tab.unroute(lookup_url)
    tab.click("#ask-board-button")
    if when == "after":
        receipt = booth.receipt()
        assert receipt["code"] == code and "answer to the cast was lost" in receipt["note"]
        assert "Checked in this browser" in receipt["check"]
        booth.shot("recorded-anyway", check=True)
    else:
        tab.wait_for_selector("#retry-button:not([hidden])")
        assert "it was not recorded" in booth.cast_status()
        booth.shot("not-recorded", check=True)
        tab.unroute(cast_url)
        tab.click("#retry-button")
        assert booth.receipt()["code"] == code
    assert seen == ["POST"]
    assert on_board(world, voter) == [code]  # once
    assert not booth.problems, "\n".join(booth.problems)
