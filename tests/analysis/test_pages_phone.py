"""The report page in real Chromium at 360 px in kk, ru and en: no horizontal scroll, tap
targets of 44 px, no CSP violation (the SVG figures load and draw under it), and no serious
or critical axe-core violation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from saylau.analysis import report_cache
from saylau.analysis.run import Settings
from tests.analysis.online_world import announce, simulated_election
from tests.site.browser.audit import audit
from tests.site.browser.axe import axe_violations
from tests.site.browser.conftest import phone, site_settings

__all__ = ["phone", "site_settings"]  # the browser tests' fixtures, used here

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WIDE_TABLES = """() => [...document.querySelectorAll('.table-scroll')]
  .filter((e) => e.scrollWidth > e.clientWidth + 1)
  .map((e) => 'a table scrolls sideways: ' + e.scrollWidth + ' px in ' + e.clientWidth)"""
IMAGES = """() => Promise.all([...document.images].map((i) => i.decode().then(
  () => i.naturalWidth, () => 0)))"""


@pytest.fixture
def fast(settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings.VAR_DIR = tmp_path
    monkeypatch.setattr(
        report_cache, "SETTINGS", Settings(draws=40, digit_draws=5, boot=40, null_draws=10)
    )


def test_the_report_page_fits_a_phone_and_passes_axe(phone, fast):
    world = simulated_election("phone-analysis", attack=True)
    announce(world)
    report_cache.report_of(world.election)  # computed once, before the browser asks
    problems = []
    for lang in ("kk", "ru", "en"):
        response = phone.goto(f"{phone.base}/{lang}/analysis/{world.election.slug}/")
        assert response is not None and response.status == 200, lang
        widths = phone.evaluate(IMAGES)
        assert len(widths) >= 9 and all(w > 0 for w in widths), widths
        problems.extend(axe_violations(phone))
        problems.extend(audit(phone)["problems"])
        problems.extend(f"{phone.url}: {t}" for t in phone.evaluate(WIDE_TABLES))
        problems.extend(phone.evaluate("() => window.__csp"))
    svg = phone.goto(f"{phone.base}/en/analysis/{world.election.slug}/figures/online.svg")
    assert svg is not None and svg.status == 200
    problems.extend(phone.evaluate("() => window.__csp || []"))
    problems.extend(phone.problems)
    assert not problems, "\n".join(problems)
