"""The pollster application pages in real Chromium at 360 px, in kk, ru and en: a polling
organisation applies from a phone, staff approve from theirs; no sideways scroll, tap
targets, no CSP violation, no serious or critical axe-core violation on any of them."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from saylau.exitpoll.models import PollsterApplication
from saylau.exitpoll.roles import is_pollster
from tests.exitpoll.test_exitpoll_browser import checked
from tests.exitpoll.world import PASSWORD
from tests.site.browser.conftest import phone, site_settings

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
__all__ = ["phone", "site_settings"]


def test_apply_and_approve_on_a_phone(phone, transactional_db):
    problems: list[str] = []
    for lang in ("kk", "ru"):
        phone.goto(f"{phone.base}/{lang}/exitpoll/apply/")
        checked(phone, problems)
    phone.goto(f"{phone.base}/en/exitpoll/apply/")
    phone.fill("input[name=organisation]", "Qoğam Pikiri")
    phone.fill("input[name=email]", "polls@example.kz")
    phone.fill("textarea[name=method]", "Every 5th voter leaving 120 drawn stations.")
    phone.fill("input[name=username]", "qogam-pikiri")
    phone.fill("input[name=password]", "a long pass phrase 2026")
    with phone.expect_navigation():
        phone.click("main form button[type=submit]")
    assert phone.url.endswith("/en/exitpoll/application/"), phone.url
    checked(phone, problems)
    assert PollsterApplication.objects.filter(status="pending").count() == 1
    phone.context.clear_cookies()
    User.objects.create_user("organiser", password=PASSWORD, is_staff=True)
    phone.goto(f"{phone.base}/ru/exitpoll/login/?next=/ru/exitpoll/applications/")
    phone.fill("input[name=username]", "organiser")
    phone.fill("input[name=password]", PASSWORD)
    with phone.expect_navigation():
        phone.click("main form:not(.logout) button[type=submit]")
    assert phone.url.endswith("/ru/exitpoll/applications/"), phone.url
    checked(phone, problems)
    with phone.expect_navigation():
        phone.click("button[name=decision][value=approve]")
    checked(phone, problems)
    assert is_pollster(User.objects.get(username="qogam-pikiri"))
    problems.extend(phone.evaluate("() => window.__csp || []"))
    problems.extend(phone.problems)
    assert not problems, "\n".join(problems)
