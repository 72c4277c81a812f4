"""The PVT of one contest from the observers' copies (docs/pvt.md §7): the sample design of
the election's stations (strata: the stations' regions; sizes from saylau.survey.design for
a target margin; the seeded draw anyone repeats), then the estimate from the copies of the
sampled stations (saylau.survey.pvt: analytic and bootstrap intervals), compared with the
official result of every station of the contest (observation.official).

The frame is the stations whose district votes in the contest; a station's size is its
paper voter list, else its declared electors, else the mean of the known (stations.sizes,
decision 0048). A sampled station's numbers are its earliest observer's
latest copy; the stations whose copies differ from each other are counted.

The planning spread σ of a share between stations is the one in the link when given, else
estimated from the official results of the frame's stations, else from the copies collected
so far (survey.design.planning_from_results, the option whose share varies most), else 0.15;
the page says which, and its link keeps the spread so the design stays put (decision 0047).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
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
from saylau.stations.models import Station
from saylau.stations.services import station_sizes
from saylau.survey import design as sampling
from saylau.survey import pvt
from saylau.survey.errors import MESSAGES, SurveyError
from saylau.survey.ratio import Strata

PLANNING_SD = 0.15  # assumed when there is nothing to estimate the spread from
SD_PLACES = 3  # the estimated spread is rounded so that the page's link repeats the design
BOOTSTRAP = 1000
BOOTSTRAP_SEED = 0


@dataclass(frozen=True)
class Frame:
    stations: list[str]
    regions: list[str]
    voters: list[float]
    #: how many stations' sizes come from a voter list, declared electors, or are unknown
    size_sources: dict[str, int] = field(default_factory=dict)

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


@dataclass(frozen=True)
class Spread:
    """The planning spread and where it comes from: "given" (the link), "official" (the
    official results), "copies" (the observers' copies) or "assumed" (PLANNING_SD)."""

    sd: float
    source: str
    stations: int = 0  # how many stations it was estimated from


def sd_from_results(
    strata: list[str], valid: list[float], votes: list[list[float]], sizes: dict[str, int]
) -> float | None:
    """σ from per-station results: survey.design.planning_from_results's S²_h of the strata
    with two stations or more (else of all the stations as one), turned into the σ of
    planning_from_sd that gives the same Σ N_h S²_h. None without two stations with votes."""
    keep = [i for i, x in enumerate(valid) if x > 0]
    if len(keep) < 2:
        return None
    x = np.asarray([valid[i] for i in keep], np.float64)
    y = np.asarray([votes[i] for i in keep], np.float64).reshape(len(keep), -1)
    labels = [strata[i] for i in keep]
    counts = Counter(labels)
    if max(counts.values()) < 2:
        labels, counts, sizes = ["*"] * len(keep), Counter({"*": len(keep)}), {"*": 1}
    plan = sampling.planning_from_results(labels, x, y)
    groups = [h for h in plan.variances if counts[h] >= 2]
    rows = {h: np.asarray([i for i, g in enumerate(labels) if g == h]) for h in groups}
    size = {h: np.mean(x[rows[h]] ** 2) / x.mean() ** 2 for h in groups}
    weight = {h: sizes.get(h) or counts[h] for h in groups}
    top = sum(weight[h] * plan.variances[h] for h in groups)
    bottom = sum(weight[h] * size[h] for h in groups)
    sd = round(float(np.sqrt(top / bottom)), SD_PLACES)
    return min(0.5, max(10.0**-SD_PLACES, sd))


def _rows(values: Mapping[tuple[str, str], int], contest: Contest) -> tuple[float, list[float]]:
    """(valid votes, the options' votes) of one station's lines."""
    return float(values[("counts", "valid")]), [
        float(values[("options", o.id)]) for o in contest.options
    ]


def spread(user: Any, election: Election, contest: Contest, found: Frame) -> Spread:
    """The spread estimated from the official results, else the copies, else assumed."""
    region = dict(zip(found.stations, found.regions, strict=True))
    official = official_results(election).values
    copies = latest_copies(user, election, keys_by_contest(election))
    sources = [
        (
            "official",
            {c: _rows(v, contest) for (c, cid), v in official.items() if cid == contest.id},
        ),
        (
            "copies",
            {
                c: _rows(s[0].values, contest)
                for (c, cid), s in copies.items()
                if cid == contest.id and s
            },
        ),
    ]
    for source, rows in sources:
        have = [code for code in found.stations if code in rows]
        sd = sd_from_results(
            [region[c] for c in have],
            [rows[c][0] for c in have],
            [rows[c][1] for c in have],
            found.sizes(),
        )
        if sd is not None:
            return Spread(sd, source, len(have))
    return Spread(PLANNING_SD, "assumed")


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
    found = list(Station.objects.filter(election=election, district__in=districts).order_by("code"))
    sizes = station_sizes(election, found)
    return Frame(
        [s.code for s in found],
        [s.district for s in found],
        [float(v) for v in sizes.values()],
        sizes.counts(),
    )


def draw(
    found: Frame,
    *,
    margin: float,
    seed: str,
    allocation: str = "proportional",
    sd: float = PLANNING_SD,
) -> Drawn:
    """The design for `margin` with the spread `sd` and the stations it draws with `seed`;
    SurveyError."""
    if not found.stations:
        raise SurveyError("survey.no_stations")
    voters = np.asarray(found.voters, np.float64)
    plan = sampling.planning_from_sd(sd, found.regions, voters)
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
