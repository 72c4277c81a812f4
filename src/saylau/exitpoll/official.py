"""The poll against the official count: the paper protocols that count (paper.counting), per
station of the poll's contest. The official shares are those of all the frame's stations
with a protocol; the within-precinct error is that of the two officially leading options at
the sampled stations that have both respondents and a protocol (saylau.survey).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from saylau.exitpoll.estimates import StationTally, reporting
from saylau.exitpoll.models import Poll
from saylau.exitpoll.polls import contest_of
from saylau.paper.counting import counting_protocols
from saylau.survey import exitpoll, pvt

#: fewer sampled stations with a protocol than this: no comparison yet
MIN_STATIONS = 2


@dataclass(frozen=True)
class StationWpe:
    code: str
    wpe: float


@dataclass(frozen=True)
class Comparison:
    """The official shares, each option's difference from the estimate, and the WPE."""

    stations: int  # stations with an official protocol
    comparisons: list[pvt.Comparison]
    pair: tuple[int, int]
    wpe: exitpoll.WithinPrecinctError
    per_station: list[StationWpe]


def official_counts(poll: Poll) -> dict[str, tuple[float, list[float]]]:
    """Station code → (valid votes, votes per option) of the counting protocols."""
    option_ids = [o.id for o in contest_of(poll).options]
    out = {}
    for line in counting_protocols(poll.election):
        if line["contest"] != poll.contest:
            continue
        votes = [float(line["options"][o]) for o in option_ids]
        out[line["station"]] = (float(line["counts"]["valid"]), votes)
    return out


def compare(
    poll: Poll, rows: list[StationTally], found: exitpoll.ExitPollEstimate
) -> Comparison | None:
    """The comparison once at least two sampled reporting stations have a protocol; None
    before (SurveyError if the official count has no valid vote)."""
    official = official_counts(poll)
    both = [r for r in reporting(rows) if r.sampled.station.code in official]
    if len(both) < MIN_STATIONS:
        return None
    valid = np.array([v for v, _votes in official.values()], np.float64)
    votes = np.array([votes for _v, votes in official.values()], np.float64)
    shares = pvt.population_shares(votes, valid)
    first, second = (int(j) for j in np.argsort(-shares, kind="stable")[:2])
    answers = np.array([r.answers for r in both], np.float64)
    at = [official[r.sampled.station.code] for r in both]
    wpe = exitpoll.within_precinct_error(
        answers,
        np.array([v for _valid, v in at], np.float64),
        np.array([valid_ for valid_, _v in at], np.float64),
        (first, second),
    )
    kept = [r.sampled.station.code for r, k in zip(both, wpe.stations, strict=True) if k]
    per_station = [StationWpe(c, float(w)) for c, w in zip(kept, wpe.per_station, strict=True)]
    compared = pvt.compare(found.shares, shares)
    return Comparison(len(official), compared, (first, second), wpe, per_station)
