"""Double entry → conflict → supervisor in real Chromium at 360 px: two operators type the
protocol blind, the supervisor sees both side by side with the differing lines marked and
settles them; every page fits the phone, with no CSP violation."""

from __future__ import annotations

import pytest
from django.db import connection

from saylau.paper.models import Protocol
from saylau.web import roles
from tests.paper.entry_world import CONTEST, PASSWORD, build_entry_world, good_counts
from tests.site.browser.audit import audit
from tests.site.browser.conftest import phone, site_settings

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
__all__ = ["phone", "site_settings"]
STATION = "/en/paper/primaries-test/S-75/"


@pytest.fixture
def world(members, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    roles.sync_groups()  # a transactional test's flush may have removed the groups
    return build_entry_world(members)


def checked(page, problems):
    problems.extend(audit(page)["problems"])


def sign_in(page, name, problems):
    page.goto(page.base + "/en/paper/login/?next=" + STATION)
    checked(page, problems)
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("main form:not(.logout) button[type=submit]")
    assert page.url.endswith(STATION), page.url
    checked(page, problems)


def sign_out(page):
    with page.expect_navigation():
        page.click("form.logout button")


def type_protocol(page, typed, problems):
    page.click(f'a[href$="/{CONTEST}/enter/"]')
    page.wait_for_url("**/enter/")
    checked(page, problems)
    inputs = page.locator("main form input[inputmode=numeric]")
    assert inputs.count() == 12
    assert all(inputs.nth(i).input_value() == "" for i in range(12))  # blind: nothing shown
    values = list(typed.counts.values()) + list(typed.options.values())
    for i, value in enumerate(values):
        inputs.nth(i).fill(str(value))
    with page.expect_navigation():
        page.click("main form:not(.logout) button[type=submit]")
    checked(page, problems)
    assert page.locator(".notice").count() == 1, (page.url, page.locator("main").inner_text())
    return page.locator(".notice").inner_text()


def test_double_entry_conflict_supervisor(world, phone):
    problems: list[str] = []
    sign_in(phone, "op1", problems)
    assert "Another operator" in type_protocol(phone, good_counts(), problems)
    sign_out(phone)
    sign_in(phone, "op2", problems)
    assert "differ" in type_protocol(phone, good_counts(valid=77, oaa=7), problems)
    sign_out(phone)
    sign_in(phone, "sup", problems)
    phone.click(f'a[href$="/{CONTEST}/resolve/"]')
    phone.wait_for_url("**/resolve/")
    checked(phone, problems)
    marked = phone.locator("tr.differs th").all_inner_texts()
    assert marked == ["Valid ballots", "Against all"]
    phone.fill("input[name=valid]", "78")
    phone.fill("input[name=option_3]", "8")
    with phone.expect_navigation():
        phone.click("button[name=settle]")
    checked(phone, problems)
    assert "settled" in phone.locator(".notice").inner_text()
    protocol = Protocol.objects.get()
    connection.close()  # made under Playwright's loop: another connection object (conftest)
    assert protocol.status == "draft" and protocol.failures == []
    assert protocol.counts == good_counts().counts and protocol.options == good_counts().options
    assert "needs the scan" in phone.locator("main").inner_text()
    for language in ("kk", "ru"):  # the longer languages fit the phone too
        for page in ("", f"{CONTEST}/scan/", f"{CONTEST}/enter/", "voted/"):
            phone.goto(phone.base + STATION.replace("/en/", f"/{language}/") + page)
            checked(phone, problems)
    assert problems == []
