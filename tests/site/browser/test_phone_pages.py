"""The voter's and the public pages in real Chromium on a 360-px phone, in kk, ru and en:
no horizontal overflow, tap targets ≥ 44 px, aria-describedby ids that exist, error boxes
clear of the inputs, no CSP violation, local times with their zone, names instead of ids."""

from __future__ import annotations

import re

import pytest
from tests.site.browser.audit import audit
from tests.site.pages_world import CANDIDATES, CITY, TITLE, tally, voted_page_world
from tests.voting.helpers import last_code

# serialized_rollback: the data migrations' rows are put back (as every live-server test does)
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

#: 13 digits standing alone (a hash or tracking code may hold such a run between its letters)
RAW_MS = re.compile(r"(?<![0-9a-f])\d{13}(?![0-9a-f])")


def visit(page, path: str, expect: int = 200) -> dict:
    response = page.goto(page.base + path)
    assert response is not None and response.status == expect, (path, response and response.status)
    return audit(page)


def submit(page, fields: dict[str, str], expect: int) -> dict:
    for name, value in fields.items():
        page.fill(f"input[name={name}]", value)
    with page.expect_navigation() as navigation:
        page.click("main form button[type=submit]")
    assert navigation.value.status == expect, (page.url, navigation.value.status)
    return audit(page)


@pytest.fixture
def world(members):
    return voted_page_world(members)


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_every_page_fits_a_phone(world, phone, lang):
    slug, voter = world.election.slug, world.voters[0]
    problems, checked = [], []

    def check(found: dict, what: str) -> dict:
        problems.extend(found["problems"])
        checked.append(what)
        return found

    home = check(visit(phone, f"/{lang}/"), "home")
    assert TITLE[lang] in home["main"]
    links = (f"/{lang}/vote/{slug}/", f"/{lang}/board/{slug}/", f"/{lang}/board/{slug}/results/")
    for link in links:
        assert phone.locator(f'main a[href="{link}"]').count() == 1, link

    check(visit(phone, f"/{lang}/vote/{slug}/"), "sign-in")
    assert phone.locator("h1").inner_text() == TITLE[lang]
    bad = check(submit(phone, {"iin": "123", "phone": voter.phone}, 422), "sign-in error")
    assert bad["errors"] >= 1
    assert phone.get_attribute("#id_iin", "aria-describedby") == "id_iin_error"
    check(submit(phone, {"iin": voter.iin, "phone": voter.phone}, 200), "code")
    wrong = "000000" if last_code() != "000000" else "111111"
    bad = check(submit(phone, {"code": wrong}, 400), "code error")
    assert bad["errors"] >= 1
    signed_in = check(submit(phone, {"code": last_code()}, 200), "signed in")
    assert CITY[voter.district][lang] in signed_in["main"]
    assert voter.district not in signed_in["main"]

    board = check(visit(phone, f"/{lang}/board/{slug}/"), "board")
    assert world.receipt["tracking_code"] in board["main"]
    times = phone.locator("main time")
    assert times.count() >= 2 and "Asia/Almaty" in times.first.inner_text()
    assert not RAW_MS.search(board["main"]), "raw milliseconds on the board page"
    check(visit(phone, f"/{lang}/board/{slug}/?code=nonsense"), "board lookup error")
    check(visit(phone, f"/{lang}/board/{slug}/?code={world.receipt['tracking_code']}"), "found")
    check(visit(phone, f"/{lang}/board/{slug}/counts/"), "counts")
    check(visit(phone, f"/{lang}/roll/{slug}/"), "roll")
    check(visit(phone, f"/{lang}/board/{slug}/results/", expect=409), "no results yet")
    check(visit(phone, f"/{lang}/no-such-page/", expect=404), "not found")

    tally(world)
    results = check(visit(phone, f"/{lang}/board/{slug}/results/"), "results")
    for name in [CITY["KZ-75"][lang], CITY["KZ-71"][lang], *(c[lang] for c in CANDIDATES)]:
        assert name in results["main"], name
    assert "KZ-7" not in results["main"] and "mazhilis" not in results["main"]
    closed = check(visit(phone, f"/{lang}/vote/{slug}/"), "sign-in when closed")
    assert phone.locator("main form").count() == 0 and "IIN" not in closed["main"]
    assert phone.locator(f'main a[href="/{lang}/board/{slug}/results/"]').count() == 1

    assert len(checked) == 15
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", ["/admin/login/", "/api/docs"])
def test_the_admin_and_api_pages_break_no_csp_rule(phone, path):
    phone.goto(phone.base + path)
    phone.wait_for_load_state("networkidle")
    found = audit(phone)
    violations = [p for p in found["problems"] if "CSP" in p or "script error" in p]
    assert not violations, "\n".join(violations)
