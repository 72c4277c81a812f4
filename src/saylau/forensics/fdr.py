"""Benjamini–Hochberg false-discovery-rate control across regions."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from saylau.forensics.result import RegionResult


def bh_qvalues(p_values: Sequence[float]) -> list[float]:
    """The BH-adjusted p-values (q-values), in the input order."""
    p = np.asarray(p_values, dtype=np.float64)
    n = p.size
    if n == 0:
        return []
    order = np.argsort(p)
    ranked = p[order] * n / np.arange(1, n + 1)
    q = np.minimum.accumulate(ranked[::-1])[::-1]
    out = np.empty(n)
    out[order] = np.minimum(q, 1.0)
    return [float(x) for x in out]


def with_fdr(regions: Sequence[RegionResult], alpha: float) -> tuple[RegionResult, ...]:
    """The regions with their q-values and flags; a region without a p-value keeps none."""
    tested = [i for i, r in enumerate(regions) if r.p_value is not None]
    q = bh_qvalues([float(regions[i].p_value) for i in tested])  # type: ignore[arg-type]
    out = list(regions)
    for i, qv in zip(tested, q, strict=True):
        r = regions[i]
        out[i] = RegionResult(r.region, r.statistic, r.p_value, qv, qv <= alpha, r.stations)
    return tuple(out)
