"""The public "check my ballot" and "how to verify" pages as the server renders them: the data
island the page script reads (its API addresses answer), the texts in the page's language,
the board key and fingerprint that the API gives, the record link once published, links from
the board and the home page, and a 404 for an unknown election."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

from saylau.voting.check import CODE_SLOT, messages
from tests.site.pages_world import TITLE, page_world
from tests.voting.helpers import Api

pytestmark = pytest.mark.django_db


@pytest.fixture
def localized(members):
    return page_world(members)


def island(body: str, name: str) -> dict:
    found = re.search(rf'<script id="{name}" type="application/json">(.*?)</script>', body, re.S)
    assert found, name
    return json.loads(found.group(1))


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_check_page_hands_its_script_what_it_needs(localized, client, lang):
    slug = localized.election.slug
    response = client.get(f"/{lang}/board/{slug}/check/")
    body = response.content.decode()
    assert response.status_code == 200 and TITLE[lang] in body
    assert '<script type="module" src="/static/saylau_site/js/check.js"></script>' in body
    data = island(body, "check-data")
    assert client.get(data["election_url"]).json()["slug"] == slug
    code = "ab" * 32
    lookup = client.get(data["ballot_url"].replace(data["code_slot"], code))
    assert data["code_slot"] == CODE_SLOT and lookup.status_code == 404  # no such ballot
    with translation.override(lang):
        assert data["messages"] == messages()
        assert data["messages"]["verified"] == gettext(
            "Verified: this ballot is on the bulletin board."
        )
        assert data["messages"]["kind.revote"] == gettext("new ballot (re-vote)")
    time = island(body, "time-data")
    assert time["timeZone"] == "Asia/Almaty" and len(time["months"]) == 12
    # without a script the form still finds the ballot, on the board page
    assert f'action="/{lang}/board/{slug}/" method="get"' in body and 'name="code"' in body


def test_the_script_speaks_kazakh_and_russian():
    texts = {}
    for lang in ("kk", "ru", "en"):
        with translation.override(lang):
            texts[lang] = messages()
    for key, english in texts["en"].items():
        assert texts["kk"][key] != english and texts["ru"][key] != english, key


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_how_to_verify_names_the_keys_and_the_verifier(localized, client, lang):
    election, slug = localized.election, localized.election.slug
    body = client.get(f"/{lang}/board/{slug}/verify/").content.decode()
    api = client.get(f"/api/voting/{slug}").json()
    assert api["board_public_key"] in body and api["fingerprint"] in body
    assert f"saylau verify record.zip --lang {lang}" in body
    assert f"saylau vote find http://testserver {slug} TRACKING_CODE" in body
    with translation.override(lang):
        assert gettext("How this election can be verified") in body
        assert gettext("The election record has not been published yet.") in body
    assert f"{election.trustees}" in body and f"{election.threshold}" in body
    assert f'href="/{lang}/board/{slug}/check/"' in body
    assert f'href="/api/voting/{slug}/record"' not in body


def test_how_to_verify_links_the_record_once_published(localized, client, settings, tmp_path):
    from saylau.elections.models import Status
    from saylau.elections.publication import record_zip

    settings.VAR_DIR = tmp_path
    election, slug = localized.election, localized.election.slug
    election.status = Status.PUBLISHED
    election.save(update_fields=["status"])
    body = client.get(f"/en/board/{slug}/verify/").content.decode()
    assert f'href="/api/voting/{slug}/record"' not in body  # published, but no zip on disk
    record_zip(election).parent.mkdir(parents=True)
    record_zip(election).write_bytes(b"PK\x05\x06" + bytes(18))  # an empty zip
    body = client.get(f"/en/board/{slug}/verify/").content.decode()
    assert f'href="/api/voting/{slug}/record"' in body
    assert client.get(f"/api/voting/{slug}/record").status_code == 200


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_board_and_the_home_page_link_both(localized, client, lang):
    slug, voter = localized.election.slug, localized.voters[0]
    api = Api(Client(), slug)
    code = api.cast(localized.ballot(voter), api.sign_in(voter)).json()["receipt"]["tracking_code"]
    for page in (f"/{lang}/", f"/{lang}/board/{slug}/"):
        body = client.get(page).content.decode()
        assert f'href="/{lang}/board/{slug}/check/"' in body, page
        assert f'href="/{lang}/board/{slug}/verify/"' in body, page
    for page in (f"/{lang}/board/{slug}/", f"/{lang}/board/{slug}/?code={code}"):
        body = client.get(page).content.decode()  # the latest leaves, the ballot found
        assert body.count(f'href="/{lang}/board/{slug}/check/#{code}"') == 1 + ("?" in page)


@pytest.mark.parametrize("page", ["check", "verify"])
def test_an_unknown_election_is_a_404(db, client, page):
    response = client.get(f"/ru/board/no-such-election/{page}/")
    assert response.status_code == 404
    assert "no-such-election" in response.content.decode()
