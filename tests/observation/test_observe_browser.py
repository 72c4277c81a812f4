"""The observer's station page in real Chromium at 360 px: a report made with the network cut
is queued by the service worker and sent once when the connection returns; axe finds nothing
serious on the observer pages, and the pages fit the phone with no CSP violation."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from saylau.observation import accreditation as acc
from saylau.observation.models import Media, Submission
from saylau.web import roles
from tests.observation.world import PASSWORD, build_obs_world
from tests.paper.entry_world import good_counts, png_bytes
from tests.site.browser.audit import audit
from tests.site.browser.axe import axe_violations
from tests.site.browser.conftest import phone, site_settings

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
__all__ = ["phone", "site_settings"]


@pytest.fixture
def accredited(members, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    roles.sync_groups()  # a transactional test's flush may have removed the groups
    ow = build_obs_world(members)
    now = dt.datetime.now(dt.UTC)
    a = acc.assign(
        ow.users["coord"],
        ow.observers["obs1"],
        ow.station,
        "primary",
        now - dt.timedelta(hours=1),
        now + dt.timedelta(hours=12),
    )
    return ow, a


def checked(page, problems):
    problems.extend(audit(page)["problems"])
    problems.extend(axe_violations(page))


def open_station(page, pk, problems, lang="en"):
    target = f"/{lang}/observe/{pk}/"
    page.goto(f"{page.base}/{lang}/observe/login/?next={target}")
    checked(page, problems)
    page.fill("input[name=username]", "obs1")
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("main form:not(.logout) button[type=submit]")
    assert page.url.endswith(target), page.url
    page.wait_for_selector("#observe[data-ready=true]", state="attached")
    checked(page, problems)


def wait_until(condition, seconds=10.0):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_a_report_made_offline_is_sent_once_when_the_connection_returns(phone, accredited):
    _ow, a = accredited
    problems: list[str] = []
    open_station(phone, a.pk, problems)
    phone.context.set_offline(True)
    phone.select_option("#category", "carousel")
    phone.fill("#description", "Buses bringing the same voters twice")
    phone.click("form[data-kind=incident] button[type=submit]")
    phone.locator("#status", has_text="No connection").wait_for()
    assert phone.locator("#pending").inner_text().endswith("1")
    time.sleep(0.5)
    assert not Submission.objects.exists()  # nothing reached the server

    phone.context.set_offline(False)
    phone.locator("#status", has_text="Sent.").wait_for()
    assert wait_until(lambda: Submission.objects.count() == 1)
    # more flushes (another "online", a reload) send nothing again
    phone.evaluate("navigator.serviceWorker.controller.postMessage('flush')")
    phone.reload()
    phone.wait_for_selector("#observe[data-ready=true]", state="attached")
    time.sleep(1)
    stored = Submission.objects.get()
    assert stored.kind == "incident" and stored.status == "accepted"
    assert stored.payload["category"] == "carousel"
    assert not problems, problems


def test_online_reports_are_sent_at_once_and_pages_pass_axe_in_kazakh(phone, accredited):
    _ow, a = accredited
    problems: list[str] = []
    open_station(phone, a.pk, problems, lang="kk")
    phone.click("form[data-kind=check_in] button[type=submit]")
    assert wait_until(lambda: Submission.objects.filter(kind="check_in").count() == 1)
    typed = good_counts()
    form = phone.locator("form[data-kind=protocol_copy]")
    for name, value in [*typed.counts.items()]:
        form.locator(f'input[name="counts.{name}"]').fill(str(value))
    for name, value in typed.options.items():
        form.locator(f'input[name="options.{name}"]').fill(str(value))
    form.locator("input[type=file]").set_input_files(
        {"name": "protocol.png", "mimeType": "image/png", "buffer": png_bytes()}
    )
    form.locator("button[type=submit]").click()
    assert wait_until(lambda: Media.objects.filter(submission__kind="protocol_copy").exists())
    copy = Submission.objects.get(kind="protocol_copy")
    assert copy.payload["counts"] == typed.counts and copy.payload["failures"] == []
    phone.goto(f"{phone.base}/kk/observe/")
    checked(phone, problems)
    phone.goto(f"{phone.base}/kk/observe/charter/")
    checked(phone, problems)
    phone.context.clear_cookies()  # signed out
    phone.goto(f"{phone.base}/kk/observe/login/?next=/kk/hq/primaries-test/")
    phone.fill("input[name=username]", "hq")
    phone.fill("input[name=password]", PASSWORD)
    with phone.expect_navigation():
        phone.click("main form:not(.logout) button[type=submit]")
    assert phone.url.endswith("/kk/hq/primaries-test/"), phone.url
    assert phone.locator("svg.hq-map circle").count() == 0  # the stations have no coordinates
    checked(phone, problems)
    assert not problems, problems
