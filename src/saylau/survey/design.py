"""The sample design: how many stations per stratum for a target margin, and a draw anyone
can repeat from a published seed (docs/pvt.md §3).

Planning variance. The PVT's share is a ratio R = Σ y / Σ x over stations (votes for an
option over valid votes). With e_i = y_i − R x_i and u_i = e_i / x̄ (x̄ the frame's mean),
a stratified sample of n_h stations of N_h has

    V(R) = (1 / N²) Σ_h N_h² (1/n_h − 1/N_h) S²_h,   S²_h the variance of u in stratum h.

S²_h comes from a past result at the same stations (`planning_from_results`: the worst
option in each stratum) or from a planning value σ of a share's spread between stations
(`planning_from_sd`: S²_h = σ² · mean(v²)_h / v̄², v = voters on the list). With allocation
fractions a_h (proportional N_h / N, or Neyman ∝ N_h S_h) the n that gives t·√V = margin is

    1/n = (margin² / t² + Σ_h N_h S²_h / N²) / (Σ_h N_h² S²_h / a_h / N²).

The draw ranks the stations of each stratum by SHA-256("saylau-sample", seed, station) and
takes the n_h first: anyone with the frame and the seed repeats it, in any language.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from saylau.survey.errors import SurveyError
from saylau.survey.ratio import Floats, check_confidence

ALLOCATIONS = ("proportional", "neyman")
DRAW_TAG = b"saylau-sample"
MIN_PER_STRATUM = 2  # a variance needs two stations in every stratum


@dataclass(frozen=True)
class Planning:
    """The planning variances S²_h (per stratum, in units of the frame's mean) and the share
    p the design effect is reported for."""

    variances: dict[str, float]
    share: float
    source: str  # "results" or "sd"


def _groups(strata: Sequence[str]) -> dict[str, NDArray[np.intp]]:
    labels = np.asarray(strata, dtype=object)
    return {name: np.flatnonzero(labels == name) for name in sorted(set(strata))}


def frame_sizes(known: Sequence[float | None]) -> NDArray[np.float64]:
    """The stations' sizes for a design: a station of unknown size (None) counts as the mean
    of the known ones, and when none is known or they add up to 0 every station counts as
    1, so that neither a missing count nor a station of 0 breaks the planning (decision 0048)."""
    given = [float(v) for v in known if v is not None]
    if not given or sum(given) <= 0:
        return np.ones(len(known))
    fill = sum(given) / len(given)
    return np.asarray([fill if v is None else float(v) for v in known], np.float64)


def planning_from_sd(sd: float, strata: Sequence[str], voters: Floats) -> Planning:
    """S²_h = σ² · mean(v²)_h / v̄²: shares spread by σ between stations, independently of
    the station's size."""
    if not 0 < sd <= 0.5:
        raise SurveyError("survey.sd", sd=sd)
    v = np.asarray(voters, np.float64)
    mean = v.mean()
    variances = {
        name: float(sd**2 * np.mean(v[rows] ** 2) / mean**2)
        for name, rows in _groups(strata).items()
    }
    return Planning(variances, 0.5, "sd")


def planning_from_results(strata: Sequence[str], valid: Floats, votes: Floats) -> Planning:
    """S²_h from a past result at the frame's stations: the largest over the options of the
    variance of u = (y − R x) / x̄ in the stratum."""
    x = np.asarray(valid, np.float64)
    y = np.asarray(votes, np.float64)
    if x.sum() <= 0:
        raise SurveyError("survey.no_valid")
    r = y.sum(axis=0) / x.sum()
    u = (y - x[:, None] * r[None, :]) / x.mean()
    variances = {
        name: float(u[rows].var(axis=0, ddof=1).max()) if len(rows) > 1 else 0.0
        for name, rows in _groups(strata).items()
    }
    return Planning(variances, float(r.max()), "results")


@dataclass(frozen=True)
class Design:
    """Stations per stratum in the frame and in the sample, the margin the sample is expected
    to give at `confidence`, and its design effect."""

    sizes: dict[str, int]
    sample: dict[str, int]
    margin: float  # the target
    expected_margin: float  # t·√V with the rounded allocation
    confidence: float
    allocation: str
    deff: float  # V / (p(1−p) / voters on the sampled stations' lists)

    @property
    def n(self) -> int:
        return sum(self.sample.values())


def expected_variance(
    sizes: Mapping[str, int], sample: Mapping[str, int], planning: Planning
) -> float:
    """V(R) of the module docstring for a given allocation."""
    total = sum(sizes.values())
    terms = (
        sizes[h] ** 2 * (1 / sample[h] - 1 / sizes[h]) * planning.variances[h]
        for h in sizes
        if sample[h] > 0
    )
    return sum(terms) / total**2


def _fractions(sizes: Mapping[str, int], planning: Planning, allocation: str) -> dict[str, float]:
    if allocation == "neyman":
        scores = {h: sizes[h] * math.sqrt(planning.variances[h]) for h in sizes}
        if sum(scores.values()) > 0:
            return {h: s / sum(scores.values()) for h, s in scores.items()}
    total = sum(sizes.values())
    return {h: sizes[h] / total for h in sizes}


def _allocate(sizes: Mapping[str, int], fractions: Mapping[str, float], n: float) -> dict[str, int]:
    return {
        h: min(sizes[h], max(min(MIN_PER_STRATUM, sizes[h]), math.ceil(n * fractions[h])))
        for h in sizes
    }


def design_sample(
    sizes: Mapping[str, int],
    planning: Planning,
    *,
    margin: float,
    confidence: float = 0.95,
    allocation: str = "proportional",
    mean_voters: float = 1.0,
) -> Design:
    """The smallest allocation (to the rounding) whose expected margin is at most `margin`.
    `mean_voters` (voters on a list per station) is only for the design effect."""
    if not 0 < margin < 0.5:
        raise SurveyError("survey.margin", margin=margin)
    check_confidence(confidence)
    total = sum(sizes.values())
    if total == 0:
        raise SurveyError("survey.no_stations")
    from scipy import stats  # here: scipy.stats takes a second to import

    t = float(stats.norm.ppf(0.5 + confidence / 2))
    a = _fractions(sizes, planning, allocation)
    var = planning.variances
    top = sum(sizes[h] ** 2 * var[h] / a[h] for h in sizes if a[h] > 0) / total**2
    bottom = margin**2 / t**2 + sum(sizes[h] * var[h] for h in sizes) / total**2
    n = top / bottom if top > 0 else 0.0
    sample = _allocate(sizes, a, n)
    while t * math.sqrt(expected_variance(sizes, sample, planning)) > margin:
        n = max(n * 1.01, n + 1)
        sample = _allocate(sizes, a, n)
    v = expected_variance(sizes, sample, planning)
    p = planning.share
    srs = p * (1 - p) / (sum(sample.values()) * mean_voters)
    return Design(dict(sizes), sample, margin, t * math.sqrt(v), confidence, allocation, v / srs)


def rank_key(seed: str, station: str) -> bytes:
    """SHA-256(tag ‖ 0 ‖ seed ‖ 0 ‖ station), both UTF-8: a station's place in the draw."""
    return hashlib.sha256(DRAW_TAG + b"\x00" + seed.encode() + b"\x00" + station.encode()).digest()


def draw(
    stations: Sequence[str], strata: Sequence[str], sample: Mapping[str, int], seed: str
) -> list[int]:
    """The positions (in `stations`) of the sample: in each stratum the `sample[h]` stations
    with the smallest rank_key, in the order of the frame. Station names must be unique."""
    chosen: list[int] = []
    for name, rows in _groups(strata).items():
        ranked = sorted(rows, key=lambda i: rank_key(seed, stations[i]))
        chosen.extend(int(i) for i in ranked[: sample.get(name, 0)])
    return sorted(chosen)
