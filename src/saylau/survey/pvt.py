"""The parallel vote tabulation: each option's share of the valid votes and the turnout,
estimated from the protocols of a stratified random sample of stations, and compared with
the official result (docs/pvt.md §2, §4).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from saylau.survey.errors import SurveyError
from saylau.survey.ratio import Floats, RatioEstimate, Strata, estimate_ratio


@dataclass(frozen=True)
class PvtSample:
    """The sampled stations' protocols: votes per option (n, k), valid votes, voters on the
    list and ballots cast (None when the CSV has no such column)."""

    strata: Strata
    votes: Floats
    valid: Floats
    voters: Floats
    cast: Floats | None = None


@dataclass(frozen=True)
class PvtEstimate:
    """Shares of the valid votes per option and the turnout (cast / voters on the list)."""

    shares: RatioEstimate
    turnout: RatioEstimate | None
    stations: int
    strata: int
    confidence: float


def estimate_pvt(
    sample: PvtSample,
    *,
    confidence: float = 0.95,
    bootstrap: int = 1000,
    rng: np.random.Generator | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> PvtEstimate:
    """The ratio estimates of every share and of the turnout, with analytic intervals and,
    with `bootstrap` > 0, the stratified bootstrap's (the same replicates for both)."""
    rng = rng if rng is not None else np.random.default_rng()
    shares = estimate_ratio(
        sample.votes,
        sample.valid,
        sample.strata,
        confidence=confidence,
        bootstrap=bootstrap,
        rng=rng,
        on_progress=on_progress,
    )
    turnout = None
    if sample.cast is not None and float(sample.voters.sum()) > 0:
        turnout = estimate_ratio(
            sample.cast[:, None],
            sample.voters,
            sample.strata,
            confidence=confidence,
            bootstrap=bootstrap,
            rng=rng,
        )
    return PvtEstimate(shares, turnout, len(sample.valid), len(sample.strata.names), confidence)


def population_shares(votes: Floats, valid: Floats) -> Floats:
    """The official shares of the valid votes over a whole table: Σ votes_j / Σ valid."""
    total = float(np.sum(valid))
    if total <= 0:
        raise SurveyError("survey.no_valid")
    return np.asarray(np.sum(votes, axis=0) / total, np.float64)


@dataclass(frozen=True)
class Comparison:
    """The official value against the estimate: inside each interval or not, the difference
    official − estimate and its z (difference over the linearised standard error)."""

    official: float
    estimate: float
    difference: float
    z: float
    inside_analytic: bool
    inside_bootstrap: bool | None


def compare(estimate: RatioEstimate, official: Floats) -> list[Comparison]:
    """One Comparison per column of `estimate`."""
    if len(official) != len(estimate.estimate):
        raise SurveyError("survey.options", official=len(official), sample=len(estimate.estimate))
    out = []
    for j, value in enumerate(np.asarray(official, np.float64)):
        diff = float(value - estimate.estimate[j])
        se = float(estimate.se[j])
        boot = None
        if estimate.boot_low is not None and estimate.boot_high is not None:
            boot = bool(estimate.boot_low[j] <= value <= estimate.boot_high[j])
        out.append(
            Comparison(
                official=float(value),
                estimate=float(estimate.estimate[j]),
                difference=diff,
                z=diff / se if se > 0 else (0.0 if diff == 0 else float("inf")),
                inside_analytic=bool(estimate.low[j] <= value <= estimate.high[j]),
                inside_bootstrap=boot,
            )
        )
    return out
