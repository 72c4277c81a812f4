"""The HQ's PVT page: the design and the seeded draw are saylau.survey.design's, the estimate
from the observers' copies of the drawn stations is saylau.survey.pvt's on the same numbers,
compared with the official result, with how many sampled stations have a copy yet, and the
numbers written for the page's language."""

from __future__ import annotations

import numpy as np
import pytest
from django.utils import translation

from saylau.observation import pvt_page
from saylau.observation.pvt_views import number, percent
from saylau.stations.models import Station
from saylau.survey import design as sampling
from saylau.survey import pvt
from saylau.survey.ratio import Strata
from tests.observation.tabulate_world import (
    CONTEST,
    OPTIONS,
    accept,
    accredit,
    good_counts,
    login,
    send_copy,
)

SEED = "2026-06-07 lottery"
PAGE = "/{lang}/hq/primaries-test/pvt/?contest=KZ-75-mazhilis&margin=0.05&seed=" + SEED


def counts(i):
    return good_counts(o1=40 + i, o2=30 - i)


@pytest.fixture
def frame(ow):
    """Ten stations in KZ-75 (S-75 and S-75-01…09), each with an accepted protocol; obs1 is
    accredited to every one of them."""
    for i in range(1, 10):
        Station.objects.create(
            election=ow.election, code=f"S-75-{i:02d}", number=10 + i, district="KZ-75"
        )
    stations = list(Station.objects.filter(election=ow.election, district="KZ-75").order_by("code"))
    for i, station in enumerate(stations):
        accept(ow.election, station, counts(i))
        accredit(ow, "coord", "obs1", station)
    ow.frame = stations
    return ow


def estimated_sd(rows):
    """σ as planning_from_results sees the stations' results (one stratum): S² over the
    spread of the valid votes, rounded to 3 places."""
    valid = np.array([r.counts["valid"] for r in rows], np.float64)
    votes = np.array([[r.options[o] for o in OPTIONS] for r in rows], np.float64)
    s2 = sampling.planning_from_results(["KZ-75"] * len(rows), valid, votes).variances["KZ-75"]
    return round(float(np.sqrt(s2 / (np.mean(valid**2) / valid.mean() ** 2))), 3)


OFFICIAL_SD = estimated_sd([counts(i) for i in range(10)])


def expected_draw(sd=OFFICIAL_SD):
    codes = ["S-75", *[f"S-75-{i:02d}" for i in range(1, 10)]]
    regions = ["KZ-75"] * 10
    plan = sampling.planning_from_sd(sd, regions, np.ones(10))
    chosen = sampling.design_sample({"KZ-75": 10}, plan, margin=0.05, mean_voters=1.0)
    return chosen, [codes[i] for i in sampling.draw(codes, regions, chosen.sample, SEED)]


def test_the_design_and_the_draw_are_the_surveys(frame):
    chosen, drawn = expected_draw()
    answer = login("hq").get(PAGE.format(lang="en"))
    assert answer.status_code == 200
    assert answer.context["design"] == chosen
    assert [code for code, _ in answer.context["drawn"]] == drawn
    again = login("hq").get(PAGE.format(lang="en"))
    assert again.context["drawn"] == answer.context["drawn"]  # seeded: the same draw
    other = login("hq").get(PAGE.format(lang="en") + "-other")
    assert other.context["design"] == chosen


