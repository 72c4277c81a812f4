"""Synthetic elections and polls with a known truth, for the coverage tests and the docs.

Stations sit in regions; each region leans its own way (a Dirichlet around the national
shares) and each station around its region's; turnout varies by station. A PVT reads the
sampled stations' protocols; an exit poll interviews voters leaving the sampled stations,
some of whom refuse.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from saylau.survey.exitpoll import Poll
from saylau.survey.pvt import PvtSample
from saylau.survey.ratio import Floats, Strata


@dataclass(frozen=True)
class Election:
    """Every station's protocol: region, voters on the list, ballots cast, valid, votes."""

    stations: list[str]
    regions: list[str]
    voters: Floats
    cast: Floats
    valid: Floats
    votes: Floats

    @property
    def sizes(self) -> dict[str, int]:
        names, counts = np.unique(np.asarray(self.regions), return_counts=True)
        return {str(n): int(c) for n, c in zip(names, counts, strict=True)}

    @property
    def shares(self) -> Floats:
        return np.asarray(self.votes.sum(axis=0) / self.valid.sum())

    @property
    def turnout(self) -> float:
        return float(self.cast.sum() / self.voters.sum())


def election(
    rng: np.random.Generator,
    *,
    stations: int = 2000,
    regions: int = 8,
    shares: Sequence[float] = (0.45, 0.30, 0.15, 0.10),
    region_spread: float = 40.0,
    station_spread: float = 30.0,
) -> Election:
    """A synthetic election; a smaller *_spread is a larger spread between regions/stations."""
    base = np.asarray(shares, np.float64)
    region = np.sort(rng.integers(0, regions, stations))
    leaning = rng.dirichlet(region_spread * base, size=regions)
    share = np.array([rng.dirichlet(station_spread * leaning[r]) for r in region])
    voters = np.clip(rng.lognormal(np.log(1200), 0.5, stations), 50, 3500).astype(np.int64)
    turnout = rng.beta(12, 8, stations)
    cast = rng.binomial(voters, turnout)
    valid = cast - rng.binomial(cast, 0.02)
    votes = rng.multinomial(valid, share)
    return Election(
        stations=[f"S{i:05d}" for i in range(stations)],
        regions=[f"R{r:02d}" for r in region],
        voters=voters.astype(np.float64),
        cast=cast.astype(np.float64),
        valid=valid.astype(np.float64),
        votes=votes.astype(np.float64),
    )


def protocols(population: Election, chosen: Sequence[int]) -> PvtSample:
    """The PVT's sample: the protocols of the stations at positions `chosen`."""
    rows = np.asarray(chosen)
    strata = Strata.of([population.regions[i] for i in rows], population.sizes)
    return PvtSample(
        strata,
        population.votes[rows],
        population.valid[rows],
        population.voters[rows],
        population.cast[rows],
    )


def exit_poll(
    rng: np.random.Generator,
    population: Election,
    chosen: Sequence[int],
    *,
    approaches: int = 80,
    refusal: tuple[float, float] = (0.1, 0.4),
) -> Poll:
    """Interview `approaches` voters leaving each chosen station (drawn without replacement
    from its valid votes); each refuses with the station's rate, drawn from `refusal`."""
    rows = np.asarray(chosen)
    answers = np.zeros((len(rows), population.votes.shape[1]))
    refusals = np.zeros(len(rows))
    for n, i in enumerate(rows):
        votes = population.votes[i].astype(np.int64)
        asked = rng.multivariate_hypergeometric(votes, min(approaches, int(votes.sum())))
        refused = rng.binomial(asked, rng.uniform(*refusal))
        answers[n] = asked - refused
        refusals[n] = refused.sum()
    strata = Strata.of([population.regions[i] for i in rows], population.sizes)
    return Poll(strata, answers, refusals, population.valid[rows])
