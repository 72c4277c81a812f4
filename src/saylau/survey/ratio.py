"""The stratified ratio estimator R = Ŷ / X̂ with its two variance estimates (docs/pvt.md §2).

Stations are drawn without replacement within strata; a sampled station i of stratum h
weighs w_i = N_h / n_h. The totals are Ŷ = Σ w_i y_i and X̂ = Σ w_i x_i. The Taylor
(linearised) variance uses the residuals e_i = y_i − R x_i:

    v(R) = Σ_h N_h² (1 − f_h) s²_h(e) / n_h / X̂²,  f_h = n_h / N_h,

and the bootstrap is Rao and Wu's rescaled bootstrap: in each stratum n_h − 1 stations are
drawn with replacement and the weights rescaled so that its variance matches v(R) for a
linear statistic, finite-population correction included (`fpc=False` drops it, as the
exit poll's ultimate-cluster variance does).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from saylau.survey.errors import SurveyError, listed

Floats = NDArray[np.float64]
Ints = NDArray[np.int64]
BOOTSTRAP_CHUNK = 100  # replicates between two progress callbacks


@dataclass(frozen=True)
class Strata:
    """The stratum of each sampled station (0..H-1) and each stratum's N_h and n_h."""

    names: tuple[str, ...]
    index: Ints  # (n,)
    sizes: Ints  # (H,) stations in the stratum (the frame)
    counts: Ints  # (H,) stations sampled (and reported)

    @classmethod
    def of(cls, labels: Sequence[str], sizes: Mapping[str, int]) -> Strata:
        """Strata from each sampled station's label and the frame's N_h per label; raise
        SurveyError for a stratum with fewer than two stations or more than N_h, or unknown."""
        names = tuple(sorted(sizes))
        position = {name: h for h, name in enumerate(names)}
        unknown = sorted({label for label in labels if label not in position})
        if unknown:
            raise SurveyError("survey.stratum_unknown", strata=listed(unknown))
        if not labels:
            raise SurveyError("survey.no_stations")
        index = np.fromiter((position[label] for label in labels), np.int64, len(labels))
        counts = np.bincount(index, minlength=len(names)).astype(np.int64)
        frame = np.array([sizes[name] for name in names], np.int64)
        _check_counts(names, counts, frame)
        return cls(names, index, frame, counts)

    @property
    def weights(self) -> Floats:
        """w_i = N_h / n_h of each sampled station."""
        return (self.sizes / self.counts)[self.index].astype(np.float64)


def _check_counts(names: tuple[str, ...], counts: Ints, sizes: Ints) -> None:
    def named(mask: NDArray[np.bool_]) -> str:
        return listed([names[h] for h in np.flatnonzero(mask)])

    if np.any((counts == 0) & (sizes > 0)):
        raise SurveyError("survey.stratum_empty", strata=named((counts == 0) & (sizes > 0)))
    if np.any((counts == 1) & (sizes > 1)):  # a stratum of one station is a census
        raise SurveyError("survey.stratum_single", strata=named((counts == 1) & (sizes > 1)))
    if np.any(counts > sizes):
        raise SurveyError("survey.stratum_over", strata=named(counts > sizes))


def stratum_sums(strata: Strata, values: Floats) -> Floats:
    """Σ over the stations of each stratum of `values` (n, k) → (H, k)."""
    out = np.zeros((len(strata.names), values.shape[1]))
    np.add.at(out, strata.index, values)
    return out


def ratio(y: Floats, x: Floats, weights: Floats) -> Floats:
    """R_j = Σ w y_j / Σ w x for each column j of y (n, k); weights (n,) or (B, n)."""
    return (weights @ y) / (weights @ x)[..., None]


def linearised_variance(y: Floats, x: Floats, strata: Strata, *, fpc: bool = True) -> Floats:
    """The Taylor variance v(R_j) of each column's ratio (module docstring)."""
    w = strata.weights
    r = ratio(y, x, w)
    e = y - x[:, None] * r[None, :]
    n_h = strata.counts[:, None].astype(np.float64)
    mean = stratum_sums(strata, e) / n_h
    s2 = stratum_sums(strata, (e - mean[strata.index]) ** 2) / np.maximum(n_h - 1, 1)
    f = strata.counts / strata.sizes if fpc else np.zeros(len(strata.names))
    big_n = strata.sizes[:, None].astype(np.float64)
    total = float(w @ x)
    return np.asarray(((big_n**2 * (1 - f[:, None]) * s2 / n_h).sum(axis=0)) / total**2)


