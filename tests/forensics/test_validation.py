"""Validation on simulated elections (saylau.forensics.simulate): over 200 clean elections each
test flags at no more than the nominal rate (alpha = 0.05, with a one-sided 1 % binomial
margin: at most 17 of 200), and so does each region after the FDR control."""

from __future__ import annotations

import pytest

from saylau.analysis.run import TESTS, Settings, run_tests
from saylau.forensics import simulate

RUNS = 200
# 200 × 0.05 = 10 expected; P(Binomial(200, 0.05) ≥ 18) < 1 %.
MAX_FLAGGED = 17
SETTINGS = Settings(draws=200, digit_draws=10, boot=200, null_draws=19)


@pytest.mark.slow  # about two minutes: 200 elections, each through every test
def test_clean_elections_flagged_at_no_more_than_the_nominal_rate() -> None:
    flagged = dict.fromkeys(TESTS[:-1], 0)
    region_flags = dict.fromkeys(TESTS[:-1], 0)
    for seed in range(RUNS):
        sim = simulate.election(1000, regions=8, seed=seed)
        for r in run_tests(sim.precincts, None, SETTINGS):
            flagged[r.test] += r.flagged
            region_flags[r.test] += any(g.flagged for g in r.regions)
    assert max(flagged.values()) <= MAX_FLAGGED, flagged
    # BH controls the rate of any false discovery across the regions when none is real
    assert max(region_flags.values()) <= MAX_FLAGGED, region_flags
    assert sum(flagged.values()) > 0  # the tests can flag at all
