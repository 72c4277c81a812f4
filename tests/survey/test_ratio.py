"""The stratified ratio estimator's variance: the Taylor formula by hand, the Rao–Wu
bootstrap matching it, and a census with no sampling error."""

from __future__ import annotations

import numpy as np
import pytest

from saylau.survey.errors import SurveyError
from saylau.survey.ratio import Strata, estimate_ratio, linearised_variance

LABELS = ["a"] * 5 + ["b"] * 4
SIZES = {"a": 50, "b": 12}
X = np.array([100.0, 80, 120, 90, 110, 60, 70, 50, 40])
Y = np.array([[55.0], [30], [70], [40], [60], [20], [35], [30], [10]])


def test_the_taylor_variance_is_the_formula():
    strata = Strata.of(LABELS, SIZES)
    w = np.where(np.array(LABELS) == "a", 50 / 5, 12 / 4)
    r = (w @ Y[:, 0]) / (w @ X)
    e = Y[:, 0] - r * X
    by_hand = 0.0
    for h, big_n in SIZES.items():
        eh = e[np.array(LABELS) == h]
        n = len(eh)
        by_hand += big_n**2 * (1 - n / big_n) * eh.var(ddof=1) / n
    by_hand /= (w @ X) ** 2
    assert linearised_variance(Y, X, strata)[0] == pytest.approx(by_hand)
    assert linearised_variance(Y, X, strata, fpc=False)[0] > by_hand


def test_the_bootstrap_variance_matches_the_taylor_variance():
    strata = Strata.of(LABELS, SIZES)
    found = estimate_ratio(Y, X, strata, bootstrap=20_000, rng=np.random.default_rng(3))
    assert found.boot_se is not None
    assert found.boot_se[0] == pytest.approx(found.se[0], rel=0.1)


def test_a_census_has_no_sampling_error():
    strata = Strata.of(LABELS, {"a": 5, "b": 4})
    found = estimate_ratio(Y, X, strata, bootstrap=200, rng=np.random.default_rng(4))
    assert found.se[0] == 0
    assert found.boot_low[0] == pytest.approx(found.estimate[0])
    assert found.boot_high[0] == pytest.approx(found.estimate[0])


def test_bad_estimation_parameters_are_named():
    strata = Strata.of(LABELS, SIZES)
    with pytest.raises(SurveyError) as e:
        estimate_ratio(Y, X, strata, bootstrap=50)
    assert e.value.code == "survey.bootstrap"
    with pytest.raises(SurveyError) as e:
        estimate_ratio(Y, X * 0, strata)
    assert e.value.code == "survey.no_valid"


def test_a_stratum_of_one_station_is_a_census_and_adds_no_variance():
    labels = [*LABELS, "c"]
    x, y = np.append(X, 500.0), np.vstack([Y, [[250.0]]])
    with_c = Strata.of(labels, {**SIZES, "c": 1})
    found = estimate_ratio(y, x, with_c, bootstrap=200, rng=np.random.default_rng(5))
    assert np.isfinite(found.se[0]) and np.isfinite(found.boot_se[0])
    with pytest.raises(SurveyError) as e:
        Strata.of(labels, {**SIZES, "c": 3})
    assert e.value.code == "survey.stratum_single"
