"""The HQ's discrepancy and PVT pages in real Chromium at 360 px: no serious or critical
axe-core violation, no CSP violation, nothing wider than the phone, in kk, ru and en."""

from __future__ import annotations

import pytest

from saylau.stations.models import Station
from saylau.web import roles
from tests.observation.tabulate_world import accept, accredit, good_counts, send_copy
from tests.observation.world import PASSWORD, build_obs_world
from tests.site.browser.audit import audit
from tests.site.browser.axe import axe_violations
from tests.site.browser.conftest import phone, site_settings

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
__all__ = ["phone", "site_settings"]

PVT = "pvt/?contest=KZ-75-mazhilis&margin=0.05&seed=browser"


@pytest.fixture
def hq_world(members, settings, tmp_path):
    """Ten stations in KZ-75 with accepted protocols and a copy each (one with a slip, with
    a photo), a second observer's disagreeing copy at S-75, and a complaint draft."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    roles.sync_groups()  # a transactional test's flush may have removed the groups
    ow = build_obs_world(members)
    for i in range(1, 10):
        Station.objects.create(
            election=ow.election, code=f"S-75-{i:02d}", number=10 + i, district="KZ-75"
        )
    stations = Station.objects.filter(election=ow.election, district="KZ-75").order_by("code")
    for i, station in enumerate(stations):
        accept(ow.election, station, good_counts(o1=40 + i, o2=30 - i))
        accredit(ow, "coord", "obs1", station)
        typed = good_counts(o1=45, o2=25) if i == 0 else good_counts(o1=40 + i, o2=30 - i)
        send_copy(ow, "obs1", station, typed, photo=i == 0)
    accredit(ow, "coord_b", "obs_b", ow.station)
    send_copy(ow, "obs_b", ow.station, good_counts())
    return ow


def sign_in(page, lang):
    target = f"/{lang}/hq/primaries-test/discrepancies/"
    page.goto(f"{page.base}/{lang}/observe/login/?next={target}")
    page.fill("input[name=username]", "hq")
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("main form:not(.logout) button[type=submit]")
    assert page.url.endswith(target), page.url


def checked(page, problems):
    problems.extend(audit(page)["problems"])
    problems.extend(axe_violations(page))


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_discrepancy_and_pvt_pages_pass_axe_on_a_phone(phone, hq_world, lang):
    phone.set_viewport_size({"width": 360, "height": 800})
    problems: list[str] = []
    sign_in(phone, lang)
    checked(phone, problems)
    assert phone.locator("section.discrepancy").count() >= 1
    with phone.expect_navigation():
        phone.click("section.discrepancy form button[type=submit]")  # open a draft
    assert phone.locator("[role=status]").count() == 1
    checked(phone, problems)
    response = phone.goto(f"{phone.base}/{lang}/hq/primaries-test/{PVT}")
    assert response is not None and response.status == 200
    assert phone.locator("table").count() == 2  # the design and the estimate
    checked(phone, problems)
    response = phone.goto(f"{phone.base}/{lang}/hq/primaries-test/pvt/?margin=abc")
    assert response is not None and response.status == 400
    checked(phone, problems)
    assert not problems, "\n".join(problems)
