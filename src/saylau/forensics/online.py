"""Online signals on counts already aggregated (no personal data reaches this module): casts
or sign-ins per minute, and per IP network.

Bursts: each minute's count against a Poisson with the median minute's rate (robust to the
bursts themselves), BH across minutes. Networks: each network's count against a Poisson at
the mean per network, BH across networks; a network is named only by the caller's label
(for example a /24 prefix), never by an address.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import stats

from saylau.forensics.fdr import with_fdr
from saylau.forensics.precincts import Ints
from saylau.forensics.result import RegionResult, TestResult


def _poisson_flags(
    test: str, counts: Ints, labels: Sequence[str], rate: float, alpha: float
) -> TestResult:
    rate = max(rate, 1e-9)
    cells = [
        RegionResult(label, float(c), float(stats.poisson.sf(int(c) - 1, rate)), stations=int(c))
        for label, c in zip(labels, counts, strict=True)
    ]
    flagged = with_fdr(cells, alpha)
    hits = [c for c in flagged if c.flagged]
    q_min = min((c.q_value for c in flagged if c.q_value is not None), default=1.0)
    return TestResult(
        test=test,
        statistic=float(len(hits)),
        p_value=float(q_min),
        flagged=bool(hits),
        regions=tuple(hits),
        details={"rate": round(rate, 6), "cells": len(cells), "total": int(np.sum(counts))},
    )


def bursts(
    per_minute: Ints, minutes: Sequence[str], *, alpha: float = 0.05, test: str = "online_bursts"
) -> TestResult:
    """Minutes with more events than the median minute's Poisson rate allows (BH)."""
    counts = np.asarray(per_minute, dtype=np.int64)
    return _poisson_flags(
        test, counts, minutes, float(np.median(counts)) if counts.size else 0, alpha
    )


def networks(per_network: Ints, labels: Sequence[str], *, alpha: float = 0.05) -> TestResult:
    """Networks with more casts than a Poisson at the mean per network allows (BH)."""
    counts = np.asarray(per_network, dtype=np.int64)
    rate = float(counts.mean()) if counts.size else 0.0
    return _poisson_flags("online_networks", counts, labels, rate, alpha)
