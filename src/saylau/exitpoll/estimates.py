"""The poll's estimates from its accepted entries, by saylau.survey.estimate_exitpoll.

Per sampled station: the answers per option, "refused to say", the refusals and the
non-contacts. The voters who left are estimated as the approaches times the approach
interval (T_i = approached_i · k_i, every approach one in k_i voters leaving); the station's
respondents who named an option stand for all of them, so refusals and "refused to say" are
weighted away within the station (decision 0044). Stations with no respondent yet are not in.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from django.db.models import Count

from saylau.exitpoll.models import REFUSED_TO_SAY, Entry, Poll, SampledStation
from saylau.exitpoll.polls import contest_of
from saylau.exitpoll.sampling import stratum_sizes
from saylau.survey import exitpoll
from saylau.survey.ratio import Strata

BOOTSTRAP = 1000
CONFIDENCE = 0.95


@dataclass(frozen=True)
class StationTally:
    """What the accepted entries of one sampled station add up to."""

    sampled: SampledStation
    answers: list[int]  # per option, in the manifest's order
    refused_to_say: int
    refusals: int
    non_contacts: int

    @property
    def respondents(self) -> int:
        return sum(self.answers)

    @property
    def approached(self) -> int:
        return self.respondents + self.refused_to_say + self.refusals + self.non_contacts

    @property
    def voters(self) -> int:
        """The voters estimated to have left: approaches × the approach interval."""
        return self.approached * self.sampled.every


def tallies(poll: Poll) -> list[StationTally]:
    """Every sampled station's tally (zeros where nothing arrived), in the sample's order."""
    option_ids = [o.id for o in contest_of(poll).options]
    accepted = Entry.objects.filter(poll=poll, status=Entry.Status.ACCEPTED)
    counts: dict[tuple[int, str, str], int] = {
        (row["sampled"], row["kind"], row["option"]): row["n"]
        for row in accepted.values("sampled", "kind", "option").annotate(n=Count("pk"))
    }
    out = []
    for s in poll.sampled.select_related("station").order_by("stratum", "station__code"):
        answers = [counts.get((s.pk, Entry.Kind.ANSWER, o), 0) for o in option_ids]
        out.append(
            StationTally(
                s,
                answers,
                counts.get((s.pk, Entry.Kind.ANSWER, REFUSED_TO_SAY), 0),
                counts.get((s.pk, Entry.Kind.REFUSAL, ""), 0),
                counts.get((s.pk, Entry.Kind.NON_CONTACT, ""), 0),
            )
        )
    return out


def reporting(rows: list[StationTally]) -> list[StationTally]:
    """The stations with at least one respondent who named an option."""
    return [r for r in rows if r.respondents > 0]


def survey_poll(poll: Poll, rows: list[StationTally]) -> exitpoll.Poll:
    """The reporting stations as saylau.survey's Poll (SurveyError when a region has fewer
    than two of them)."""
    used = reporting(rows)
    return exitpoll.Poll(
        Strata.of([r.sampled.stratum for r in used], stratum_sizes(poll)),
        np.array([r.answers for r in used], np.float64).reshape(len(used), -1),
        np.array([r.refusals + r.refused_to_say for r in used], np.float64),
        np.array([r.voters for r in used], np.float64),
    )


def estimate(poll: Poll, rows: list[StationTally]) -> exitpoll.ExitPollEstimate:
    """Each option's share among the voters, analytic and bootstrap intervals; the bootstrap
    seeded by the poll, so the page shows the same numbers on every visit."""
    return exitpoll.estimate_exitpoll(
        survey_poll(poll, rows),
        confidence=CONFIDENCE,
        bootstrap=BOOTSTRAP,
        rng=np.random.default_rng(poll.pk),
    )
