"""The HQ's PVT page: the design and the seeded draw are saylau.survey.design's, the estimate
from the observers' copies of the drawn stations is saylau.survey.pvt's on the same numbers,
compared with the official result, with how many sampled stations have a copy yet, and the
numbers written for the page's language."""

from __future__ import annotations

import numpy as np
import pytest
from django.utils import translation

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


def expected_draw():
    codes = ["S-75", *[f"S-75-{i:02d}" for i in range(1, 10)]]
    regions = ["KZ-75"] * 10
    plan = sampling.planning_from_sd(0.15, regions, np.ones(10))
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
