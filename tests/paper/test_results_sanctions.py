"""Sanctions on the results pages and exports (paper.results, paper.sanction_source): a
deregistered candidate's votes shown as excluded, an annulled station's protocols out of the
totals, an annulled district "annulled — re-vote", in kk, ru and en; the CSV and JSON exports
carry them; a sanction that does not fit the election is named (409), never a 500."""

from __future__ import annotations

import csv
import html
import io
import json

import pytest

from saylau.paper import results, sanction_source
from saylau.protocol.sanctions import (
    ANNUL_DISTRICT,
    ANNUL_STATION,
    DEREGISTER_CANDIDATE,
    INVALID,
    SET_ASIDE,
)
from tests.paper.results_world import SEAT, results_world
from tests.paper.sanctions_world import decided, sanction

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.paper.results_site_urls")]
__all__ = ["decided"]  # the fixture

KZ71 = "kz-71-seat"


@pytest.fixture
def world():
    return results_world()


def rows_of(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


def entry(world, district: str, contest: str) -> dict:
    document = results.final_consolidation(world.election)
    found: dict = document["districts"][district]["contests"][contest]
    return found


def test_with_no_provider_there_are_no_sanctions(world):
    previous = sanction_source.register(None)
    try:
        assert sanction_source.sanctions_for(world.election) == (SET_ASIDE, ())
        assert "sanctions" not in results.final_consolidation(world.election)
    finally:
        sanction_source.register(previous)


def test_a_deregistered_winner_is_excluded_and_the_runner_up_wins(client, world, decided):
    assert entry(world, "KZ-71", KZ71)["winners"] == [f"{KZ71}-1"]  # 9 : 7
    s = sanction(1, DEREGISTER_CANDIDATE, district="KZ-71", contest=KZ71, option=f"{KZ71}-1")
    decided[world.election.slug] = (INVALID, (s,))
    e = entry(world, "KZ-71", KZ71)
    assert e["winners"] == [f"{KZ71}-2"] and e["total"][f"{KZ71}-1"] == 0
    assert e["excluded"] == {f"{KZ71}-1": 9} and e["invalid"] == e["paper_invalid"] + 9

    page = client.get(f"/en/results/{world.election.slug}/KZ-71/").content.decode()
    assert "deregistered" in page and "Votes excluded: 9 (decision PCC-2026-0001)" in page
    assert f"counted as invalid: {e['invalid']} invalid in all" in page
    rows = rows_of(client.get(f"/en/results/{world.election.slug}/results.csv"))
    by_option = {r["option"]: r for r in rows}
    assert by_option[f"{KZ71}-1"]["excluded"] == "9" and by_option[f"{KZ71}-1"]["total"] == "0"
    assert by_option[f"{KZ71}-2"]["excluded"] == "" and by_option[f"{KZ71}-2"]["winner"] == "1"


def test_the_set_aside_rule_leaves_invalid_as_it_was(client, world, decided):
    s = sanction(1, DEREGISTER_CANDIDATE, contest=KZ71, option=f"{KZ71}-1")
    decided[world.election.slug] = (SET_ASIDE, (s,))
    e = entry(world, "KZ-71", KZ71)
    assert e["invalid"] == e["paper_invalid"]
    page = client.get(f"/ru/results/{world.election.slug}/KZ-71/").content.decode()
    assert "PCC-2026-0001" in page
    assert ">deregistered<" not in page and "Votes excluded" not in page  # in Russian


def test_an_annulled_station_leaves_the_totals(client, world, decided):
    before = entry(world, "KZ-75", SEAT)
    decided[world.election.slug] = (SET_ASIDE, (sanction(1, ANNUL_STATION, station="S-002"),))
    after = entry(world, "KZ-75", SEAT)
    assert after["annulled_stations"] == ["S-002"]
    assert after["paper_stations"] == before["paper_stations"] - 1
    assert (after["total"][f"{SEAT}-1"], after["total"][f"{SEAT}-2"]) == (5, 6)
    assert before["tie"] and after["winners"] == [f"{SEAT}-2"]

    slug = world.election.slug
    station = client.get(f"/en/results/{slug}/station/S-002/").content.decode()
    assert "annulled this station's result (decision PCC-2026-0001)" in station
    assert "annulled, does not count" in station
    district = client.get(f"/en/results/{slug}/KZ-75/").content.decode()
    assert "Annulled stations, whose protocols do not count" in district
    rows = rows_of(client.get(f"/en/results/{slug}/protocols.csv"))
    assert {r["station"]: r["annulled"] for r in rows} == {"S-001": "0", "S-002": "1", "S-101": "0"}


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_an_annulled_district_says_annulled_re_vote(client, world, decided, lang):
    decided[world.election.slug] = (SET_ASIDE, (sanction(7, ANNUL_DISTRICT, district="KZ-75"),))
    for contest in (SEAT, "council"):
        e = entry(world, "KZ-75", contest)
        assert e["annulled"] and e["winners"] == [] and not e["recount"]
    assert entry(world, "KZ-71", KZ71)["winners"] == [f"{KZ71}-1"]
    slug = world.election.slug
    page = client.get(f"/{lang}/results/{slug}/").content.decode()
    assert "PCC-2026-0007" in page
    if lang == "en":
        assert "annulled — re-vote" in page and "Annulled — re-vote" in page
    else:
        assert "re-vote" not in page and "Annulled" not in page
    document = json.loads(client.get(f"/{lang}/results/{slug}/results.json").content)
    assert document["sanctions"] == ["S-7"]
    assert document["districts"]["KZ-75"]["contests"][SEAT]["annulled"] is True
    rows = rows_of(client.get(f"/{lang}/results/{slug}/results.csv"))
    assert {r["annulled"] for r in rows if r["district"] == "KZ-75"} == {"1"}
    assert {r["annulled"] for r in rows if r["district"] == "KZ-71"} == {"0"}


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_a_sanction_that_does_not_fit_is_named_not_a_server_error(client, world, decided, lang):
    decided[world.election.slug] = (SET_ASIDE, (sanction(1, ANNUL_STATION, station="S-999"),))
    slug = world.election.slug
    response = client.get(f"/{lang}/results/{slug}/")
    assert response.status_code == 409
    text = html.unescape(response.content.decode())
    assert "S-999" in text
    if lang == "en":
        assert "A sanction does not fit the election: station 'S-999' is not in" in text
    else:
        assert "A sanction does not fit" not in text
    answer = client.get(f"/{lang}/results/{slug}/results.json")
    assert answer.status_code == 409 and "S-999" in answer.json()["error"]["message"]
