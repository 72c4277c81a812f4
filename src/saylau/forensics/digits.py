"""Digit tests on the vote counts (Mebane's second-digit Benford law, 2BL; Beber & Scacco's
last digit): the counts of every option at every station, pooled.

Clean counts need not follow Benford's second-digit law exactly (it depends on the stations'
sizes), so the null is calibrated on the data: each count drawn again from a binomial with the
station's observed share (`draws` times), the expected digit frequencies averaged over the
draws, and a chi-square of the observed digits against them (9 degrees of freedom). The chi-
square against Benford (2BL) or the uniform law (last digit) is reported too. Intervals are
bootstrap percentiles of the mean second digit and of the share of counts ending in 0 or 5.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from scipy import stats

from saylau.forensics.fdr import with_fdr
from saylau.forensics.precincts import Floats, Ints, Precincts
from saylau.forensics.result import RegionResult, TestResult

BENFORD_2ND: Floats = np.array(
    [sum(np.log10(1 + 1 / (10 * k + d)) for k in range(1, 10)) for d in range(10)]
)
MIN_SECOND = 10  # a count needs two digits
MIN_LAST = 10  # Beber & Scacco leave out counts under 10


def second_digit(counts: Ints) -> Ints:
    """The second digit of each count (≥ 10)."""
    c = counts.astype(np.int64)
    magnitude = 10 ** np.floor(np.log10(np.maximum(c, 1))).astype(np.int64)
    return (c // (magnitude // 10)) % 10


def _freq(digits: Ints, region: Ints, n_regions: int) -> tuple[Floats, Floats]:
    total = np.bincount(digits, minlength=10).astype(np.float64)
    cells = np.bincount(region * 10 + digits, minlength=n_regions * 10)
    return total, cells.reshape(n_regions, 10).astype(np.float64)


def _chi2(observed: Floats, expected_p: Floats, inflate: float) -> tuple[float, float]:
    n = observed.sum()
    if n == 0:
        return 0.0, 1.0
    e = np.maximum(expected_p * n, 1e-12)
    stat = float(((observed - e) ** 2 / e).sum()) / inflate
    return stat, float(stats.chi2.sf(stat, 9))


def _cells(p: Precincts, minimum: int) -> tuple[Ints, Ints, Floats, Ints]:
    """The counts ≥ minimum, their station's ballots, share and region."""
    counts = p.options.ravel()
    cast = np.repeat(p.cast, p.options.shape[1])
    region = np.repeat(p.region, p.options.shape[1])
    keep = counts >= minimum
    # at most 1: a protocol accepted before option_le_valid may have an option over its ballots
    share = np.minimum(counts[keep] / np.maximum(cast[keep], 1), 1.0)
    return counts[keep], cast[keep], share, region[keep]


def _null_freq(
    cast: Ints,
    share: Floats,
    region: Ints,
    n_regions: int,
    digit_of: Callable[[Ints], Ints],
    minimum: int,
    rng: np.random.Generator,
    draws: int,
) -> tuple[Floats, Floats]:
    """Expected digit frequencies (over counts ≥ minimum) under the binomial null."""
    total = np.zeros(10)
    per_region = np.zeros((n_regions, 10))
    for _ in range(draws):
        sims = rng.binomial(cast, share)
        keep = sims >= minimum
        t, r = _freq(digit_of(sims[keep]), region[keep], n_regions)
        total += t
        per_region += r
    total /= max(total.sum(), 1)
    per_region /= np.maximum(per_region.sum(axis=1, keepdims=True), 1)
    return total, per_region


def _bootstrap(
    observed: Floats, fn: Callable[[Floats], float], rng: np.random.Generator, reps: int
) -> tuple[float, float]:
    n = int(observed.sum())
    if n == 0:
        return (0.0, 0.0)
    samples = rng.multinomial(n, observed / n, size=reps)
    values = np.array([fn(s) for s in samples])
    return float(np.percentile(values, 2.5)), float(np.percentile(values, 97.5))


def _mean_digit(freq: Floats) -> float:
    return float((np.arange(10) * freq).sum() / max(freq.sum(), 1))


def _zero_five(freq: Floats) -> float:
    return float((freq[0] + freq[5]) / max(freq.sum(), 1))


def _digit_test(
    test: str,
    p: Precincts,
    rng: np.random.Generator,
    *,
    minimum: int,
    digit_of: Callable[[Ints], Ints],
    law: Floats,
    summary: Callable[[Floats], float],
    draws: int,
    boot: int,
    alpha: float,
) -> TestResult:
    counts, cast, share, region = _cells(p, minimum)
    n_regions = len(p.region_names)
    observed, obs_region = _freq(digit_of(counts), region, n_regions)
    null, null_region = _null_freq(cast, share, region, n_regions, digit_of, minimum, rng, draws)
    inflate = 1 + 1 / draws  # the null's own Monte-Carlo noise
    stat, p_value = _chi2(observed, null, inflate)
    law_stat, law_p = _chi2(observed, law, 1.0)
    regions = []
    for i, name in enumerate(p.region_names):
        if obs_region[i].sum() < 50:
            continue
        s, pv = _chi2(obs_region[i], null_region[i], inflate)
        regions.append(RegionResult(name, s, pv, stations=int(obs_region[i].sum())))
    return TestResult(
        test=test,
        statistic=stat,
        p_value=p_value,
        flagged=p_value <= alpha,
        interval=_bootstrap(observed, summary, rng, boot),
        regions=with_fdr(regions, alpha),
        details={
            "counts": int(observed.sum()),
            "frequencies": [round(float(x), 6) for x in observed / max(observed.sum(), 1)],
            "expected_null": [round(float(x), 6) for x in null],
            "law": [round(float(x), 6) for x in law],
            "chi2_law": round(law_stat, 3),
            "p_value_law": law_p,
            "summary": round(summary(observed), 6),
            "summary_law": round(summary(law * 1000), 6),
            "summary_null": round(summary(null * 1000), 6),
            "draws": draws,
        },
    )


def second_digit_test(
    p: Precincts, rng: np.random.Generator, *, draws: int = 20, boot: int = 200, alpha: float = 0.05
) -> TestResult:
    """second_digit: 2BL; the interval is the mean second digit's (Benford: 4.187)."""
    return _digit_test(
        "second_digit",
        p,
        rng,
        minimum=MIN_SECOND,
        digit_of=second_digit,
        law=BENFORD_2ND,
        summary=_mean_digit,
        draws=draws,
        boot=boot,
        alpha=alpha,
    )


def _last(counts: Ints) -> Ints:
    out: Ints = counts % 10
    return out


def last_digit_test(
    p: Precincts, rng: np.random.Generator, *, draws: int = 20, boot: int = 200, alpha: float = 0.05
) -> TestResult:
    """last_digit: last digits; the interval is the share of counts ending in 0 or 5 (0.2)."""
    return _digit_test(
        "last_digit",
        p,
        rng,
        minimum=MIN_LAST,
        digit_of=_last,
        law=np.full(10, 0.1),
        summary=_zero_five,
        draws=draws,
        boot=boot,
        alpha=alpha,
    )
