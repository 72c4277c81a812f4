"""The report page in real Chromium at 360 px in kk, ru and en: no horizontal scroll, tap
targets of 44 px, no CSP violation (the SVG figures load and draw under it), and no serious
or critical axe-core violation."""

from __future__ import annotations

import io
import zipfile
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


def test_the_report_pages_fit_a_phone_and_pass_axe(phone, fast, tmp_path, client):
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
    problems.extend(_upload_pages(phone, tmp_path))
    svg = phone.goto(f"{phone.base}/en/analysis/{world.election.slug}/figures/online.svg")
    assert svg is not None and svg.status == 200
    problems.extend(phone.evaluate("() => window.__csp || []"))
    problems.extend(phone.problems)
    assert not problems, "\n".join(problems)


def _upload_pages(phone: Any, tmp_path: Path) -> list[str]:
    """A published CSV analysis, and (as staff) the upload form with a refusal on it."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from saylau.analysis import uploads
    from tests.analysis.test_analyze_cli import analyze, write_election

    data, columns = write_election(tmp_path, stations=120)
    assert analyze(data, columns, tmp_path / "out").exit_code == 0
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for path in (tmp_path / "out").iterdir():
            z.write(path, path.name)
    stored = uploads.accept(buffer.getvalue(), "Observers' analysis of results.csv")
    staff = get_user_model().objects.create_user("hq", password="x", is_staff=True)
    client = Client()
    client.force_login(staff)
    cookie = {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": phone.base}
    phone.context.add_cookies([cookie])
    problems = []
    for lang in ("kk", "ru", "en"):
        response = phone.goto(f"{phone.base}/{lang}/analyses/{stored.id}/")
        assert response is not None and response.status == 200
        assert all(w > 0 for w in phone.evaluate(IMAGES))
        problems += axe_violations(phone) + audit(phone)["problems"]
        problems += [f"{phone.url}: {t}" for t in phone.evaluate(WIDE_TABLES)]
        response = phone.goto(f"{phone.base}/{lang}/analyses/new/")
        assert response is not None and response.status == 200
        phone.fill("#id_title", "x")
        phone.set_input_files(
            "#id_report",
            files=[{"name": "r.zip", "mimeType": "application/zip", "buffer": b"not a zip"}],
        )
        with phone.expect_navigation():
            phone.click("main button[type=submit]")
        assert phone.locator(".error").count() >= 1, phone.inner_text("main")
        problems += axe_violations(phone) + audit(phone)["problems"]
    return problems
