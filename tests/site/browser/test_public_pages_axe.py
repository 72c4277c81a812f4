"""axe-core in real Chromium on every public page (home, sign-in, the code, the board and a
look-up, counts, the roll, results before and after the tally, check my ballot with its
verdict, how to verify): no serious or critical violation, at 360 px (a phone) and at 1280 px
(a desktop)."""

from __future__ import annotations

import pytest
from tests.site.browser.audit import audit
from tests.site.browser.axe import axe_violations
from tests.site.pages_world import tally, voted_page_world
from tests.voting.helpers import last_code

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def world(members):
    return voted_page_world(members)


@pytest.mark.parametrize(("width", "lang"), [(360, "kk"), (1280, "ru"), (1280, "en")])
def test_no_serious_or_critical_violation_on_a_public_page(world, phone, width, lang):
    phone.set_viewport_size({"width": width, "height": 800})
    slug, voter, code = world.election.slug, world.voters[0], world.receipt["tracking_code"]
    found, seen = [], []

    def check(path: str, status: int = 200, ready: str | None = None) -> None:
        if path:
            phone.goto("about:blank")  # a new document even when only the fragment differs
            response = phone.goto(phone.base + path)
            assert response is not None and response.status == status, (path, response)
        if ready:
            phone.locator(ready).wait_for()
        seen.append(phone.url)
        found.extend(axe_violations(phone))
        if width == 360:  # overflow, tap targets, described-by ids, CSP, script errors
            found.extend(audit(phone)["problems"])

    def submit(fields: dict[str, str], status: int) -> None:
        for name, value in fields.items():
            phone.fill(f"input[name={name}]", value)
        with phone.expect_navigation() as navigation:
            phone.click("main form button[type=submit]")
        assert navigation.value.status == status, phone.url
        check("")

    check(f"/{lang}/")
    check(f"/{lang}/vote/{slug}/")
    submit({"iin": "123", "phone": voter.phone}, 422)  # with its error
    submit({"iin": voter.iin, "phone": voter.phone}, 200)  # the code page
    submit({"code": "000000" if last_code() != "000000" else "111111"}, 400)
    check(f"/{lang}/board/{slug}/")
    check(f"/{lang}/board/{slug}/?code={code}")
    check(f"/{lang}/board/{slug}/counts/")
    check(f"/{lang}/roll/{slug}/")
    check(f"/{lang}/board/{slug}/results/", 409)
    check(f"/{lang}/board/{slug}/check/")
    check(f"/{lang}/board/{slug}/check/#{code}", ready="[data-verdict=verified]")
    phone.fill("#id_code", "nonsense")
    phone.click("main form button[type=submit]")
    check("", ready="#id_code_error:visible")
    check(f"/{lang}/board/{slug}/verify/")
    tally(world)
    check(f"/{lang}/board/{slug}/results/")
    check(f"/{lang}/vote/{slug}/")  # voting is over
    assert len(seen) == 16
    assert phone.evaluate("document.documentElement.clientWidth") == width
    assert not found, "\n".join(found)
