"""The exit poll's parts: interview quotas, non-response weighting, the within-precinct error."""

from __future__ import annotations

import numpy as np
import pytest

from saylau.survey import exitpoll
from saylau.survey.errors import SurveyError
from saylau.survey.pvt import compare
from saylau.survey.ratio import Strata


def poll(answers, refusals, voters, labels, sizes) -> exitpoll.Poll:
    return exitpoll.Poll(
        Strata.of(labels, sizes),
        np.asarray(answers, float),
        np.asarray(refusals, float),
        np.asarray(voters, float),
    )


def test_the_plan_approaches_enough_voters_for_the_quota():
    plan = exitpoll.interview_plan(np.array([1200.0, 300.0, 40.0]), quota=60, response_rate=0.75)
    assert list(plan.approaches) == [80, 80, 80]
    assert list(plan.every) == [15, 3, 1]  # every 15th voter of 1,200; all 40 of a tiny station
    with pytest.raises(SurveyError) as e:
        exitpoll.interview_plan(np.array([100.0]), quota=0, response_rate=0.5)
    assert e.value.code == "survey.quota"
    with pytest.raises(SurveyError, match="response rate"):
        exitpoll.interview_plan(np.array([100.0]), quota=10, response_rate=0)


def test_respondents_stand_for_their_stations_voters():
    """A station where few answered still counts for all its voters: here station 1 (1,000
    voters, 10 respondents, all for A) and station 2 (1,000 voters, 90 respondents, all for B)
    give 50 % each, where pooling the respondents would give A 10 %."""
    p = poll([[10, 0], [0, 90], [5, 5], [5, 5]], [90, 10, 0, 0], [1000, 1000, 500, 500],
             ["x", "x", "y", "y"], {"x": 2, "y": 2})  # fmt: skip
    found = exitpoll.estimate_exitpoll(p, bootstrap=0)
    assert found.shares.estimate == pytest.approx([0.5, 0.5])
    assert found.respondents == 120 and found.refusals == 100
    assert found.response_rate == pytest.approx(120 / 220)


def test_a_station_where_nobody_answered_is_dropped_and_its_stratum_stands_for_it():
    p = poll([[6, 4], [8, 2], [0, 0], [5, 5], [3, 7]], [1, 1, 50, 0, 0],
             [100, 100, 100, 100, 100], ["x", "x", "x", "y", "y"], {"x": 30, "y": 20})  # fmt: skip
    found = exitpoll.estimate_exitpoll(p, bootstrap=0)
    assert found.stations == 4 and found.dropped == 1
    # x: 30 stations stood for by two (0.6, 0.8); y: 20 by two (0.5, 0.3)
    assert found.shares.estimate[0] == pytest.approx((30 * 0.7 + 20 * 0.4) / 50)
    lonely = poll([[6, 4], [0, 0], [5, 5], [3, 7]], [1, 9, 0, 0], [100] * 4,
                  ["x", "x", "y", "y"], {"x": 30, "y": 20})  # fmt: skip
    with pytest.raises(SurveyError) as e:
        exitpoll.estimate_exitpoll(lonely, bootstrap=0)
    assert e.value.code == "survey.stratum_single" and "x" in str(e.value)


def test_the_within_precinct_error_per_station_its_mean_and_se():
    p = poll([[60, 40], [45, 55], [30, 70]], [0, 0, 0], [500, 500, 500],
             ["x", "x", "x"], {"x": 3})  # fmt: skip
    official_votes = np.array([[250.0, 250], [200, 300], [150, 350]])
    wpe = exitpoll.within_precinct_error(
        p.answers, official_votes, official_votes.sum(axis=1), (0, 1)
    )
    # poll margins 0.2, -0.1, -0.4; official margins 0, -0.2, -0.4
    assert wpe.per_station == pytest.approx([0.2, 0.1, 0.0])
    assert wpe.mean == pytest.approx(0.1)
    assert wpe.se == pytest.approx(0.1 / np.sqrt(3))
    with pytest.raises(SurveyError) as e:
        exitpoll.within_precinct_error(
            p.answers, official_votes[:, :1], official_votes[:, 0], (0, 1)
        )
    assert e.value.code == "survey.options"


def test_the_overall_difference_and_its_z():
    p = poll([[60, 40], [50, 50], [40, 60], [50, 50]], [0] * 4, [100] * 4,
             ["x", "x", "y", "y"], {"x": 100, "y": 100})  # fmt: skip
    found = exitpoll.estimate_exitpoll(p, bootstrap=0)
    [a, b] = compare(found.shares, np.array([0.45, 0.55]))
    assert a.estimate == pytest.approx(0.5) and a.difference == pytest.approx(-0.05)
    assert a.z == pytest.approx(-0.05 / found.shares.se[0])
    assert b.difference == pytest.approx(0.05)
