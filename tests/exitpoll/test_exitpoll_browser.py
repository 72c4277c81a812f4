"""The interviewer's station page in real Chromium at 360 px: two respondents entered with
the network cut are queued by the service worker and stored exactly once each when the
connection returns; axe finds nothing serious on the exit poll's pages (kk, en), and the
pages fit the phone with no CSP violation."""

from __future__ import annotations

import time

import pytest

from saylau.exitpoll.models import Entry
from tests.exitpoll.world import OPTIONS, PASSWORD, build_poll_world, designed, interviewer_for
from tests.site.browser.audit import audit
from tests.site.browser.axe import axe_violations
from tests.site.browser.conftest import phone, site_settings

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
__all__ = ["phone", "site_settings"]


@pytest.fixture
def assigned(transactional_db):
    pw = build_poll_world()
    poll = designed(pw)
    sampled = poll.sampled.select_related("station").order_by("station__code").first()
    interviewer_for(pw, poll, "ivan", [sampled.pk])
    return pw, poll, sampled


def checked(page, problems):
    problems.extend(audit(page)["problems"])
    problems.extend(axe_violations(page))


def sign_in(page, name, target, problems, lang="en"):
    page.goto(f"{page.base}/{lang}/exitpoll/login/?next={target}")
    checked(page, problems)
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("main form:not(.logout) button[type=submit]")
    assert page.url.endswith(target), page.url


def wait_until(condition, seconds=10.0):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_two_respondents_entered_offline_are_stored_once_each(phone, assigned):
    _pw, _poll, sampled = assigned
    problems: list[str] = []
    target = f"/en/exitpoll/station/{sampled.pk}/"
    sign_in(phone, "ivan", target, problems)
    phone.wait_for_selector("#exitpoll[data-ready=true]", state="attached")
    checked(phone, problems)

    phone.context.set_offline(True)
    phone.check(f"input[name=option][value='{OPTIONS[0]}']")
    phone.click("form[data-kind=answer] button[type=submit]")
    phone.locator("#status", has_text="No connection").wait_for()
    phone.check(f"input[name=option][value='{OPTIONS[1]}']")
    phone.click("form[data-kind=answer] button[type=submit]")
    phone.locator("#pending", has_text="2").wait_for()
    assert phone.locator("[data-count=answer]").inner_text() == "2"
    time.sleep(0.5)
    assert not Entry.objects.exists()  # nothing reached the server

    phone.context.set_offline(False)
    phone.locator("#status", has_text="Sent.").wait_for()
    assert wait_until(lambda: Entry.objects.count() == 2)
    # more flushes (another "online", a reload) send nothing again
    phone.evaluate("navigator.serviceWorker.controller.postMessage('flush')")
    phone.reload()
    phone.wait_for_selector("#exitpoll[data-ready=true]", state="attached")
    time.sleep(1)
    stored = sorted(Entry.objects.values_list("option", "status"))
    assert stored == [(OPTIONS[0], "accepted"), (OPTIONS[1], "accepted")]
    assert len(set(Entry.objects.values_list("client_uuid", flat=True))) == 2
    assert not problems, problems
    assert not phone.problems, phone.problems


def test_online_entries_and_the_pages_pass_axe_in_kazakh(phone, assigned):
    pw, poll, sampled = assigned
    problems: list[str] = []
    target = f"/kk/exitpoll/station/{sampled.pk}/"
    sign_in(phone, "ivan", target, problems, lang="kk")
    phone.wait_for_selector("#exitpoll[data-ready=true]", state="attached")
    checked(phone, problems)
    phone.click("form[data-kind=refusal] button[type=submit]")
    assert wait_until(lambda: Entry.objects.filter(kind="refusal").count() == 1)
    phone.click("form[data-kind=answer] button[type=submit]")  # no option chosen: said, not sent
    phone.locator("#status:not(:empty)").wait_for()
    assert Entry.objects.count() == 1
    phone.goto(f"{phone.base}/kk/exitpoll/mine/")
    checked(phone, problems)
    phone.context.clear_cookies()  # signed out
    phone.goto(f"{phone.base}/kk/exitpoll/")
    checked(phone, problems)
    phone.goto(f"{phone.base}/kk/exitpoll/{poll.slug}/")
    assert phone.locator("#embargo").count() == 1
    checked(phone, problems)
    sign_in(phone, "pollster", f"/kk/exitpoll/{poll.slug}/design/", problems, lang="kk")
    checked(phone, problems)
    for path in ("interviewers/", ""):
        phone.goto(f"{phone.base}/kk/exitpoll/{poll.slug}/{path}")
        checked(phone, problems)
    phone.goto(f"{phone.base}/kk/exitpoll/new/")
    checked(phone, problems)
    pw.close_polls()
    phone.goto(f"{phone.base}/en/exitpoll/{poll.slug}/")
    checked(phone, problems)
    assert not problems, problems
    assert not phone.problems, phone.problems


def test_an_entry_the_busy_server_refused_is_kept_and_sent_later(phone, assigned):
    """A 503 (the server stored nothing) is queued like a lost connection, and the page
    sends the queue again a few seconds later: nothing typed is lost."""
    _pw, _poll, sampled = assigned
    problems: list[str] = []
    target = f"/en/exitpoll/station/{sampled.pk}/"
    sign_in(phone, "ivan", target, problems)
    phone.wait_for_selector("#exitpoll[data-ready=true]", state="attached")
    busy = {"refused": 0, "open": False}

    def answer(route):
        if not busy["open"]:  # busy until the test has looked: a resend may come any time
            busy["refused"] += 1
            route.fulfill(
                status=503,
                content_type="application/json",
                body='{"error": {"code": "unavailable", "message": "busy"}}',
            )
        else:
            route.continue_()

    phone.context.route("**/api/exitpoll/entries", answer)
    phone.check(f"input[name=option][value='{OPTIONS[2]}']")
    phone.click("form[data-kind=answer] button[type=submit]")
    phone.locator("#pending", has_text="1").wait_for()
    assert busy["refused"] >= 1  # the service worker's request met the busy answer
    assert not Entry.objects.exists()
    busy["open"] = True
    phone.locator("#status", has_text="Sent.").wait_for(timeout=15_000)
    assert wait_until(lambda: Entry.objects.count() == 1)
    assert Entry.objects.get().option == OPTIONS[2]
    assert not phone.problems, phone.problems
