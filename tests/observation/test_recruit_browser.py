"""The recruitment pages in real Chromium at 360 px, in Kazakh: a mistyped application shows
its errors with what was typed kept, then the application, the code from the SMS outbox, the
personal link, a quiz failed and passed, and the coordinator's page; then, in Russian, a
lost link issued again; axe finds nothing serious on any of them, and they fit the phone
with no CSP violation."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from saylau.notify.outbox import recent
from saylau.observation.models import Observer, PhoneCheck
from saylau.web import roles
from tests.observation.test_observe_browser import checked
from tests.observation.test_recruit_pages import add_training
from tests.observation.world import PASSWORD, build_obs_world
from tests.site.browser.conftest import phone, site_settings

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
__all__ = ["phone", "site_settings"]


@pytest.fixture
def recruiting(members, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.SAYLAU_SMS_BACKEND = "outbox"
    roles.sync_groups()  # a transactional test's flush may have removed the groups
    ow = build_obs_world(members)
    module, session = add_training(ow)
    return ow, module, session


def last_code() -> str:
    match = re.search(r"\b(\d{6})\b", recent(1)[0].body)
    assert match is not None
    return match.group(1)


def test_apply_confirm_and_train_in_kazakh_at_360_px(phone, recruiting, members):
    _ow, module, _session = recruiting
    row = members(1, seed=90)[0]
    problems: list[str] = []
    phone.goto(f"{phone.base}/kk/observe/join/ak/")
    checked(phone, problems)
    phone.fill("#id_full_name", row[1])
    phone.fill("#id_iin", row[0][:-1] + str((int(row[0][-1]) + 1) % 10))
    phone.fill("#id_phone", row[2])
    phone.select_option("#id_region", "KZ-75")
    with phone.expect_navigation():
        phone.click("main form button[type=submit]")
    assert phone.locator("#id_iin_error").is_visible()
    assert phone.input_value("#id_full_name") == row[1]  # kept
    assert phone.locator("fieldset.choices .error").is_visible()  # no phase chosen
    checked(phone, problems)  # the page with its errors

    phone.fill("#id_iin", row[0])
    phone.check("input[name=availability][value=voting]")
    with phone.expect_navigation():
        phone.click("main form button[type=submit]")
    assert phone.url.endswith("/kk/observe/join/ak/confirm/"), phone.url
    checked(phone, problems)
    phone.fill("#id_code", last_code())
    with phone.expect_navigation():
        phone.click("main form:first-of-type button[type=submit]")
    link = phone.get_attribute("#personal-link", "href")
    assert link and "/kk/observe/link/" in link
    checked(phone, problems)
    with phone.expect_navigation():
        phone.click("a.button")
    checked(phone, problems)

    phone.goto(f"{phone.base}/kk/observe/training/{module.pk}/")
    assert phone.locator("legend", has_text="Бюллетеньдерді ұстауға бола ма?").count() == 1
    checked(phone, problems)
    phone.check("input[name=q-q1][value='1']")
    phone.check("input[name=q-q2][value='0']")
    with phone.expect_navigation():
        phone.click("main form button[type=submit]")
    assert phone.locator("#result.verdict-bad").is_visible()
    checked(phone, problems)
    phone.check("input[name=q-q1][value='0']")
    phone.check("input[name=q-q2][value='0']")
    with phone.expect_navigation():
        phone.click("main form button[type=submit]")
    assert phone.locator("#result.verdict-ok").is_visible()
    checked(phone, problems)

    phone.context.clear_cookies()
    target = "/kk/observe/coordinate/ak/"
    phone.goto(f"{phone.base}/kk/observe/login/?next={target}")
    phone.fill("input[name=username]", "coord")
    phone.fill("input[name=password]", PASSWORD)
    with phone.expect_navigation():
        phone.click("main form:not(.logout) button[type=submit]")
    assert phone.url.endswith(target), phone.url
    observer = Observer.objects.get(iin=row[0])
    card = phone.locator(f"#applicant-{observer.pk}")
    assert row[0] not in card.inner_text() and row[0][-4:] in card.inner_text()
    checked(phone, problems)
    with phone.expect_navigation():
        card.locator("button[value=accept]").click()
    observer.refresh_from_db()
    assert observer.status == "screened"
    checked(phone, problems)
    assert not problems, problems


def test_a_lost_link_in_russian_at_360_px(phone, recruiting, members):
    """The lost link's pages: a mistyped IIN named with the phone kept, the code page, the new
    link; the old link stops working."""
    from django.utils import timezone

    from saylau.observation import personal_link, recruitment

    ow, _module, _session = recruiting
    row = members(1, seed=99)[0]
    long_ago = timezone.now() - dt.timedelta(minutes=5)
    observer = recruitment.apply(ow.ak, row[1], row[0], row[2], "KZ-75", ["voting"], long_ago)
    PhoneCheck.objects.filter(observer=observer).update(verified_at=long_ago)
    old = personal_link.issue(observer, long_ago)
    problems: list[str] = []
    phone.goto(f"{phone.base}/ru/observe/join/ak/")
    with phone.expect_navigation():
        phone.click("a[href='/ru/observe/join/ak/lost/']")
    checked(phone, problems)
    phone.fill("#id_iin", row[0][:-1] + str((int(row[0][-1]) + 1) % 10))
    phone.fill("#id_phone", row[2])
    with phone.expect_navigation():
        phone.click("main form button[type=submit]")
    assert phone.locator("#id_iin_error").is_visible()
    assert phone.input_value("#id_phone") == row[2]  # kept
    checked(phone, problems)
    phone.fill("#id_iin", row[0])
    with phone.expect_navigation():
        phone.click("main form button[type=submit]")
    assert phone.url.endswith("/ru/observe/join/ak/lost/confirm/"), phone.url
    checked(phone, problems)
    phone.fill("#id_code", last_code())
    with phone.expect_navigation():
        phone.click("main form:first-of-type button[type=submit]")
    link = phone.get_attribute("#personal-link", "href")
    assert link and "/ru/observe/link/" in link and old not in link
    checked(phone, problems)
    assert personal_link.observer_of_token(old) is None
    assert not problems, problems
