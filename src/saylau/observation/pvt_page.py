"""The PVT of one contest from the observers' copies (docs/pvt.md §7): the sample design of
the election's stations (strata: the stations' regions; sizes from saylau.survey.design for
a target margin; the seeded draw anyone repeats), then the estimate from the copies of the
sampled stations (saylau.survey.pvt: analytic and bootstrap intervals), compared with the
official result of every station of the contest (observation.official).

The frame is the stations whose district votes in the contest; a station's size is its
paper voter list (at least 1). A sampled station's numbers are its earliest observer's
latest copy; the stations whose copies differ from each other are counted.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.utils.translation import gettext as _

from saylau.elections.models import Election
from saylau.observation.discrepancies import CopyValues
from saylau.observation.discrepancy_list import keys_by_contest, latest_copies
from saylau.observation.official import official_results
from saylau.paper.column_map import render
from saylau.protocol.manifest import Contest, manifest_from_json
from saylau.stations.models import PaperAssignment, Station
from saylau.survey import design as sampling
from saylau.survey import pvt
from saylau.survey.errors import MESSAGES, SurveyError
from saylau.survey.ratio import Strata

PLANNING_SD = 0.15
BOOTSTRAP = 1000
BOOTSTRAP_SEED = 0


@dataclass(frozen=True)
class Frame:
    stations: list[str]
    regions: list[str]
    voters: list[int]

    def sizes(self) -> dict[str, int]:
        return dict(Counter(self.regions))


@dataclass(frozen=True)
class Drawn:
    design: sampling.Design
    stations: list[tuple[str, str]]  # (code, region), in the frame's order
    seed: str


@dataclass
class Estimated:
    """The estimate (None when the copies do not allow one yet: `error` says why)."""

    sampled: int
    with_copy: int
    disagreeing: int
    estimate: pvt.PvtEstimate | None = None
    sample: pvt.PvtSample | None = None
    shares: list[pvt.Comparison] | None = None
    turnout: pvt.Comparison | None = None
    error: str = ""
    options: list[str] = field(default_factory=list)


def survey_message(error: SurveyError) -> str:
    return render(MESSAGES[error.code], error.params, _)


def contest_of(election: Election, contest_id: str) -> Contest:
    manifest = manifest_from_json(election.manifest)
    for contest in manifest.contests:
        if contest.id == contest_id:
            return contest
    return manifest.contests[0]


def frame(election: Election, contest: Contest) -> Frame:
    manifest = manifest_from_json(election.manifest)
    districts = {
        d.id
        for d in manifest.districts
        if contest.id in {c.id for c in manifest.contests_for(d.id)}
    }
    rows = Station.objects.filter(election=election, district__in=districts).order_by("code")
    voters = Counter(
        PaperAssignment.objects.filter(election=election).values_list("station", flat=True)
    )
    found = list(rows.values_list("code", "district"))
    return Frame(
        [code for code, _ in found],
        [district for _, district in found],
        [max(1, voters[code]) for code, _ in found],
    )


def draw(found: Frame, *, margin: float, seed: str, allocation: str = "proportional") -> Drawn:
    """The design for `margin` and the stations it draws with `seed`; SurveyError."""
    if not found.stations:
        raise SurveyError("survey.no_stations")
    voters = np.asarray(found.voters, np.float64)
    plan = sampling.planning_from_sd(PLANNING_SD, found.regions, voters)
    chosen = sampling.design_sample(
        found.sizes(),
        plan,
        margin=margin,
        allocation=allocation,
        mean_voters=float(voters.mean()),
    )
    picked = sampling.draw(found.stations, found.regions, chosen.sample, seed)
    return Drawn(chosen, [(found.stations[i], found.regions[i]) for i in picked], seed)


def sample_of(
    drawn: Drawn, copies: dict[str, CopyValues], contest: Contest, sizes: dict[str, int]
) -> pvt.PvtSample:
    """The survey's sample from the copies of the drawn stations that have one."""
    have = [(code, region) for code, region in drawn.stations if code in copies]
    values = [copies[code].values for code, _ in have]
    options = [("options", o.id) for o in contest.options]

    def line(name: str) -> Any:
        return np.asarray([v[("counts", name)] for v in values], np.float64)

    return pvt.PvtSample(
        Strata.of([region for _, region in have], sizes),
        np.asarray([[v[k] for k in options] for v in values], np.float64).reshape(
            len(values), len(options)
        ),
        line("valid"),
        line("voters_on_list"),
        line("ballots_in_boxes"),
    )


def _official(election: Election, contest: Contest, stations: list[str], found: Estimated) -> None:
    values = official_results(election).values
    rows = [values[(code, contest.id)] for code in stations if (code, contest.id) in values]
    if not rows or found.estimate is None:
        return
    votes = np.asarray([[v[("options", o.id)] for o in contest.options] for v in rows], np.float64)
    valid = np.asarray([v[("counts", "valid")] for v in rows], np.float64)
    found.shares = pvt.compare(found.estimate.shares, pvt.population_shares(votes, valid))
    on_list = sum(v[("counts", "voters_on_list")] for v in rows)
    cast = sum(v[("counts", "ballots_in_boxes")] for v in rows)
    if found.estimate.turnout is not None and on_list > 0:
        found.turnout = pvt.compare(found.estimate.turnout, np.array([cast / on_list]))[0]


def estimate(user: Any, election: Election, contest: Contest, drawn: Drawn, fr: Frame) -> Estimated:
    """The estimate from the copies of the sampled stations, and the official comparison."""
    keys = keys_by_contest(election)
    every = latest_copies(user, election, keys)
    sampled = {code for code, _ in drawn.stations}
    copies = {
        code: sent[0]
        for (code, cid), sent in every.items()
        if cid == contest.id and code in sampled and sent
    }
    disagreeing = sum(
        1
        for (code, cid), sent in every.items()
        if cid == contest.id
        and code in sampled
        and len({tuple(c.values.items()) for c in sent}) > 1
    )
    found = Estimated(
        len(sampled), len(copies), disagreeing, options=[o.id for o in contest.options]
    )
    try:
        found.sample = sample_of(drawn, copies, contest, fr.sizes())
        found.estimate = pvt.estimate_pvt(
            found.sample, bootstrap=BOOTSTRAP, rng=np.random.default_rng(BOOTSTRAP_SEED)
        )
        _official(election, contest, fr.stations, found)
    except SurveyError as error:
        found.error = survey_message(error)
    return found
