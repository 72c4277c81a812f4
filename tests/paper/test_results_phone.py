"""The results pages in real Chromium at 360 px in kk, ru and en: no horizontal scroll, tap
targets of 44 px, no CSP violation, and no serious or critical axe-core violation (also at
1280 px)."""

from __future__ import annotations

import pytest

from tests.paper.results_world import results_world
from tests.site.browser.audit import audit
from tests.site.browser.axe import axe_violations
from tests.site.browser.conftest import phone, site_settings

__all__ = ["phone", "site_settings"]  # the browser tests' fixtures, used here

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.urls("tests.paper.results_site_urls"),
]

#: Tables wider than their box: they would scroll sideways inside the page.
WIDE_TABLES = """() => [...document.querySelectorAll('.table-scroll')]
  .filter((e) => e.scrollWidth > e.clientWidth + 1)
  .map((e) => 'a table scrolls sideways: ' + e.scrollWidth + ' px in ' + e.clientWidth)"""


@pytest.mark.parametrize(("width", "lang"), [(360, "kk"), (360, "ru"), (360, "en"), (1280, "ru")])
def test_the_results_pages_fit_a_phone_and_pass_axe(phone, width, lang):
    world = results_world()
    phone.set_viewport_size({"width": width, "height": 800})
    slug = world.election.slug
    problems, seen = [], []
    for path in ("", "KZ-75/", "KZ-71/", "station/S-001/", "station/S-101/"):
        response = phone.goto(f"{phone.base}/{lang}/results/{slug}/{path}")
        assert response is not None and response.status == 200, path
        seen.append(path)
        problems.extend(axe_violations(phone))
        if width == 360:
            problems.extend(audit(phone)["problems"])
            problems.extend(f"{phone.url}: {t}" for t in phone.evaluate(WIDE_TABLES))
    assert phone.locator("main code.hash").count() == 1  # S-101: one published revision
    world.election.status = "open"
    world.election.save(update_fields=["status"])
    response = phone.goto(f"{phone.base}/{lang}/results/{slug}/")
    assert response is not None and response.status == 409
    problems.extend(axe_violations(phone))
    if width == 360:
        problems.extend(audit(phone)["problems"])
    assert len(seen) == 5
    assert not problems, "\n".join(problems)
