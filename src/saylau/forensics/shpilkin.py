"""Shpilkin's turnout-binned estimate of anomalous votes for the leader, region by region.

In each region the reference stations are those whose turnout is at least one spread (the RMS
distance of the stations below the mode) under the mode of the region's turnout distribution
(by voters, 1-point bins, smoothed, searched under 90 %). There the leader's votes per vote
for the other options, R, is taken as the region's fair ratio; at the region's other
stations the leader's votes beyond R × the others' votes are anomalous. The country's figure
is the sum over regions (so that regions that differ in both turnout and support do not pass
for fraud). A stuffed ballot counts once; a vote switched from another option 1 + R times (it
is added to the leader and taken from the others); fraud that reaches the reference stations
raises R, and the estimate is low then (docs/forensics.md: the error on simulated elections).
The interval and the one-sided p-value come from a Poisson bootstrap over stations.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from saylau.forensics.fdr import with_fdr
from saylau.forensics.precincts import Floats, Ints, Precincts
from saylau.forensics.result import RegionResult, TestResult

MIN_REFERENCE = 5  # reference stations a region needs; else the country's reference ratio
CHUNK = 25


def turnout_mode(turnout: Floats, voters: Ints) -> float:
    """The turnout with the most voters (1-point bins, 5-bin smoothing), under 90 %."""
    bins = np.clip((turnout * 100).astype(np.int64), 0, 100)
    h = np.bincount(bins, weights=voters, minlength=101)
    smooth = np.convolve(h, np.ones(5) / 5, mode="same")[:90]
    return (int(np.argmax(smooth)) + 1) / 100


def reference(turnout: Floats, voters: Ints) -> NDArray[np.bool_]:
    """The reference stations: turnout ≤ the mode − the spread below it."""
    mode = turnout_mode(turnout, voters)
    under = turnout <= mode
    spread = float(np.sqrt(np.mean((turnout[under] - mode) ** 2))) if under.any() else 0.0
    return turnout <= mode - spread


@dataclass(frozen=True)
class _Layout:
    """Stations sorted by region, with each region's reference stations."""

    leader: Floats
    others: Floats
    below: NDArray[np.bool_]
    starts: Ints
    regions: Ints  # the region of each block
    fallback: NDArray[np.bool_]  # regions without enough reference stations


def _layout(p: Precincts) -> _Layout:
    order = np.argsort(p.region, kind="stable")
    region = p.region[order]
    turnout = p.turnout()[order]
    voters = p.voters[order]
    leader = p.options[order, p.leader].astype(np.float64)
    others = p.valid[order] - leader
    starts = np.flatnonzero(np.r_[True, region[1:] != region[:-1]])
    ends = np.r_[starts[1:], region.size]
    below = np.zeros(region.size, dtype=bool)
    fallback = np.zeros(starts.size, dtype=bool)
    for j, (a, b) in enumerate(zip(starts, ends, strict=True)):
        below[a:b] = reference(turnout[a:b], voters[a:b])
        fallback[j] = below[a:b].sum() < MIN_REFERENCE
    country = reference(turnout, voters)
    for j in map(int, np.flatnonzero(fallback)):
        below[starts[j] : ends[j]] = country[starts[j] : ends[j]]
    return _Layout(leader, others, below, starts, region[starts], fallback)


def _regional(lay: _Layout, w: Floats) -> Floats:
    """Anomalous votes per region (shape (k, regions)) for station weights w (k, n)."""
    wl, wo = w * lay.leader, w * lay.others
    sums = [np.add.reduceat(x, lay.starts, axis=1) for x in (wl * lay.below, wo * lay.below)]
    ref_l, ref_o = sums
    # a region without its own reference uses the country's reference ratio
    country = ref_l.sum(axis=1, keepdims=True) / np.maximum(ref_o.sum(axis=1, keepdims=True), 1)
    ratio = np.where(lay.fallback, country, ref_l / np.maximum(ref_o, 1e-9))
    above_l = np.add.reduceat(wl * ~lay.below, lay.starts, axis=1)
    above_o = np.add.reduceat(wo * ~lay.below, lay.starts, axis=1)
    out: Floats = above_l - ratio * above_o
    return out


def _bootstrap(lay: _Layout, rng: np.random.Generator, reps: int) -> Floats:
    out = []
    for start in range(0, reps, CHUNK):
        w = rng.poisson(1.0, size=(min(CHUNK, reps - start), lay.leader.size))
        out.append(_regional(lay, w.astype(np.float64)))
    return np.concatenate(out)


def anomalous_votes(p: Precincts) -> float:
    """The country's estimate: the sum of the regions'."""
    lay = _layout(p)
    return float(_regional(lay, np.ones((1, len(p)))).sum())


def shpilkin_test(
    p: Precincts, rng: np.random.Generator, *, boot: int = 200, alpha: float = 0.05
) -> TestResult:
    """shpilkin: anomalous votes for the leader, a 95 % interval and a one-sided p-value."""
    q = p.subset((p.voters > 0) & (p.valid > 0))
    lay = _layout(q)
    per_region = _regional(lay, np.ones((1, len(q))))[0]
    total = float(per_region.sum())
    reps = _bootstrap(lay, rng, boot)
    totals = reps.sum(axis=1)
    lo, hi = np.percentile(totals, [2.5, 97.5])
    p_value = (1 + int(np.sum(totals <= 0))) / (1 + boot)
    sizes = np.diff(np.r_[lay.starts, len(q)])
    regions = [
        RegionResult(
            p.region_names[int(r)],
            float(per_region[j]),
            (1 + int(np.sum(reps[:, j] <= 0))) / (1 + boot),
            stations=int(sizes[j]),
        )
        for j, r in enumerate(lay.regions)
    ]
    leader_votes = int(q.options[:, p.leader].sum())
    pooled = Precincts(
        q.voters,
        q.issued,
        q.cast,
        q.valid,
        q.options,
        np.zeros_like(q.region),
        ("",),
        q.option_names,
    )
    return TestResult(
        test="shpilkin",
        statistic=total,
        p_value=p_value,
        interval=(float(lo), float(hi)),
        flagged=p_value <= alpha,
        regions=with_fdr(regions, alpha),
        details={
            "option": p.option_names[p.leader],
            "leader_votes": leader_votes,
            "anomalous_share_of_leader": round(total / max(leader_votes, 1), 6),
            "regions_without_reference": int(lay.fallback.sum()),
            # Shpilkin's own figure: one reference for the whole country
            "country_pooled": round(anomalous_votes(pooled), 1),
            "bootstrap": boot,
            "stations": len(q),
        },
    )
