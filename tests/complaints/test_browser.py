"""The complaint form and the committee's pages in real Chromium at 360 px: a complaint with
a photo filed and checked by reference; the chair puts it under review, decides with a
sanction, and the register shows it. Every page fits the phone, with no CSP violation and
no serious or critical axe-core finding."""

from __future__ import annotations

import pytest
from django.db import connection

from saylau.complaints.models import Complaint
from saylau.web import roles
from tests.complaints.world import CANDIDATE, PASSWORD, build_committee_world, png_bytes
from tests.site.browser.audit import audit
from tests.site.browser.axe import axe_violations
from tests.site.browser.conftest import phone, site_settings

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
__all__ = ["phone", "site_settings"]


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    roles.sync_groups()  # a transactional test's flush may have removed the groups
    return build_committee_world()


def checked(page, problems):
    """The phone audit (overflow, tap targets, CSP …) and axe-core's serious or critical."""
    problems.extend(audit(page)["problems"])
    problems.extend(axe_violations(page))


def submit(page):
    with page.expect_navigation():
        page.click("main form:not(.logout) button[type=submit]")


def test_file_a_complaint_and_check_it(world, phone, tmp_path):
    problems: list[str] = []
    photo = tmp_path / "photo.png"
    photo.write_bytes(png_bytes())
    for language in ("kk", "ru"):
        phone.goto(f"{phone.base}/{language}/complaints/")
        checked(phone, problems)
    phone.goto(phone.base + "/en/complaints/")
    assert phone.url.endswith("/en/complaints/primaries-2026/new/")
    checked(phone, problems)
    submit(phone)  # empty: the errors, next to their fields
    checked(phone, problems)
    assert "Choose the kind of violation." in phone.locator("main").inner_text()
    phone.select_option("select[name=category]", "vote_buying")
    phone.select_option("select[name=district]", "KZ-75")
    phone.fill("input[name=station]", "S-75")
    phone.select_option("select[name=option]", CANDIDATE)
    phone.fill("textarea[name=description]", "They paid for a photo of the ballot.")
    phone.set_input_files("input[name=evidence]", str(photo))
    phone.check("input[name=anonymous]")
    submit(phone)
    checked(phone, problems)
    reference = phone.locator(".reference").inner_text()
    code = phone.locator(".access-code").inner_text()
    complaint = Complaint.objects.get()
    connection.close()  # made under Playwright's loop: another connection object (conftest)
    assert complaint.reference == reference and complaint.evidence.count() == 1
    phone.click("main a[href$='/complaints/check/']")
    phone.fill("input[name=reference]", reference)
    phone.fill("input[name=code]", code)
    submit(phone)
    checked(phone, problems)
    assert "received" in phone.locator("main").inner_text()
    assert problems == []


def test_the_chair_decides_and_the_register_shows_it(world, phone):
    problems: list[str] = []
    complaint = world.complaint()
    connection.close()
    phone.goto(phone.base + "/en/committee/")
    assert "/en/committee/login/" in phone.url
    checked(phone, problems)
    phone.fill("input[name=username]", "chair")
    phone.fill("input[name=password]", PASSWORD)
    submit(phone)
    checked(phone, problems)
    with phone.expect_navigation():
        phone.click(f"text={complaint.reference}")
    checked(phone, problems)
    phone.select_option("select[name=assignee]", label="mem")
    with phone.expect_navigation():
        phone.click("form:has(input[value=assign]) button[type=submit]")
    checked(phone, problems)
    assert "under review" in phone.locator(".notice").inner_text()
    phone.check("input[name=substantiated][value=yes]")
    phone.fill("textarea[name=reasoning]", "A video shows the payment.")
    phone.select_option("select[name=sanction]", "annul_station")
    phone.fill("input[name=station]", "S-75")
    with phone.expect_navigation():
        phone.click("form:has(input[value=decide]) button[type=submit]")
    checked(phone, problems)
    assert "appeal window" in phone.locator(".notice").inner_text()
    for page in ("/kk/committee/", "/ru/committee/dashboard/", "/en/committee/dashboard/"):
        phone.goto(phone.base + page)
        checked(phone, problems)
    assert phone.locator("figure.chart svg rect").count() == 1  # one day of complaints
    phone.goto(phone.base + "/en/complaints/register/")
    checked(phone, problems)
    text = phone.locator("main").inner_text()
    assert "A video shows the payment." in text and "Annulment of a station's result" in text
    assert "Aigerim" not in text and "7011234567" not in text
    assert problems == []


def test_the_operator_logs_a_call(world, phone):
    problems: list[str] = []
    phone.goto(phone.base + "/en/committee/login/")
    phone.fill("input[name=username]", "op")
    phone.fill("input[name=password]", PASSWORD)
    submit(phone)
    with phone.expect_navigation():
        phone.click("nav a[href$='/committee/hotline/']")
    checked(phone, problems)
    phone.select_option("select[name=category]", "coercion")
    phone.fill("textarea[name=description]", "The director made the staff join the party.")
    phone.fill("input[name=name]", "Caller")
    phone.fill("input[name=phone]", "+7 701 222 33 44")
    phone.fill("textarea[name=callback_notes]", "Evenings, in Russian.")
    submit(phone)
    checked(phone, problems)
    reference = phone.locator(".reference").inner_text()
    complaint = Complaint.objects.get(reference=reference)
    connection.close()
    assert (complaint.channel, complaint.contact_phone) == ("hotline", "+77012223344")
    with phone.expect_navigation():
        phone.click("text=Open the case")
    checked(phone, problems)
    assert "Evenings, in Russian." in phone.locator("main").inner_text()
    assert problems == []
