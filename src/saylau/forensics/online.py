"""Online signals on counts already aggregated (no personal data reaches this module): casts
or sign-ins per minute, members per network, re-votes, and casts per district and minute.

Bursts: each minute's count against the minutes around it (±`window`, the minute itself left
out): the predictive of a Poisson whose rate is learnt from those minutes (negative binomial,
Jeffreys prior), so a daily cycle is not a burst and a rate learnt from few events is not
trusted too far; BH across the minutes. Networks: each network's members against a Poisson
at the mean per network, BH; a network is named only by the caller's label (an opaque
label), never by an address. Re-votes: per-minute bursts of re-votes, and credentials with
more re-votes than a geometric hurdle fitted on the data allows. Geography: a district's
casts in a minute against a binomial at its share of all casts (BH across the cells).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from numpy.typing import NDArray
from scipy import stats

from saylau.forensics.fdr import bh_qvalues, with_fdr
from saylau.forensics.precincts import Floats, Ints
from saylau.forensics.result import RegionResult, TestResult

WINDOW = 30  # minutes either side of a minute that make its baseline


def _flags(
    counts: Ints, labels: Sequence[str], p_values: Floats, alpha: float
) -> tuple[RegionResult, ...]:
    cells = [
        RegionResult(label, float(c), float(p), stations=int(c))
        for label, c, p in zip(labels, counts, p_values, strict=True)
    ]
    return tuple(c for c in with_fdr(cells, alpha) if c.flagged)


def _result(
    test: str, hits: tuple[RegionResult, ...], cells: int, details: Mapping[str, object]
) -> TestResult:
    q_min = min((c.q_value for c in hits if c.q_value is not None), default=1.0)
    return TestResult(
        test=test,
        statistic=float(len(hits)),
        p_value=float(q_min),
        flagged=bool(hits),
        regions=hits,
        details={"cells": cells, **details},
    )


def local_pvalues(counts: Ints, window: int = WINDOW) -> Floats:
    """P(X ≥ count) per minute under the rate of the ±`window` minutes around it (the minute
    itself left out): a negative binomial, the Poisson's predictive with a Jeffreys prior."""
    x = np.asarray(counts, dtype=np.int64)
    n = x.size
    if n == 0:
        return np.zeros(0)
    cum = np.concatenate(([0], np.cumsum(x)))
    i = np.arange(n)
    lo = np.maximum(i - window, 0)
    hi = np.minimum(i + window + 1, n)
    around = cum[hi] - cum[lo] - x
    minutes = np.maximum(hi - lo - 1, 1)
    p: Floats = stats.nbinom.sf(x - 1, around + 0.5, minutes / (minutes + 1.0))
    return np.where(x > 0, p, 1.0)


def bursts(
    per_minute: Ints,
    minutes: Sequence[str],
    *,
    alpha: float = 0.05,
    test: str = "online_bursts",
    window: int = WINDOW,
) -> TestResult:
    """Minutes with more events than the minutes around them allow (BH)."""
    return series_bursts({"": per_minute}, minutes, alpha=alpha, test=test, window=window)


def series_bursts(
    series: Mapping[str, Ints],
    minutes: Sequence[str],
    *,
    alpha: float = 0.05,
    test: str = "online_bursts",
    window: int = WINDOW,
) -> TestResult:
    """`bursts` of several series (e.g. sign-ins and casts) at once, BH across all their
    minutes; a flagged cell is named "<series> <minute>" (the minute alone for "")."""
    counts, labels, p_values, totals = [], [], [], {}
    for name, values in series.items():
        x = np.asarray(values, dtype=np.int64)
        counts.append(x)
        labels += [f"{name} {m}".strip() for m in minutes]
        p_values.append(local_pvalues(x, window))
        totals[name or "events"] = int(x.sum())
    all_counts = np.concatenate(counts) if counts else np.zeros(0, dtype=np.int64)
    all_p = np.concatenate(p_values) if p_values else np.zeros(0)
    hits = _flags(all_counts, labels, all_p, alpha)
    return _result(test, hits, len(labels), {"window": window, "totals": totals})


def networks(per_network: Ints, labels: Sequence[str], *, alpha: float = 0.05) -> TestResult:
    """Networks with more members than a Poisson at the mean per network allows (BH)."""
    counts = np.asarray(per_network, dtype=np.int64)
    rate = max(float(counts.mean()) if counts.size else 0.0, 1e-9)
    p = stats.poisson.sf(counts - 1, rate)
    hits = _flags(counts, labels, p, alpha)
    details = {"rate": round(rate, 6), "total": int(counts.sum())}
    return _result("online_networks", hits, int(counts.size), details)


