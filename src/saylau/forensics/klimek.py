"""The election fingerprint and Klimek, Yegorov, Hanel & Thurner's (2012, PNAS) fraud model.

Fingerprint: the 2D histogram of turnout (ballots issued / voters) against the winner's share
(of the ballots in the boxes). Model: a fair station's turnout and winner's share are those of
a station below both modes (the corner fraud does not reach) mirrored about the modes with
random signs (Klimek et al. use normals; this keeps the wider spread of small stations). With
probability f_i it has incremental fraud: a fraction x (half-normal, scale fitted) of the
non-voters' ballots is stuffed for the winner and the same fraction of the other options'
votes goes to the winner; with probability f_e extreme fraud (x close to 1). The model's
histogram is linear in (f_i, f_e), so they are fitted by bounded least squares against the
observed histogram, for each scale of x, keeping the best. The p-value is a parametric
bootstrap: elections of as many stations drawn from the fitted fair model, fitted the same
way; the share of them whose f_i + f_e is at least the observed one. A correlation between
turnout and support across regions reads as fraud here (docs/forensics.md).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import lsq_linear

from saylau.forensics.precincts import Floats, Ints, Precincts
from saylau.forensics.result import TestResult

BINS = 50  # 2-point bins for the fit
SCALES = (0.15, 0.25, 0.35, 0.5)  # half-normal scales of the incremental fraud x
EXTREME_SPREAD = 0.05
MIN_UNITS = 8_000  # units simulated per model component (at least twice the stations)


@dataclass(frozen=True)
class FairModel:
    """The fair stations: the stations below both modes (the corner fraud does not reach),
    their distances under the modes mirrored about them with random signs. The distances of
    one station stay together: a small station is spread in both turnout and share."""

    turnout_mode: float
    share_mode: float
    below: Floats  # shape (k, 2): distances under the turnout and the share modes

    @property
    def turnout_sd(self) -> float:
        return float(np.sqrt(np.mean(self.below[:, 0] ** 2)))

    @property
    def share_sd(self) -> float:
        return float(np.sqrt(np.mean(self.below[:, 1] ** 2)))


@dataclass(frozen=True)
class Fit:
    f_incremental: float
    f_extreme: float
    scale: float
    residual: float


def fingerprint(turnout: Floats, share: Floats, bins: int = 100) -> Ints:
    """Stations per (turnout, share) cell, turnout on the first axis."""
    t = np.clip((turnout * bins).astype(np.int64), 0, bins - 1)
    s = np.clip((share * bins).astype(np.int64), 0, bins - 1)
    return np.bincount(t * bins + s, minlength=bins * bins).reshape(bins, bins)


def _mode(x: Floats) -> float:
    """The mode: a smoothed 1-point histogram's, refined by the median of the values near it."""
    h = np.bincount(np.clip((x * 100).astype(np.int64), 0, 99), minlength=100).astype(float)
    smooth = np.convolve(h, np.ones(5) / 5, mode="same")
    mode = (int(np.argmax(smooth)) + 0.5) / 100
    for _ in range(2):
        near = x[np.abs(x - mode) <= 0.03]
        mode = float(np.median(near)) if near.size else mode
    return mode


def fair_model(turnout: Floats, share: Floats) -> FairModel:
    tm, sm = _mode(turnout), _mode(share)
    corner = (turnout <= tm) & (share <= sm)
    below = np.column_stack([tm - turnout[corner], sm - share[corner]])
    return FairModel(tm, sm, below if below.size else np.array([[0.05, 0.05]]))


@dataclass(frozen=True)
class _Draws:
    """The random numbers of the model's units, drawn once (common random numbers)."""

    pick: Floats  # uniforms picking a corner station
    signs: Floats  # shape (2, units): ±1
    half: Floats


def _draws(rng: np.random.Generator, units: int) -> _Draws:
    signs = np.where(rng.random((2, units)) < 0.5, -1.0, 1.0)
    return _Draws(rng.random(units), signs, np.abs(rng.standard_normal(units)))