def replicate_weights(
    strata: Strata, replicates: int, rng: np.random.Generator, *, fpc: bool = True
) -> Floats:
    """Rao–Wu rescaled bootstrap weights (replicates, n): m_h = n_h − 1 draws with
    replacement per stratum, w* = w (1 − λ + λ r n_h / m_h), λ = √(1 − f_h)."""
    w = strata.weights
    out = np.empty((replicates, len(w)))
    for h in range(len(strata.names)):
        members = np.flatnonzero(strata.index == h)
        n_h = len(members)
        m_h = n_h - 1
        if m_h == 0:  # a one-station stratum (a census): no resampling
            out[:, members] = w[members]
            continue
        f = n_h / strata.sizes[h] if fpc else 0.0
        lam = np.sqrt(1.0 - f)
        draws = rng.multinomial(m_h, np.full(n_h, 1.0 / n_h), size=replicates)
        out[:, members] = w[members] * (1.0 - lam + lam * draws * n_h / m_h)
    return out


@dataclass(frozen=True)
class RatioEstimate:
    """Each column's ratio, its linearised standard error and intervals, and the bootstrap's."""

    estimate: Floats
    se: Floats
    low: Floats
    high: Floats
    boot_se: Floats | None = None
    boot_low: Floats | None = None
    boot_high: Floats | None = None


def check_confidence(confidence: float) -> None:
    if not 0.5 <= confidence < 1:
        raise SurveyError("survey.confidence", confidence=confidence)


def critical_value(confidence: float, df: int) -> float:
    """Student's t quantile for a two-sided interval with the design's df = n − H."""
    from scipy import stats  # here: scipy.stats takes a second to import

    return float(stats.t.ppf(0.5 + confidence / 2, max(df, 1)))


def estimate_ratio(
    y: Floats,
    x: Floats,
    strata: Strata,
    *,
    confidence: float = 0.95,
    bootstrap: int = 0,
    rng: np.random.Generator | None = None,
    fpc: bool = True,
    on_progress: Callable[[int, int], None] | None = None,
) -> RatioEstimate:
    """R with its analytic interval R ± t·√v(R), and with `bootstrap` replicates the
    bootstrap's standard error and percentile interval."""
    check_confidence(confidence)
    if bootstrap and bootstrap < 100:
        raise SurveyError("survey.bootstrap", count=bootstrap)
    if float(strata.weights @ x) <= 0:
        raise SurveyError("survey.no_valid")
    r = ratio(y, x, strata.weights)
    se = np.sqrt(linearised_variance(y, x, strata, fpc=fpc))
    t = critical_value(confidence, len(x) - len(strata.names))
    if not bootstrap:
        return RatioEstimate(r, se, r - t * se, r + t * se)
    rng = rng if rng is not None else np.random.default_rng()
    reps = np.concatenate(list(_replicates(y, x, strata, bootstrap, rng, fpc, on_progress)))
    alpha = (1 - confidence) / 2
    low, high = np.quantile(reps, [alpha, 1 - alpha], axis=0)
    boot_se = reps.std(axis=0, ddof=1)
    return RatioEstimate(r, se, r - t * se, r + t * se, boot_se, low, high)


def _replicates(
    y: Floats,
    x: Floats,
    strata: Strata,
    count: int,
    rng: np.random.Generator,
    fpc: bool,
    on_progress: Callable[[int, int], None] | None,
) -> list[Floats]:
    chunks = []
    for start in range(0, count, BOOTSTRAP_CHUNK):
        size = min(BOOTSTRAP_CHUNK, count - start)
        chunks.append(ratio(y, x, replicate_weights(strata, size, rng, fpc=fpc)))
        if on_progress is not None:
            on_progress(start + size, count)
    return chunks