def revote_histogram(per_credential: Ints, top: int = 10) -> dict[str, int]:
    """How many credentials re-voted 0, 1, … times ("10+" for `top` and more)."""
    k = np.minimum(np.asarray(per_credential, dtype=np.int64), top)
    counts = np.bincount(k, minlength=top + 1)
    return {(f"{i}+" if i == top else str(i)): int(c) for i, c in enumerate(counts) if c}


def revotes(
    per_credential: Ints,
    per_minute: Ints,
    minutes: Sequence[str],
    *,
    quick: int = 0,
    alpha: float = 0.05,
    window: int = WINDOW,
) -> TestResult:
    """Re-vote patterns: minutes with a burst of re-votes, and credentials with more re-votes
    than a geometric hurdle allows (P(K ≥ 1) and P(K ≥ k+1 | K ≥ k) learnt from the share
    that re-voted at all and the share of those that did again). Each family at alpha / 2
    (Bonferroni between the two); `quick`: re-votes within the caller's N minutes of the
    credential's first cast (reported)."""
    k = np.asarray(per_credential, dtype=np.int64)
    x = np.asarray(per_minute, dtype=np.int64)
    once = int((k >= 1).sum())
    again = int((k >= 2).sum())
    hurdle = (once + 0.5) / (k.size + 1.0)
    go_on = (again + 0.5) / (once + 1.0)
    cred_p = np.where(k >= 1, hurdle * go_on ** np.maximum(k - 1, 0), 1.0)
    cred_q = np.asarray(bh_qvalues(list(cred_p))) if k.size else np.zeros(0)
    heavy = int((cred_q <= alpha / 2).sum())
    minute_hits = _flags(x, minutes, local_pvalues(x, window), alpha / 2)
    q_min = min(
        [c.q_value for c in minute_hits if c.q_value is not None]
        + ([float(cred_q.min())] if k.size else [])
        + [1.0]
    )
    total = int(k.sum())
    return TestResult(
        test="online_revotes",
        statistic=float(len(minute_hits) + heavy),
        p_value=float(min(1.0, 2 * q_min)),  # the two families' Bonferroni
        flagged=bool(minute_hits) or heavy > 0,
        regions=minute_hits,
        details={
            "credentials": int(k.size),
            "revotes": total,
            "distribution": revote_histogram(k),
            "share_revoting": round(once / k.size, 6) if k.size else 0.0,
            "continuation": round(go_on, 6),
            "heavy_credentials": heavy,
            "burst_minutes": len(minute_hits),
            "quick_revotes": int(quick),
            "quick_share": round(quick / total, 6) if total else 0.0,
            "window": window,
        },
    )


def geography(
    per_district_minute: NDArray[np.int64],
    districts: Sequence[str],
    minutes: Sequence[str],
    roll: Sequence[int],
    *,
    alpha: float = 0.05,
) -> TestResult:
    """Casts per district and minute (rows: districts) against a binomial of the minute's
    casts at the district's share of all casts (its roll share times its own turnout: a
    district that votes more all day is no burst); BH across every cell. Per region: the
    district's flagged minutes, its smallest p- and q-value. `roll`: members per district."""
    x = np.asarray(per_district_minute, dtype=np.int64).reshape(len(districts), len(minutes))
    per_minute = x.sum(axis=0)
    total = int(x.sum())
    share = x.sum(axis=1) / max(total, 1)
    p = stats.binom.sf(x - 1, per_minute[None, :], share[:, None])
    p = np.where(x > 0, p, 1.0)
    q = np.asarray(bh_qvalues(list(p.ravel()))).reshape(p.shape) if p.size else p
    roll_arr = np.asarray(roll, dtype=np.float64)
    roll_share = roll_arr / max(float(roll_arr.sum()), 1.0)
    regions = []
    for i, name in enumerate(districts):
        hit = int((q[i] <= alpha).sum()) if q.size else 0
        regions.append(
            RegionResult(
                name,
                float(hit),
                float(p[i].min()) if p.size else 1.0,
                float(q[i].min()) if q.size else 1.0,
                hit > 0,
                int(x[i].sum()),
            )
        )
    flagged_cells = [
        f"{districts[i]} {minutes[j]}" for i, j in zip(*np.nonzero(q <= alpha), strict=True)
    ]
    q_min = float(q.min()) if q.size else 1.0
    return TestResult(
        test="online_geography",
        statistic=float(len(flagged_cells)),
        p_value=q_min,
        flagged=bool(flagged_cells),
        regions=tuple(regions),
        details={
            "cells": int(x.size),
            "total": total,
            "flagged_cells": flagged_cells[:100],
            "cast_share": {d: round(float(s), 6) for d, s in zip(districts, share, strict=True)},
            "roll_share": {
                d: round(float(s), 6) for d, s in zip(districts, roll_share, strict=True)
            },
            "turnout": {
                d: round(float(x[i].sum() / r), 6) if r else None
                for i, (d, r) in enumerate(zip(districts, roll_arr, strict=True))
            },
        },
    )