def _units(m: FairModel, d: _Draws, x: Floats | float) -> tuple[Floats, Floats]:
    """Turnout and winner's share of the units, a fraction x of the non-voters stuffed for the
    winner and of the others' votes switched to it (x = 0: fair)."""
    k = np.minimum((d.pick * len(m.below)).astype(np.int64), len(m.below) - 1)
    t = np.clip(m.turnout_mode + d.signs[0] * m.below[k, 0], 0.001, 1.0)
    v = np.clip(m.share_mode + d.signs[1] * m.below[k, 1], 0.0, 1.0)
    x = np.clip(x, 0, 1)
    stuffed = x * (1 - t)
    new_t = t + stuffed
    return new_t, (v * t + stuffed + x * (1 - v) * t) / new_t


def _hist(t: Floats, v: Floats, bins: int) -> Floats:
    h = fingerprint(t, v, bins).ravel().astype(np.float64)
    out: Floats = h / max(h.sum(), 1)
    return out


def _components(m: FairModel, d: _Draws, bins: int) -> tuple[Floats, Floats, list[Floats]]:
    fair = _hist(*_units(m, d, 0.0), bins)
    extreme = _hist(*_units(m, d, 1 - EXTREME_SPREAD * d.half), bins)
    incremental = [_hist(*_units(m, d, s * d.half), bins) for s in SCALES]
    return fair, extreme, incremental


def _fit(observed: Floats, fair: Floats, extreme: Floats, incremental: list[Floats]) -> Fit:
    best: Fit | None = None
    for scale, inc in zip(SCALES, incremental, strict=True):
        a = np.column_stack([inc - fair, extreme - fair])
        sol = lsq_linear(a, observed - fair, bounds=(0, 1), method="bvls")
        fi, fe = float(sol.x[0]), float(sol.x[1])
        resid = float(np.sum((a @ sol.x - (observed - fair)) ** 2))
        if best is None or resid < best.residual:
            best = Fit(fi, fe, scale, resid)
    assert best is not None
    return best


def fit_model(turnout: Floats, share: Floats, rng: np.random.Generator) -> Fit:
    """(f_i, f_e) and the scale of x that fit the stations best."""
    m = fair_model(turnout, share)
    d = _draws(rng, max(MIN_UNITS, 2 * turnout.size))
    return _fit(_hist(turnout, share, BINS), *_components(m, d, BINS))


def _null_sample(m: FairModel, size: int, rng: np.random.Generator) -> tuple[Floats, Floats]:
    return _units(m, _draws(rng, size), 0.0)


def klimek_test(
    p: Precincts, rng: np.random.Generator, *, null_draws: int = 40, alpha: float = 0.05
) -> TestResult:
    """klimek_fingerprint: statistic f_i + f_e, parametric-bootstrap p-value."""
    keep = (p.voters > 0) & (p.cast > 0)
    q = p.subset(keep)
    turnout, share = q.turnout().clip(0, 1), q.share(p.leader)
    fit = fit_model(turnout, share, rng)
    m = fair_model(turnout, share)
    null = []
    for _ in range(null_draws):
        t0, v0 = _null_sample(m, len(q), rng)
        f0 = fit_model(t0, v0, rng)
        null.append(f0.f_incremental + f0.f_extreme)
    stat = fit.f_incremental + fit.f_extreme
    p_value = (1 + sum(x >= stat for x in null)) / (1 + null_draws)
    return TestResult(
        test="klimek_fingerprint",
        statistic=stat,
        p_value=p_value,
        flagged=p_value <= alpha,
        details={
            "option": p.option_names[p.leader],
            "f_incremental": round(fit.f_incremental, 4),
            "f_extreme": round(fit.f_extreme, 4),
            "incremental_scale": fit.scale,
            "fair_model": {
                "turnout_mode": round(m.turnout_mode, 4),
                "turnout_sd": round(m.turnout_sd, 4),
                "share_mode": round(m.share_mode, 4),
                "share_sd": round(m.share_sd, 4),
            },
            "null_draws": null_draws,
            "stations": len(q),
        },
    )
