"""The exit poll: interview quotas at the sampled stations, estimates per option with
non-response weighting, and the within-precinct error against the official count
(docs/pvt.md §5).

The stations are a stratified sample drawn as for the PVT (design.py); at station i the
interviewer approaches every k-th voter leaving, counts the voters who left (T_i), the
respondents per option and the refusals. Non-response is weighted within the station: its
r_i respondents stand for its T_i voters, so the station's estimated votes are
y_i = T_i · a_i / r_i and x_i = T_i. A station where nobody answered is dropped and the
others of its stratum stand for it (n_h falls by one). The shares are the stratified ratio
Σ w y / Σ w x, and the variance is the ultimate-cluster one (between stations, no
finite-population correction), with a bootstrap over stations to match.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from saylau.survey.design import Planning
from saylau.survey.errors import SurveyError
from saylau.survey.ratio import Floats, RatioEstimate, Strata, estimate_ratio


@dataclass(frozen=True)
class InterviewPlan:
    """Per sampled station: the interviews wanted, the approaches that should give them, and
    the interval (approach every k-th voter leaving)."""

    quota: np.ndarray
    approaches: np.ndarray
    every: np.ndarray


def interview_plan(expected_voters: Floats, quota: int, response_rate: float) -> InterviewPlan:
    """`quota` interviews at each station: approach ⌈quota / rate⌉ voters, one in
    ⌊expected / approaches⌋ (at least every voter)."""
    if quota < 1:
        raise SurveyError("survey.quota", quota=quota)
    if not 0 < response_rate <= 1:
        raise SurveyError("survey.response_rate", rate=response_rate)
    n = len(expected_voters)
    approaches = np.full(n, int(np.ceil(quota / response_rate)), np.int64)
    every = np.maximum(1, np.floor(np.asarray(expected_voters) / approaches)).astype(np.int64)
    return InterviewPlan(np.full(n, quota, np.int64), approaches, every)


def planning_for_interviews(
    planning: Planning, strata: Sequence[str], voters: Floats, respondents: int
) -> Planning:
    """The PVT's planning variances plus the within-station term of `respondents` answers at
    each station: S²_h + p(1 − p) / q · mean_h(v²) / v̄², with p = 0.5 (the worst case)."""
    if respondents < 1:
        raise SurveyError("survey.quota", quota=respondents)
    v = np.asarray(voters, np.float64)
    labels = np.asarray(strata, dtype=object)
    within = {
        name: float(0.25 / respondents * np.mean(v[labels == name] ** 2) / v.mean() ** 2)
        for name in planning.variances
    }
    variances = {h: s2 + within[h] for h, s2 in planning.variances.items()}
    return Planning(variances, planning.share, planning.source)


@dataclass(frozen=True)
class Poll:
    """What the interviewers brought back from the sampled stations: answers per option
    (n, k), refusals (n,) and the voters counted leaving (n,)."""

    strata: Strata
    answers: Floats
    refusals: Floats
    voters: Floats


@dataclass(frozen=True)
class ExitPollEstimate:
    shares: RatioEstimate
    stations: int  # stations with at least one respondent
    dropped: int  # stations where nobody answered
    respondents: int
    refusals: int

    @property
    def response_rate(self) -> float:
        asked = self.respondents + self.refusals
        return self.respondents / asked if asked else 0.0


def _responding(poll: Poll) -> tuple[Poll, np.ndarray]:
    """The poll without the stations where nobody answered (their strata keep N_h)."""
    keep = poll.answers.sum(axis=1) > 0
    names = [poll.strata.names[h] for h in poll.strata.index[keep]]
    sizes = dict(zip(poll.strata.names, (int(s) for s in poll.strata.sizes), strict=True))
    strata = Strata.of(names, sizes)
    return Poll(strata, poll.answers[keep], poll.refusals[keep], poll.voters[keep]), keep


def weighted_votes(poll: Poll) -> tuple[Floats, Floats]:
    """(y, x): each station's voters T_i spread over the options as its respondents answered."""
    respondents = poll.answers.sum(axis=1)
    y = poll.voters[:, None] * poll.answers / respondents[:, None]
    return y, poll.voters.astype(np.float64)


def estimate_exitpoll(
    poll: Poll,
    *,
    confidence: float = 0.95,
    bootstrap: int = 1000,
    rng: np.random.Generator | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> ExitPollEstimate:
    """Each option's share among the voters, with the ultimate-cluster analytic interval and
    the bootstrap over stations."""
    used, keep = _responding(poll)
    y, x = weighted_votes(used)
    shares = estimate_ratio(
        y,
        x,
        used.strata,
        confidence=confidence,
        bootstrap=bootstrap,
        rng=rng,
        fpc=False,
        on_progress=on_progress,
    )
    return ExitPollEstimate(
        shares,
        stations=int(keep.sum()),
        dropped=int((~keep).sum()),
        respondents=int(poll.answers.sum()),
        refusals=int(poll.refusals.sum()),
    )


@dataclass(frozen=True)
class WithinPrecinctError:
    """WPE_i = (poll margin − official margin) of options a over b at each station with
    respondents; their mean and its standard error s / √n."""

    pair: tuple[int, int]
    per_station: Floats
    stations: np.ndarray  # which of the given stations have a WPE (respondents, valid votes)
    mean: float
    se: float


def within_precinct_error(
    answers: Floats, official_votes: Floats, official_valid: Floats, pair: tuple[int, int]
) -> WithinPrecinctError:
    """The within-precinct error of the margin of `pair` (two option positions) at each
    station: the poll's answers (n, k) against the official count of the same stations."""
    if official_votes.shape[1] != answers.shape[1]:
        raise SurveyError(
            "survey.options", official=official_votes.shape[1], sample=answers.shape[1]
        )
    respondents = answers.sum(axis=1)
    keep = (respondents > 0) & (official_valid > 0)
    if keep.sum() < 2:
        raise SurveyError("survey.no_stations")
    a, b = pair
    poll_share = answers[keep] / respondents[keep, None]
    official = official_votes[keep] / official_valid[keep, None]
    wpe = (poll_share[:, a] - poll_share[:, b]) - (official[:, a] - official[:, b])
    return WithinPrecinctError(
        pair, wpe, keep, float(wpe.mean()), float(wpe.std(ddof=1) / np.sqrt(len(wpe)))
    )
