"""Simulated ballot stuffing, vote switching and rounding at known rates: the tests that
should see them flag them, and the sizes are estimated within the errors docs/forensics.md
states."""

from __future__ import annotations

import numpy as np
import pytest

from saylau.forensics import digits, integer_percent, klimek, shpilkin, simulate
from saylau.forensics.simulate import Fraud


def rng() -> np.random.Generator:
    return np.random.default_rng(7)


@pytest.mark.parametrize("seed", [1, 2])
def test_stuffing_is_flagged_and_sized_by_shpilkin(seed: int) -> None:
    sim = simulate.election(5000, fraud=Fraud(stuffing_stations=0.3), seed=seed)
    r = shpilkin.shpilkin_test(sim.precincts, rng())
    assert r.flagged
    # stated error: 0.6 to 1.05 of the stuffed ballots (fraud at reference stations hides)
    assert 0.6 * sim.stuffed <= r.statistic <= 1.05 * sim.stuffed
    assert r.interval is not None and r.interval[0] > 0


@pytest.mark.parametrize("seed", [1, 2])
def test_incremental_fraud_is_flagged_and_sized(seed: int) -> None:
    """Klimek et al.'s incremental fraud (stuffing and switching together) at 30 % of the
    stations: f_i within [0.15, 0.35]; Shpilkin's estimate 0.7 to 1.05 of stuffed +
    (1 + R) × switched."""
    sim = simulate.election(5000, fraud=Fraud(incremental_stations=0.3), seed=seed)
    k = klimek.klimek_test(sim.precincts, rng())
    assert k.flagged
    assert 0.15 <= k.details["f_incremental"] <= 0.35
    assert k.details["f_extreme"] <= 0.02
    s = shpilkin.shpilkin_test(sim.precincts, rng())
    expected = sim.stuffed + (1 + sim.fair_ratio) * sim.switched
    assert s.flagged and 0.7 * expected <= s.statistic <= 1.05 * expected


def test_extreme_fraud_is_sized_by_klimek() -> None:
    sim = simulate.election(5000, fraud=Fraud(incremental_stations=0.2, extreme_stations=0.05))
    k = klimek.klimek_test(sim.precincts, rng())
    assert k.flagged
    assert abs(k.details["f_extreme"] - 0.05) <= 0.02
    assert 0.1 <= k.details["f_incremental"] <= 0.25


def test_vote_switching_alone_is_flagged_by_the_fingerprint_not_by_shpilkin() -> None:
    """Switching that leaves the turnout alone moves the winner's share up: the fingerprint
    sees it; Shpilkin's turnout bins do not (a documented blind spot)."""
    sim = simulate.election(5000, fraud=Fraud(switching_stations=0.3, switching_fraction=0.2))
    assert klimek.klimek_test(sim.precincts, rng()).flagged
    s = shpilkin.shpilkin_test(sim.precincts, rng())
    assert abs(s.statistic) < 0.15 * sim.switched


def test_rounded_turnout_is_flagged_by_the_integer_test_with_its_excess() -> None:
    sim = simulate.election(5000, fraud=Fraud(rounding_stations=0.05), seed=3)
    r = integer_percent.integer_turnout(sim.precincts, rng())
    assert r.flagged
    # 5 % of 5000 stations forced to an integer; about 8 % of them were integer anyway
    assert 0.8 * 250 <= r.statistic <= 1.1 * 250
    flagged = [g for g in r.regions if g.flagged]
    assert len(flagged) >= 4  # it is in every region


def test_invented_counts_ending_in_0_or_5_are_flagged_by_the_last_digit() -> None:
    sim = simulate.election(3000, seed=4)
    p = sim.precincts
    counts = p.options.copy()
    rows = np.arange(len(p)) < len(p) // 5  # a fifth of the stations rounded to 5s
    counts[rows] = np.round(counts[rows] / 5) * 5
    rounded = type(p)(
        p.voters, p.issued, p.cast, p.valid, counts, p.region, p.region_names, p.option_names
    )
    r = digits.last_digit_test(rounded, rng())
    assert r.flagged
    assert r.interval is not None and r.interval[0] > 0.3  # share ending in 0 or 5
    clean = digits.last_digit_test(p, rng())
    assert clean.interval is not None and clean.interval[0] < 0.2 < clean.interval[1]


def test_second_digit_of_counts() -> None:
    assert digits.second_digit(np.array([10, 19, 123, 4567, 99])).tolist() == [0, 9, 2, 5, 9]
    assert abs(float(digits.BENFORD_2ND.sum()) - 1) < 1e-12
    assert abs(float((np.arange(10) * digits.BENFORD_2ND).sum()) - 4.187) < 1e-3
