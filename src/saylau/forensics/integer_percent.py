"""Kobak, Shpilkin & Pshenichnikov (2016, AoAS): too many stations at integer percentages.

A station is "integer" when its percentage lies within ±width/2 percentage points of a whole
number (width 0.1, as in the paper). For the shares of the options other than the leader 0 %
and 100 % are left out, as a small option's 0 votes would otherwise count. The null: each
station's count drawn again from a binomial with the station's own observed rate (Monte Carlo,
`draws` times); the excess is the observed count minus the mean of the null, the p-value the
share of null draws at least as high. Regions: a Poisson upper tail with the Monte-Carlo mean
(conservative), then BH."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import stats

from saylau.forensics.fdr import with_fdr
from saylau.forensics.precincts import Floats, Ints, Precincts
from saylau.forensics.result import RegionResult, TestResult

CHUNK_CELLS = 2_000_000  # binomial draws held at once


@dataclass(frozen=True)
class IntegerCounts:
    observed: int
    null_mean: float
    null_sd: float
    p_value: float
    region_observed: Ints
    region_null_mean: Floats
    stations: Ints  # per region


def kobak_stations(p: Precincts) -> NDArray[np.bool_]:
    """The paper's inclusion rule: ballots in the boxes, ≥ 100 voters on the list, turnout and
    the leader's share at most 99 %."""
    leader = p.share(p.leader)
    return (p.cast > 0) & (p.voters >= 100) & (p.turnout() <= 0.99) & (leader <= 0.99)


def _is_integer(
    numerator: NDArray[np.int64], denominator: Ints, width: float, inner: bool
) -> NDArray[np.bool_]:
    pct = 100.0 * numerator / denominator
    whole = np.round(pct)
    hit = np.abs(pct - whole) <= width / 2 + 1e-9
    return hit & (whole >= 1) & (whole <= 99) if inner else hit


def integer_counts(
    numerator: Ints,
    denominator: Ints,
    region: Ints,
    n_regions: int,
    rng: np.random.Generator,
    *,
    draws: int = 400,
    width: float = 0.1,
    inner: bool = False,
) -> IntegerCounts:
    """Observed integer stations and the binomial Monte-Carlo null, overall and per region."""
    rate = numerator / denominator
    observed = _is_integer(numerator, denominator, width, inner)
    region_observed = np.bincount(region, weights=observed, minlength=n_regions).astype(np.int64)
    totals = np.empty(draws)
    region_sum = np.zeros(n_regions)
    chunk = max(1, CHUNK_CELLS // max(1, numerator.size))
    done = 0
    while done < draws:
        c = min(chunk, draws - done)
        sims = rng.binomial(denominator, rate, size=(c, numerator.size))
        hits = _is_integer(sims, denominator, width, inner)
        totals[done : done + c] = hits.sum(axis=1)
        region_sum += np.bincount(region, weights=hits.sum(axis=0), minlength=n_regions)
        done += c
    obs = int(observed.sum())
    p_value = (1 + int(np.sum(totals >= obs))) / (1 + draws)
    return IntegerCounts(
        observed=obs,
        null_mean=float(totals.mean()),
        null_sd=float(totals.std()),
        p_value=p_value,
        region_observed=region_observed,
        region_null_mean=region_sum / draws,
        stations=np.bincount(region, minlength=n_regions).astype(np.int64),
    )


def _result(
    test: str, counts: IntegerCounts, names: tuple[str, ...], alpha: float, extra: dict[str, object]
) -> TestResult:
    regions = []
    for i, name in enumerate(names):
        n = int(counts.stations[i])
        if n == 0:
            continue
        obs, mean = int(counts.region_observed[i]), float(counts.region_null_mean[i])
        p = float(stats.poisson.sf(obs - 1, mean)) if mean > 0 else (1.0 if obs == 0 else 0.0)
        regions.append(RegionResult(name, obs - mean, p, stations=n))
    excess = counts.observed - counts.null_mean
    return TestResult(
        test=test,
        statistic=excess,
        p_value=counts.p_value,
        flagged=counts.p_value <= alpha,
        regions=with_fdr(regions, alpha),
        details={
            "observed": counts.observed,
            "expected": round(counts.null_mean, 3),
            "null_sd": round(counts.null_sd, 3),
            "stations": int(counts.stations.sum()),
            **extra,
        },
    )


def integer_turnout(
    p: Precincts, rng: np.random.Generator, *, draws: int = 400, alpha: float = 0.05
) -> TestResult:
    """kobak_integer_turnout: integer turnout percentages (ballots issued / voters)."""
    q = p.subset(kobak_stations(p))
    counts = integer_counts(q.issued, q.voters, q.region, len(p.region_names), rng, draws=draws)
    return _result("kobak_integer_turnout", counts, p.region_names, alpha, {"draws": draws})


def integer_share(
    p: Precincts, rng: np.random.Generator, *, draws: int = 400, alpha: float = 0.05
) -> TestResult:
    """kobak_integer_share: integer shares of the leader (the test's statistic and flag), and
    the same for every option in `details` (each with its own p-value)."""
    q = p.subset(kobak_stations(p))
    n_regions = len(p.region_names)
    per_option = []
    leader_counts = None
    for k, name in enumerate(p.option_names):
        other = k != p.leader  # the others, for the details only, with a quarter of the draws
        n = max(50, draws // 4) if other else draws
        counts = integer_counts(
            q.options[:, k], q.cast, q.region, n_regions, rng, draws=n, inner=other
        )
        per_option.append(
            {
                "option": name,
                "observed": counts.observed,
                "expected": round(counts.null_mean, 3),
                "excess": round(counts.observed - counts.null_mean, 3),
                "p_value": round(counts.p_value, 6),
                "draws": n,
            }
        )
        if k == p.leader:
            leader_counts = counts
    assert leader_counts is not None
    extra = {"option": p.option_names[p.leader], "options": per_option, "draws": draws}
    return _result("kobak_integer_share", leader_counts, p.region_names, alpha, extra)
