"""Online sign-in refuses a paper voter, naming their station's number and address, in
kk/ru/en, through the real API and the real page."""

from __future__ import annotations

import html

import pytest

from saylau.stations import services
from saylau.voting.models import VoterSession
from tests.stations.conftest import csv_bytes, stream, voters_in
from tests.voting.helpers import Api, last_code

pytestmark = pytest.mark.django_db
ADDRESS = "Алматы қ., Абай даңғылы 10, №12 мектеп"
PHRASES = {
    "kk": "№1 сайлау учаскесінде",
    "ru": "на избирательном участке № 1",
    "en": "polling station No. 1",
}


@pytest.fixture
def paper_voter(stations):
    voter = voters_in(stations, "KZ-75")[0]
    report = services.assign_paper_voters(
        stations.election, stream(csv_bytes([(voter.iin, "ALM-1")], ("iin", "station")))
    )
    assert report.created == 1
    return voter


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_api_refuses_a_paper_voter_naming_the_station(stations, paper_voter, client, lang):
    api = Api(client, stations.election.slug)
    header = {"HTTP_ACCEPT_LANGUAGE": lang}
    body = {"iin": paper_voter.iin, "phone": paper_voter.phone}
    response = api.post("/sign-in", body, **header)
    assert response.status_code == 202  # the first step tells no one who is on which list
    challenge = response.json()["challenge"]
    response = api.post("/sign-in/verify", {"challenge": challenge, "code": last_code()}, **header)
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "voting.paper_precinct"
    assert PHRASES[lang] in error["message"] and ADDRESS in error["message"]
    assert "ALM-1" in error["message"]
    assert not VoterSession.objects.exists()


def test_an_online_voter_still_signs_in(stations, paper_voter, client):
    other = voters_in(stations, "KZ-75")[1]
    token = Api(client, stations.election.slug).sign_in(other)
    assert token and VoterSession.objects.count() == 1


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_sign_in_page_refuses_a_paper_voter(stations, paper_voter, client, lang):
    slug = stations.election.slug
    response = client.post(
        f"/{lang}/vote/{slug}/", {"iin": paper_voter.iin, "phone": paper_voter.phone}
    )
    assert response.status_code == 302
    response = client.post(f"/{lang}/vote/{slug}/code/", {"code": last_code()})
    assert response.status_code == 409
    page = html.unescape(response.content.decode())
    assert PHRASES[lang] in page and ADDRESS in page
    assert not VoterSession.objects.exists()


def test_moving_the_voter_back_online_lets_them_in(stations, paper_voter, client):
    from saylau.stations.models import PaperAssignment

    PaperAssignment.objects.filter(member_id=paper_voter.member_id).delete()
    assert Api(client, stations.election.slug).sign_in(paper_voter)
