"""The pages around an election's stages: the home page's links, a closed election's sign-in
page, results before and after the tally (page and API), names in the page's language."""

from __future__ import annotations

import pytest

from saylau.elections.models import Status
from saylau.voting.models import Challenge
from tests.site.pages_world import CANDIDATES, CITY, PARTY, TITLE, page_world, tally
from tests.voting.helpers import sms_count

pytestmark = pytest.mark.django_db


@pytest.fixture
def localized(members):
    return page_world(members)


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_home_page_links_each_election(localized, client, lang):
    slug = localized.election.slug
    body = client.get(f"/{lang}/").content.decode()
    assert TITLE[lang] in body
    for path in (
        f"/{lang}/vote/{slug}/",
        f"/{lang}/board/{slug}/",
        f"/{lang}/board/{slug}/results/",
    ):
        assert f'href="{path}"' in body, path


def test_a_draft_is_not_on_the_home_page_and_a_closed_one_offers_no_vote(localized, client):
    election, slug = localized.election, localized.election.slug
    election.status = Status.CLOSED
    election.save(update_fields=["status"])
    body = client.get("/en/").content.decode()
    assert f'href="/en/board/{slug}/"' in body and f'href="/en/vote/{slug}/"' not in body
    election.status = Status.DRAFT
    election.save(update_fields=["status"])
    assert TITLE["en"] not in client.get("/en/").content.decode()


@pytest.mark.parametrize("status", [Status.CLOSED, Status.TALLIED, Status.PUBLISHED])
def test_a_closed_elections_sign_in_page_offers_no_sign_in(localized, client, status):
    election, voter = localized.election, localized.voters[0]
    election.status = status
    election.save(update_fields=["status"])
    slug = election.slug
    for response in (
        client.get(f"/ru/vote/{slug}/"),
        client.post(f"/ru/vote/{slug}/", {"iin": voter.iin, "phone": voter.phone}),
    ):
        body = response.content.decode()
        assert response.status_code == 200
        assert "Голосование закрыто" in body and '<form method="post" novalidate>' not in body
        assert f'href="/ru/board/{slug}/"' in body and f'href="/ru/board/{slug}/results/"' in body
    assert sms_count() == 0 and Challenge.objects.count() == 0


def test_past_its_closing_time_the_sign_in_page_says_closed(localized, client):
    import datetime as dt

    from django.utils import timezone

    election = localized.election
    election.closes_at = timezone.now() - dt.timedelta(minutes=1)
    election.save(update_fields=["closes_at"])
    assert "Voting is closed" in client.get(f"/en/vote/{election.slug}/").content.decode()


@pytest.mark.parametrize(
    ("lang", "stage"), [("kk", "«ашық»"), ("ru", "«открыт»"), ("en", "“open”")]
)
def test_results_before_the_tally_say_the_stage(localized, client, lang, stage):
    slug = localized.election.slug
    answer = client.get(f"/api/voting/{slug}/results", HTTP_ACCEPT_LANGUAGE=lang)
    assert answer.status_code == 409
    error = answer.json()["error"]
    assert error["code"] == "results.not_ready" and stage in error["message"]
    page = client.get(f"/{lang}/board/{slug}/results/")
    assert page.status_code == 409 and stage in page.content.decode()


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_results_show_the_manifests_names_in_the_page_language(localized, client, lang):
    results = tally(localized)
    slug = localized.election.slug
    assert client.get(f"/api/voting/{slug}/results").json() == results
    page = client.get(f"/{lang}/board/{slug}/results/")
    body = page.content.decode()
    assert page.status_code == 200 and TITLE[lang] in body
    for name in [CITY["KZ-75"][lang], CITY["KZ-71"][lang], *(c[lang] for c in CANDIDATES)]:
        assert name in body, name
    assert body.count(f'<span class="muted">{PARTY[lang]}</span>') == 2  # a candidate per district
    assert "KZ-75" not in body and "mazhilis" not in body


def test_counts_name_the_districts_in_the_page_language(localized, client):
    body = client.get(f"/kk/board/{localized.election.slug}/counts/").content.decode()
    assert CITY["KZ-75"]["kk"] in body and CITY["KZ-75"]["ru"] not in body
