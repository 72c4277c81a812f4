"""The design tool: sample size for a margin, allocation, and the published draw."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

from saylau.survey import design
from saylau.survey.errors import SurveyError
from saylau.survey.ratio import Strata

SIZES = {"A": 400, "B": 100, "C": 1500}


def planning(variances: dict[str, float]) -> design.Planning:
    return design.Planning(variances, 0.5, "results")


def test_a_smaller_margin_needs_more_stations_and_the_margin_is_met():
    plan = planning({"A": 1.0, "B": 4.0, "C": 0.5})
    wide = design.design_sample(SIZES, plan, margin=0.03)
    narrow = design.design_sample(SIZES, plan, margin=0.01)
    assert narrow.n > wide.n > 0
    for d in (wide, narrow):
        assert d.expected_margin <= d.margin
        assert all(2 <= d.sample[h] <= SIZES[h] for h in SIZES)
    # the rounding is close: four fewer stations per stratum miss the margin
    fewer = {h: max(2, n - 4) for h, n in narrow.sample.items()}
    assert 1.96 * np.sqrt(design.expected_variance(SIZES, fewer, plan)) > narrow.margin


def test_the_closed_form_matches_the_variance_formula():
    plan = planning({"A": 1.0, "B": 4.0, "C": 0.5})
    d = design.design_sample(SIZES, plan, margin=0.02)
    n = sum(SIZES.values())
    v = (
        sum(SIZES[h] ** 2 * (1 / d.sample[h] - 1 / SIZES[h]) * plan.variances[h] for h in SIZES)
        / n**2
    )
    assert d.expected_margin == pytest.approx(1.959964 * np.sqrt(v), rel=1e-6)


def test_neyman_allocation_needs_no_more_stations_than_proportional():
    plan = planning({"A": 0.2, "B": 9.0, "C": 0.2})
    prop = design.design_sample(SIZES, plan, margin=0.01, allocation="proportional")
    neyman = design.design_sample(SIZES, plan, margin=0.01, allocation="neyman")
    assert neyman.n < prop.n
    assert neyman.sample["B"] / SIZES["B"] > neyman.sample["C"] / SIZES["C"]


def test_a_margin_out_of_reach_takes_every_station():
    d = design.design_sample(SIZES, planning({"A": 50.0, "B": 50.0, "C": 50.0}), margin=1e-5)
    assert d.sample == SIZES and d.expected_margin == 0.0


def test_planning_from_sd_scales_with_the_spread_of_list_sizes():
    strata = ["A"] * 3 + ["B"] * 3
    voters = np.array([100.0, 100, 100, 10, 190, 100])
    plan = design.planning_from_sd(0.1, strata, voters)
    assert plan.variances["A"] == pytest.approx(0.01)
    assert plan.variances["B"] > plan.variances["A"]


def test_planning_from_results_takes_the_worst_option():
    strata = ["A"] * 4
    valid = np.array([100.0, 100, 100, 100])
    votes = np.array([[50, 50], [70, 30], [30, 70], [50, 50]], dtype=float)
    plan = design.planning_from_results(strata, valid, votes)
    u = (votes[:, 0] - 0.5 * valid) / 100
    assert plan.variances["A"] == pytest.approx(u.var(ddof=1))
    assert plan.share == pytest.approx(0.5)


def test_the_draw_is_the_published_rule():
    """Anyone can redo it: in each stratum, the n_h stations with the smallest
    SHA-256("saylau-sample" 0 seed 0 station)."""
    stations = [f"station {i}" for i in range(30)]
    strata = ["north" if i % 3 else "south" for i in range(30)]
    chosen = design.draw(stations, strata, {"north": 4, "south": 3}, "lottery 2026-12-07")

    def key(name: str) -> str:
        return hashlib.sha256(f"saylau-sample\0lottery 2026-12-07\0{name}".encode()).hexdigest()

    expected = []
    for h, n in (("north", 4), ("south", 3)):
        members = [s for s, g in zip(stations, strata, strict=True) if g == h]
        expected += sorted(members, key=key)[:n]
    assert sorted(stations[i] for i in chosen) == sorted(expected)
    assert chosen == design.draw(stations, strata, {"north": 4, "south": 3}, "lottery 2026-12-07")
    assert chosen != design.draw(stations, strata, {"north": 4, "south": 3}, "another seed")


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"margin": 0}, "survey.margin"),
        ({"margin": 0.6}, "survey.margin"),
        ({"margin": 0.01, "confidence": 1.0}, "survey.confidence"),
    ],
)
def test_bad_design_parameters_are_named(kwargs, code):
    with pytest.raises(SurveyError) as e:
        design.design_sample(SIZES, planning({"A": 1, "B": 1, "C": 1}), **kwargs)
    assert e.value.code == code


def test_a_bad_planning_sd_is_named():
    with pytest.raises(SurveyError, match="planning standard deviation") as e:
        design.planning_from_sd(0.0, ["A"], np.array([1.0]))
    assert e.value.code == "survey.sd"


@pytest.mark.parametrize(
    ("labels", "code", "named"),
    [
        (["A", "A", "B"], "survey.stratum_single", "B"),
        (["A", "A"], "survey.stratum_empty", "B"),
        (["A", "A", "B", "B", "Z"], "survey.stratum_unknown", "Z"),
        (["A", "A", "A", "B", "B"], "survey.stratum_over", "A"),
        ([], "survey.no_stations", ""),
    ],
)
def test_a_sample_the_design_cannot_use_names_the_region(labels, code, named):
    with pytest.raises(SurveyError) as e:
        Strata.of(labels, {"A": 2, "B": 5})
    assert e.value.code == code
    assert named in str(e.value)


def test_frame_sizes_fill_the_unknown_with_the_mean_and_never_all_zero():
    """Decision 0048: an unknown size is the mean of the known; none known or all 0 → ones,
    so the planning's mean size is never 0."""
    np.testing.assert_array_equal(design.frame_sizes([100, None, 300, 0]), [100, 400 / 3, 300, 0])
    np.testing.assert_array_equal(design.frame_sizes([None, None]), [1, 1])
    np.testing.assert_array_equal(design.frame_sizes([0, 0, None]), [1, 1, 1])
    sizes = design.frame_sizes([0, 1000, None])
    plan = design.planning_from_sd(0.1, ["A", "A", "B"], sizes)
    assert all(np.isfinite(v) for v in plan.variances.values())
