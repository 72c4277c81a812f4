"""The booth tests' election, a signed-in browser, and the booth driven step by step.

The election: per district a "choose one" contest (three candidates and "against all") and a
"choose up to three" contest (five candidates and "against all"), named in kk, ru and en; the
candidates' parties in kk, ru and en, two candidates independents.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

from django.test import Client
from tests.site.browser.audit import audit
from tests.site.browser.axe import axe_violations
from tests.voting.helpers import DISTRICTS, World, build_world, last_code

from saylau.protocol.ballot import ElectionContext
from saylau.protocol.manifest import manifest_from_json

ROOT = Path(__file__).parents[3]
SHOTS = ROOT / "var" / "screenshots" / "booth"
WIDTHS = (360, 1280)

CITY = {
    "KZ-75": {"kk": "Алматы қаласы", "ru": "город Алматы", "en": "Almaty city"},
    "KZ-71": {"kk": "Астана қаласы", "ru": "город Астана", "en": "Astana city"},
}
AGAINST_ALL = {"kk": "Бәріне қарсымын", "ru": "Против всех", "en": "Against all"}
PEOPLE = [
    {"kk": "Айгүл Серікқызы", "ru": "Айгуль Сериковна", "en": "Aigul Serikovna"},
    {"kk": "Ержан Болатұлы", "ru": "Ержан Болатович", "en": "Yerzhan Bolatovich"},
    {"kk": "Дәулет Асқарұлы", "ru": "Даулет Аскарович", "en": "Daulet Askarovich"},
    {"kk": "Гүлнар Ахметқызы", "ru": "Гульнар Ахметовна", "en": "Gulnar Akhmetovna"},
    {"kk": "Нұрлан Қайратұлы", "ru": "Нурлан Кайратович", "en": "Nurlan Kairatovich"},
]
#: the candidates' parties, by candidate (None: an independent)
PARTIES: list[dict[str, str] | None] = [
    {"kk": "Жаңа жол партиясы", "ru": "Партия «Новый путь»", "en": "New Path Party"},
    {"kk": "Жасыл дала партиясы", "ru": "Партия «Зелёная степь»", "en": "Green Steppe Party"},
    None,
    {"kk": "Жаңа жол партиясы", "ru": "Партия «Новый путь»", "en": "New Path Party"},
    None,
]
TITLE = {"kk": "Праймериз 2026", "ru": "Праймериз 2026", "en": "Primaries 2026"}
#: (contest suffix, min, max, number of candidates), each with "against all" last
CONTESTS = (("mazhilis", 1, 1, 3), ("maslikhat", 0, 3, 5))


def booth_manifest(slug: str) -> dict[str, Any]:
    contests, styles, districts = [], [], []
    for code in DISTRICTS:
        ids = []
        for suffix, low, high, n in CONTESTS:
            cid = f"{code}-{suffix}"
            ids.append(cid)
            body = "Мәжіліс" if suffix == "mazhilis" else "Мәслихат"
            options: list[dict[str, Any]] = []
            for j in range(n):
                option: dict[str, Any] = {"id": f"{cid}-{j + 1}", "name": dict(PEOPLE[j])}
                party = PARTIES[j]
                if party is not None:
                    option["party"] = dict(party)
                options.append(option)
            options.append({"id": f"{cid}-aa", "name": dict(AGAINST_ALL), "against_all": True})
            contests.append(
                {
                    "id": cid,
                    "name": {
                        "kk": f"{body}, {CITY[code]['kk']}",
                        "ru": f"{'Мажилис' if suffix == 'mazhilis' else 'Маслихат'}, "
                        f"{CITY[code]['ru']}",
                        "en": f"{suffix.capitalize()}, {CITY[code]['en']}",
                    },
                    "min_marks": low,
                    "max_marks": high,
                    "options": options,
                }
            )
        styles.append({"id": f"{code}-style", "contests": ids})
        districts.append({"id": code, "name": dict(CITY[code]), "ballot_style": f"{code}-style"})
    return {
        "schema": "saylau-manifest/1",
        "election_id": slug,
        "title": dict(TITLE),
        "districts": districts,
        "ballot_styles": styles,
        "contests": contests,
    }


def booth_world(members_rows: Any, **kwargs: Any) -> World:
    """build_world with the booth's manifest (fingerprint recomputed)."""
    kwargs.setdefault("ip_policy", "flag")
    world = build_world(members_rows, **kwargs)
    election = world.election
    election.manifest = booth_manifest(election.slug)
    world.ctx = ElectionContext.make(
        manifest_from_json(copy.deepcopy(election.manifest)), world.ctx.joint_public_key
    )
    election.fingerprint = world.ctx.fingerprint.hex()
    election.save(update_fields=["manifest", "fingerprint"])
    return world


