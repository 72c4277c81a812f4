"""Online signals on aggregated counts: a burst of casts in one minute and a network casting
far more than the others are flagged; steady Poisson traffic is not (at the nominal rate)."""

from __future__ import annotations

import numpy as np

from saylau.forensics.online import bursts, networks


def test_a_burst_minute_is_flagged() -> None:
    rng = np.random.default_rng(1)
    counts = rng.poisson(20, size=600)
    counts[300] = 80
    r = bursts(counts, [f"m{i}" for i in range(600)])
    assert r.flagged
    first = min(r.regions, key=lambda c: c.p_value or 1.0)
    assert first.region == "m300" and first.statistic == 80


def test_steady_traffic_is_flagged_at_most_at_the_nominal_rate() -> None:
    flagged = 0
    for seed in range(200):
        counts = np.random.default_rng(seed).poisson(20, size=300)
        flagged += bursts(counts, [str(i) for i in range(300)]).flagged
    assert flagged <= 17


def test_one_network_casting_far_more_is_flagged() -> None:
    counts = np.full(50, 10)
    counts[7] = 60
    r = networks(counts, [f"net{i}" for i in range(50)])
    assert [c.region for c in r.regions] == ["net7"]
    assert not networks(np.full(50, 10), [str(i) for i in range(50)]).flagged