def test_the_estimate_is_the_surveys_on_the_copies(frame):
    _chosen, drawn = expected_draw()
    by_code = {s.code: (i, s) for i, s in enumerate(frame.frame)}
    first = drawn[0]
    send_copy(frame, "obs1", by_code[first][1], counts(by_code[first][0]))
    page = login("hq").get(PAGE.format(lang="en"))
    estimated = page.context["estimated"]
    assert estimated.with_copy == 1 and estimated.sampled == len(drawn)
    assert estimated.estimate is None and "at least two" in estimated.error
    text = page.content.decode()
    assert f"1 of {len(drawn)} sampled stations have an observer" in text
    for code in drawn[1:]:
        i, station = by_code[code]
        send_copy(frame, "obs1", station, counts(i))
    page = login("hq").get(PAGE.format(lang="en"))
    found = page.context["estimate"]
    rows = [counts(by_code[code][0]) for code in drawn]
    sample = pvt.PvtSample(
        Strata.of(["KZ-75"] * len(drawn), {"KZ-75": 10}),
        np.array([[r.options[o] for o in OPTIONS] for r in rows], np.float64),
        np.array([r.counts["valid"] for r in rows], np.float64),
        np.array([r.counts["voters_on_list"] for r in rows], np.float64),
        np.array([r.counts["ballots_in_boxes"] for r in rows], np.float64),
    )
    expected = pvt.estimate_pvt(sample, bootstrap=1000, rng=np.random.default_rng(0))
    for name in ("estimate", "se", "low", "high", "boot_low", "boot_high"):
        np.testing.assert_array_equal(getattr(found.shares, name), getattr(expected.shares, name))
    np.testing.assert_array_equal(found.turnout.estimate, expected.turnout.estimate)
    every = [counts(i) for i in range(10)]
    official = pvt.population_shares(
        np.array([[r.options[o] for o in OPTIONS] for r in every], np.float64),
        np.array([r.counts["valid"] for r in every], np.float64),
    )
    compared = page.context["estimated"].shares
    assert [c.official for c in compared] == list(official)
    assert compared == pvt.compare(expected.shares, official)
    text = page.content.decode()
    with translation.override("en"):
        assert percent(float(expected.shares.estimate[0])) in text
        assert percent(official[0]) in text
    assert f"{len(drawn)} of {len(drawn)} sampled stations have an observer" in text


def test_the_numbers_are_written_for_the_language(frame):
    _chosen, drawn = expected_draw()
    by_code = {s.code: (i, s) for i, s in enumerate(frame.frame)}
    for code in drawn:
        i, station = by_code[code]
        send_copy(frame, "obs1", station, counts(i))
    page = login("hq", "ru").get(PAGE.format(lang="ru"))
    share = float(page.context["estimate"].shares.estimate[0])
    written = f"{round(100 * share, 2):.2f}".replace(".", ",")
    assert f"{written}\u00a0%" in page.content.decode()
    with translation.override("en"):
        assert percent(0.5003) == "50.03\u00a0%" and number(12345.678, 1) == "12,345.7"
    with translation.override("kk"):
        assert percent(0.5003) == "50,03\u00a0%" and number(12345) == "12\u00a0345"


@pytest.mark.parametrize("margin", ["0", "abc", "0.7"])
def test_a_bad_margin_is_refused_with_a_reason(frame, margin):
    answer = login("hq").get(f"/en/hq/primaries-test/pvt/?margin={margin}&seed=x")
    assert answer.status_code == 400
    assert "The margin must be more than 0 and less than 0.5" in answer.content.decode()


def test_without_a_seed_the_design_is_shown_and_nothing_drawn(frame):
    answer = login("hq").get("/en/hq/primaries-test/pvt/")
    assert answer.status_code == 200 and "drawn" not in answer.context
    assert "Enter the public seed" in answer.content.decode()
    assert CONTEST in answer.content.decode()


def test_the_spread_is_estimated_from_the_official_results_and_kept_by_the_link(frame):
    assert 0.01 < OFFICIAL_SD < 0.15  # the ten protocols' shares vary far less than 0.15
    answer = login("hq").get(PAGE.format(lang="en"))
    chosen, drawn = expected_draw()
    assert answer.context["spread"] == pvt_page.Spread(OFFICIAL_SD, "official", 10)
    assert answer.context["design"] == chosen
    assert answer.context["design"] != expected_draw(0.15)[0]
    text = answer.content.decode()
    assert f"{OFFICIAL_SD:.3f}, estimated from the official results of 10 stations" in text
    link = answer.context["design_link"]
    assert f"sd={OFFICIAL_SD:g}" in link
    kept = login("hq").get("/en/hq/primaries-test/pvt/" + link)
    assert kept.context["spread"].source == "given" and kept.context["design"] == chosen
    assert [c for c, _ in kept.context["drawn"]] == drawn
    assert "as given in the link" in kept.content.decode()
    with translation.override("ru"):
        ru = login("hq", "ru").get(PAGE.format(lang="ru")).content.decode()
        assert f"{OFFICIAL_SD:.3f}".replace(".", ",") in ru


