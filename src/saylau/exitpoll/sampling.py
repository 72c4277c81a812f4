"""The poll's sample design: saylau.survey sizes the sample per region for the target margin
(the interviews' within-station variance included) and draws it from the public seed.

The frame is the election's stations whose district votes in the poll's contest; the strata
are their districts. A station's size is its paper voter list, else its declared electors,
else the mean of the known (stations.sizes, decision 0048): it sets the planning variance
and the approach interval. The same frame and seed give
the same stations, here and with `saylau exitpoll design` (docs/exitpoll.md).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from saylau.exitpoll.errors import ExitPollError, WrongState
from saylau.exitpoll.models import Poll, SampledStation
from saylau.exitpoll.roles import require_runs
from saylau.exitpoll.survey_errors import survey_message
from saylau.protocol.manifest import manifest_from_json
from saylau.stations.models import Station
from saylau.stations.services import station_sizes
from saylau.survey import design as sampling
from saylau.survey import exitpoll
from saylau.survey.errors import SurveyError

#: the planning spread of a share between stations (as `saylau exitpoll design`'s default)
PLANNING_SD = 0.15


@dataclass(frozen=True)
class Asked:
    """What the design page asks for."""

    margin: float
    response_rate: float
    quota: int
    seed: str
    turnout: float = 0.6


def frame(poll: Poll) -> list[Station]:
    """The stations whose district's ballot has the poll's contest, by code."""
    manifest = manifest_from_json(poll.election.manifest)
    districts = [
        d.id for d in manifest.districts if _contains(manifest.contests_for(d.id), poll.contest)
    ]
    found = Station.objects.filter(election=poll.election, district__in=districts)
    return list(found.order_by("code"))


def _contains(contests: Any, contest: str) -> bool:
    return any(c.id == contest for c in contests)


@transaction.atomic
def design(user: Any, poll: Poll, asked: Asked, now: dt.datetime) -> list[SampledStation]:
    """Size and draw the sample; replaces an earlier draw while no entry has arrived."""
    require_runs(user, poll)
    if poll.entries.exists():
        raise WrongState(_("Entries have arrived: the sample can no longer be drawn again."))
    seed = asked.seed.strip()
    if not seed:
        raise ExitPollError(_("Give the public seed of the draw."), field="seed")
    stations = frame(poll)
    if not stations:
        raise ExitPollError(_("The election has no station that votes in this contest."))
    codes = [s.code for s in stations]
    strata = [s.district for s in stations]
    found = station_sizes(poll.election, stations)
    voters = found.values()
    try:
        if not 0 < asked.turnout <= 1:
            raise SurveyError("survey.turnout", turnout=asked.turnout)
        base = sampling.planning_from_sd(PLANNING_SD, strata, voters)
        plan = exitpoll.planning_for_interviews(base, strata, voters, asked.quota)
        sizes = dict(Counter(strata))
        chosen = sampling.design_sample(
            sizes, plan, margin=asked.margin, mean_voters=float(voters.mean())
        )
        picked = sampling.draw(codes, strata, chosen.sample, seed)
        quotas = exitpoll.interview_plan(
            voters[picked] * asked.turnout, asked.quota, asked.response_rate
        )
    except SurveyError as e:
        raise ExitPollError(survey_message(e)) from None
    poll.sampled.all().delete()
    made = SampledStation.objects.bulk_create(
        SampledStation(
            poll=poll,
            station=stations[i],
            stratum=strata[i],
            quota=int(quotas.quota[k]),
            approaches=int(quotas.approaches[k]),
            every=int(quotas.every[k]),
        )
        for k, i in enumerate(picked)
    )
    poll.margin, poll.response_rate, poll.quota = asked.margin, asked.response_rate, asked.quota
    poll.turnout, poll.seed, poll.designed_at = asked.turnout, seed, now
    poll.design = {
        "strata": {h: {"stations": sizes[h], "sample": chosen.sample[h]} for h in sorted(sizes)},
        "stations_in_frame": len(stations),
        "sample": chosen.n,
        "expected_margin": chosen.expected_margin,
        "confidence": chosen.confidence,
        "deff": chosen.deff,
        "planning_sd": PLANNING_SD,
        "size_sources": found.counts(),
    }
    poll.save()
    return made


def stratum_sizes(poll: Poll) -> dict[str, int]:
    """N_h of the design (the frame's stations per region)."""
    design = poll.design or {}
    return {h: int(v["stations"]) for h, v in design.get("strata", {}).items()}