def sign_in_cookie(page: Any, world: World, voter: Any, ip: str = "10.0.0.9") -> None:
    """Sign `voter` in through the pages with Django's client; give the browser its session."""
    client = Client(REMOTE_ADDR=ip)
    slug = world.election.slug
    answer = client.post(f"/en/vote/{slug}/", {"iin": voter.iin, "phone": voter.phone})
    assert answer.status_code == 302, answer.content
    answer = client.post(f"/en/vote/{slug}/code/", {"code": last_code()})
    assert answer.status_code == 302, answer.content
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": page.base}]
    )


class Booth:
    """The booth page of `world`, driven as a voter would (labels and buttons by their ids)."""

    def __init__(self, page: Any, world: World, name: str) -> None:
        self.page, self.world = page, world
        self.shots = SHOTS / re.sub(r"[^\w.-]+", "_", name)
        self.shots.mkdir(parents=True, exist_ok=True)
        self.count = 0
        self.problems: list[str] = []

    @property
    def slug(self) -> str:
        return str(self.world.election.slug)

    def open(self, lang: str = "en", fragment: str = "") -> Any:
        response = self.page.goto(f"{self.page.base}/{lang}/vote/{self.slug}/booth/{fragment}")
        assert response is not None and response.status == 200, response and response.status
        self.page.wait_for_selector("body[data-booth=ready]")
        return response

    def step(self) -> str:
        """The id of the step on show."""
        return str(self.page.locator("section.step:not([hidden])").get_attribute("id"))

    def shot(self, what: str, *, check: bool = False) -> None:
        """A screenshot (var/screenshots/booth/<test>/); with `check`, the step is audited at
        360 px and axe-core run at 360 and 1280 px (both screenshotted)."""
        self.count += 1
        name = f"{self.count:02d}-{what}"
        if not check:
            self.page.screenshot(path=self.shots / f"{name}.png", full_page=True)
            return
        self.problems += audit(self.page)["problems"]
        for width in WIDTHS:
            self.page.set_viewport_size({"width": width, "height": 740})
            self.problems += [f"{what} at {width} px: {v}" for v in axe_violations(self.page)]
            self.page.screenshot(path=self.shots / f"{name}-{width}.png", full_page=True)
        self.page.set_viewport_size({"width": WIDTHS[0], "height": 740})

    def enter_code(self, code: str) -> None:
        self.page.fill("#credential-code", code)
        self.page.click("#code-form button[type=submit]")

    def box(self, contest: int, option: int) -> Any:
        return self.page.locator(f"#option-{contest}-{option}")

    def mark(self, contest: int, *options: int) -> None:
        for option in options:
            self.box(contest, option).check()

    def review(self) -> None:
        self.page.click("#ballot-form button[type=submit]")
        self.page.wait_for_selector("#step-review:not([hidden])")

    def encrypt(self, button: str = "#encrypt-button") -> str:
        self.page.click(button)
        self.page.wait_for_selector("#encrypt-ready:not([hidden])", timeout=30_000)
        return str(self.page.inner_text("#ready-code"))

    def cast(self) -> None:
        self.page.click("#cast-button")

    def receipt(self) -> dict[str, str]:
        self.page.wait_for_selector("#step-receipt:not([hidden])", timeout=20_000)
        self.page.wait_for_selector("#receipt-qr[src^='data:image/svg+xml']", state="attached")
        fields = ("code", "leaf", "time", "kind", "size", "root", "signature", "check", "note")
        return {f: self.page.inner_text(f"#receipt-{f}") for f in fields}

    def cast_status(self) -> str:
        """The cast step's message, once the cast came to an outcome."""
        self.page.wait_for_selector("#step-cast[data-outcome]:not([hidden])")
        return str(self.page.inner_text("#cast-status"))


def decrypt_marks(world: World, raw: dict[str, Any]) -> dict[str, list[int]]:
    """A ballot's marks, decrypted with the trustees' whole secret (tests only)."""
    from saylau.crypto import group
    from saylau.crypto.elgamal import decrypt_to_element
    from saylau.crypto.threshold import lagrange_at_zero
    from saylau.protocol.ballot import ballot_from_json

    indices = sorted(world.shares)
    secret = sum(lagrange_at_zero(j, indices) * world.shares[j] for j in indices) % group.L
    marks = {}
    for contest in ballot_from_json(raw).contests:
        found = [decrypt_to_element(secret, choice.ct) for choice in contest.choices]
        assert all(m in (group.IDENTITY, group.GENERATOR) for m in found)
        marks[contest.contest_id] = [int(m == group.GENERATOR) for m in found]
    return marks