@pytest.fixture
def bare(ow):
    """The same ten stations with no protocol: nothing official yet."""
    for i in range(1, 10):
        Station.objects.create(
            election=ow.election, code=f"S-75-{i:02d}", number=10 + i, district="KZ-75"
        )
    stations = list(Station.objects.filter(election=ow.election, district="KZ-75").order_by("code"))
    for station in stations:
        accredit(ow, "coord", "obs1", station)
    ow.frame = stations
    return ow


def test_without_official_results_the_spread_is_the_copies_and_else_assumed(bare):
    answer = login("hq").get(PAGE.format(lang="en"))
    assert answer.context["spread"] == pvt_page.Spread(0.15, "assumed")
    assert answer.context["design"] == expected_draw(0.15)[0]
    assert "0.150, assumed: there are no results or copies yet" in answer.content.decode()
    sent = [counts(i) for i in (0, 3, 7)]
    for i in (0, 3, 7):
        send_copy(bare, "obs1", bare.frame[i], counts(i))
    answer = login("hq").get(PAGE.format(lang="en"))
    assert answer.context["spread"] == pvt_page.Spread(estimated_sd(sent), "copies", 3)
    assert answer.context["design"] == expected_draw(estimated_sd(sent))[0]
    text = answer.content.decode().replace("&#x27;", "'")
    assert "estimated from the observers' copies of 3 stations" in text
    with translation.override("kk"):
        kk = login("hq", "kk").get(PAGE.format(lang="kk")).content.decode()
    assert "0,150" not in kk and f"{estimated_sd(sent):.3f}".replace(".", ",") in kk


@pytest.mark.parametrize("sd", ["0", "abc", "0.9"])
def test_a_bad_spread_is_refused_with_a_reason(frame, sd):
    answer = login("hq").get(PAGE.format(lang="en") + f"&sd={sd}")
    assert answer.status_code == 400
    assert "must be more than 0 and at most 0.5" in answer.content.decode()


def test_declared_electors_size_the_design_and_the_page_says_so(frame):
    """Decision 0048: no station has a paper list, four declare their electors (one 0),
    the rest count as the mean of the four; a station of 0 does not break the draw."""
    declared = {"S-75": 0, "S-75-01": 800, "S-75-02": 1200, "S-75-03": 2000}
    for code, voters in declared.items():
        Station.objects.filter(election=frame.election, code=code).update(voters=voters)
    mean = sum(declared.values()) / 4
    sizes = np.array([*declared.values(), *[mean] * 6])
    codes = [s.code for s in frame.frame]
    regions = ["KZ-75"] * 10
    plan = sampling.planning_from_sd(0.1, regions, sizes)
    chosen = sampling.design_sample({"KZ-75": 10}, plan, margin=0.05, mean_voters=sizes.mean())
    drawn = [codes[i] for i in sampling.draw(codes, regions, chosen.sample, SEED)]
    assert chosen != sampling.design_sample(
        {"KZ-75": 10}, sampling.planning_from_sd(0.1, regions, np.ones(10)), margin=0.05
    )  # the sizes matter
    answer = login("hq").get(PAGE.format(lang="en") + "&sd=0.1")
    assert answer.status_code == 200
    assert answer.context["design"] == chosen
    assert [code for code, _ in answer.context["drawn"]] == drawn
    text = answer.content.decode()
    assert "Station sizes from: voter lists 0, declared electors 4, unknown 6." in text
    assert "counts as the mean of the known sizes" in text
    ru = login("hq", "ru").get(PAGE.format(lang="ru") + "&sd=0.1").content.decode()
    assert "по заявленному числу избирателей — 4, неизвестно — 6." in ru


def test_stations_all_of_size_0_count_the_same(frame):
    Station.objects.filter(election=frame.election).update(voters=0)
    chosen, drawn = expected_draw(0.1)
    answer = login("hq").get(PAGE.format(lang="en") + "&sd=0.1")
    assert answer.status_code == 200
    assert answer.context["design"] == chosen
    assert [code for code, _ in answer.context["drawn"]] == drawn
    assert "declared electors 10, unknown 0." in answer.content.decode()
