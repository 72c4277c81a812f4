"""Simulated elections with known fraud, for the tests' validation (docs/forensics.md).

A clean election: stations of lognormal size in regions; each region has its own mean turnout
and leader's share, each station its own around them; ballots binomial. Fraud, at a chosen
fraction of stations: ballot stuffing (a fraction x of the non-voters' ballots added for the
leader), vote switching (a fraction of the other options' votes moved to the leader), and
rounding (the turnout forced to the nearest whole percent by adding or removing ballots).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from saylau.forensics.precincts import Ints, Precincts


@dataclass(frozen=True)
class Fraud:
    stuffing_stations: float = 0.0  # fraction of stations with stuffing
    stuffing_scale: float = 0.2  # x ~ half-normal(scale) of the non-voters
    switching_stations: float = 0.0
    switching_fraction: float = 0.0  # of the other options' votes
    rounding_stations: float = 0.0
    incremental_stations: float = 0.0  # Klimek et al.'s: x of non-voters stuffed, x switched
    incremental_scale: float = 0.2
    extreme_stations: float = 0.0  # the same with x close to 1


@dataclass(frozen=True)
class Simulated:
    precincts: Precincts
    stuffed: int  # ballots added for the leader
    switched: int  # votes moved to the leader
    stuffing_mask: np.ndarray
    fair_ratio: float  # the leader's votes per other vote, before fraud


def _stations(n: int, regions: int, rng: np.random.Generator) -> tuple[Ints, Ints]:
    voters = np.maximum(100, rng.lognormal(np.log(1200), 0.5, size=n)).astype(np.int64)
    return voters, rng.integers(0, regions, size=n)


def clean_votes(
    voters: Ints, region: Ints, regions: int, rng: np.random.Generator
) -> tuple[Ints, Ints, Ints]:
    """Ballots issued and votes per option (leader first) of a clean election."""
    n = voters.size
    t_region = rng.normal(0.55, 0.03, size=regions)
    t = np.clip(rng.normal(t_region[region], 0.07), 0.05, 0.98)
    issued = rng.binomial(voters, t)
    pref = np.array([0.40, 0.25, 0.15, 0.12, 0.08])
    region_pref = rng.dirichlet(pref * 300, size=regions)
    station_pref = np.array([rng.dirichlet(region_pref[r] * 200) for r in region])
    invalid = rng.binomial(issued, 0.015)
    valid = issued - invalid
    options = np.array([rng.multinomial(valid[i], station_pref[i]) for i in range(n)])
    return issued, invalid, options


def election(
    n: int = 2000, regions: int = 8, fraud: Fraud | None = None, seed: int = 0
) -> Simulated:
    """A simulated election of `n` stations, with `fraud` if given."""
    rng = np.random.default_rng(seed)
    fraud = fraud or Fraud()
    voters, region = _stations(n, regions, rng)
    issued, invalid, options = clean_votes(voters, region, regions, rng)
    leader = options[:, 0].astype(np.int64)
    others = options[:, 1:].astype(np.int64)
    fair_ratio = float(leader.sum() / max(others.sum(), 1))
    stuff = rng.random(n) < fraud.stuffing_stations
    x = np.where(stuff, np.clip(fraud.stuffing_scale * np.abs(rng.standard_normal(n)), 0, 1), 0)
    switch = rng.random(n) < fraud.switching_stations
    y = np.where(switch, fraud.switching_fraction, 0.0)
    u = rng.random(n)
    inc = u < fraud.incremental_stations
    ext = (u >= fraud.incremental_stations) & (
        u < fraud.incremental_stations + fraud.extreme_stations
    )
    xi = np.clip(fraud.incremental_scale * np.abs(rng.standard_normal(n)), 0, 1)
    xe = np.clip(1 - 0.05 * np.abs(rng.standard_normal(n)), 0, 1)
    x = np.where(inc, xi, np.where(ext, xe, x))
    y = np.where(inc, xi, np.where(ext, xe, y))
    stuff = stuff | inc | ext
    stuffed = np.round(x * (voters - issued)).astype(np.int64)
    moved = rng.binomial(others, y[:, None])
    leader = leader + stuffed + moved.sum(axis=1)
    others = others - moved
    issued = issued + stuffed
    rounding = rng.random(n) < fraud.rounding_stations
    target = np.round(100 * issued / voters) * voters / 100
    delta = np.where(rounding, np.round(target) - issued, 0).astype(np.int64)
    delta = np.maximum(delta, -leader)
    leader, issued = leader + delta, issued + delta
    options = np.column_stack([leader, others])
    valid = options.sum(axis=1)
    p = Precincts(
        voters=voters,
        issued=issued,
        cast=valid + invalid,
        valid=valid,
        options=options.astype(np.int64),
        region=region.astype(np.int64),
        region_names=tuple(f"region {i + 1}" for i in range(regions)),
        option_names=("leader", *(f"option {k}" for k in range(1, options.shape[1]))),
    )
    return Simulated(p, int(stuffed.sum()), int(moved.sum()), stuff, fair_ratio)
