"""Online signals on aggregated counts: a burst of casts in one minute and a network casting
far more than the others are flagged; steady Poisson traffic is not (at the nominal rate)."""

from __future__ import annotations

import numpy as np

from saylau.forensics.online import bursts, geography, networks, revotes, series_bursts


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


def test_a_daily_cycle_is_not_a_burst_and_a_peak_on_it_is() -> None:
    rng = np.random.default_rng(3)
    minute = np.arange(3 * 1440)
    rate = 1 + 30 * np.clip(np.sin(2 * np.pi * (minute % 1440) / 1440), 0, None)
    counts = rng.poisson(rate)
    labels = [str(i) for i in minute]
    assert not bursts(counts, labels).flagged
    counts[2000] += 120
    assert [c.region for c in bursts(counts, labels).regions] == ["2000"]


def test_sparse_events_are_not_bursts() -> None:
    flagged = 0
    for seed in range(100):
        counts = np.random.default_rng(seed).poisson(0.05, size=2000)
        flagged += bursts(counts, [str(i) for i in range(2000)]).flagged
    assert flagged <= 10


def test_series_bursts_name_the_series() -> None:
    rng = np.random.default_rng(4)
    casts, signins = rng.poisson(5, size=300), rng.poisson(5, size=300)
    signins[100] = 60
    r = series_bursts({"casts": casts, "sign-ins": signins}, [f"m{i}" for i in range(300)])
    assert [c.region for c in r.regions] == ["sign-ins m100"]
    assert r.details["totals"]["sign-ins"] == int(signins.sum())


def test_a_revote_storm_and_a_heavy_credential_are_flagged() -> None:
    rng = np.random.default_rng(5)
    per_credential = (rng.random(5000) < 0.08) * rng.geometric(0.6, 5000)
    per_minute = rng.poisson(0.5, size=600)
    minutes = [str(i) for i in range(600)]
    clean = revotes(per_credential, per_minute, minutes)
    assert not clean.flagged, clean
    stormy = per_minute.copy()
    stormy[200:203] += 40
    r = revotes(per_credential, stormy, minutes)
    assert r.flagged and {c.region for c in r.regions} == {"200", "201", "202"}
    heavy = per_credential.copy()
    heavy[17] = 40
    h = revotes(heavy, per_minute, minutes)
    assert h.flagged and h.details["heavy_credentials"] == 1 and not h.regions
    assert h.details["distribution"]["10+"] == 1


def test_a_district_bursting_alone_is_flagged_and_turnout_differences_are_not() -> None:
    rng = np.random.default_rng(6)
    minutes = [str(i) for i in range(500)]
    rates = np.array([2.0, 6.0, 1.0])  # the second district votes three times as much
    x = rng.poisson(rates[:, None] * np.ones(500))
    clean = geography(x, ["A", "B", "C"], minutes, [1000, 1000, 1000])
    assert not clean.flagged
    assert clean.details["roll_share"]["A"] == round(1 / 3, 6)
    x[2, 250] += 30
    r = geography(x, ["A", "B", "C"], minutes, [1000, 1000, 1000])
    assert r.flagged and r.details["flagged_cells"] == ["C 250"]
    assert [g.region for g in r.regions if g.flagged] == ["C"]
