"""DEMO ONLY: an exit poll of one contest of the demo election (decision 0045).

    setup_poll(election)    the DEMO pollster registers the poll (saylau.exitpoll's services),
                            draws its sample over the demo's stations with a public seed, adds
                            three interviewers and assigns each a share of the stations
    interview(election)     before the close: the interviewers' entries at every sampled
                            station (answers drawn from the station's signed protocol, with
                            refusals, non-contacts and "refused to say"; supporters of the
                            runner-up a little shyer, so the WPE is not zero)

After `demo finish` the poll's page (/<lang>/exitpoll/<slug>/) shows the estimates with their
intervals and the within-precinct error against the official protocols. The accounts'
passwords are DEMO passwords printed in the instructions.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from saylau.demo.counting import the_stations
from saylau.demo.counts import CountingStation, station_sheets
from saylau.demo.paper import group
from saylau.elections.models import Election, Status
from saylau.exitpoll import entries, interviewers, polls, sampling
from saylau.exitpoll.models import REFUSED_TO_SAY, Entry, Interviewer, Poll, SampledStation
from saylau.protocol.manifest import manifest_from_json
from saylau.web import roles

Say = Callable[[str], None]
POLLSTER = "demo-pollster"
INTERVIEWERS = 2
NAME = "DEMO exit poll"
SEED = "demo-exit"
#: the design: margin, response rate, interviews per station
ASKED = sampling.Asked(margin=0.06, response_rate=0.7, quota=30, seed=SEED)
SHY = 0.75  # a supporter of the officially second option answers this much less often
NAMESPACE = uuid.UUID("0d7f5a8e-3b21-4c9a-a8f4-5e6b7c8d9e01")


@dataclass(frozen=True)
class PollAccount:
    username: str
    role: str

    @property
    def password(self) -> str:
        return f"{self.username}-pass"


def accounts() -> list[PollAccount]:
    """The DEMO pollster and interviewers (printed in the instructions)."""
    return [
        PollAccount(POLLSTER, _("pollster")),
        *(
            PollAccount(f"demo-interviewer-{k}", _("interviewer"))
            for k in range(1, INTERVIEWERS + 1)
        ),
    ]


def contest_id(election: Election) -> str:
    """The poll's contest: the last district's vote-for-one contest (no paper lists there,
    so the design sees the stations as equal)."""
    manifest = manifest_from_json(election.manifest)
    return manifest.contests_for(manifest.districts[-1].id)[0].id


def the_poll(election: Election) -> Poll | None:
    return Poll.objects.filter(election=election, name=NAME).first()


def _pollster() -> User:
    user = User.objects.filter(username=POLLSTER).first()
    if user is None:
        user = User.objects.create_user(POLLSTER, password=f"{POLLSTER}-pass")
    user.groups.add(group(roles.POLLSTER))
    return user


def _interviewer(pollster: User, poll: Poll, k: int) -> Interviewer:
    """Interviewer k of the poll, a new DEMO account (or the one another demo poll made)."""
    name = f"demo-interviewer-{k}"
    account = User.objects.filter(username=name).first()
    if account is not None:
        return Interviewer.objects.create(
            poll=poll, user=account, full_name=f"DEMO Сұхбаттасушы {k}"
        )
    return interviewers.add(
        pollster, poll, username=name, full_name=f"DEMO Сұхбаттасушы {k}", password=f"{name}-pass"
    )


def setup_poll(election: Election, say: Say, now: dt.datetime | None = None) -> Poll | None:
    """The poll, its sample and interviewers (what is missing); None once voting ended."""
    now = now or timezone.now()
    poll = the_poll(election)
    if poll is None and election.status != Status.OPEN:
        return None
    pollster = _pollster()
    created = poll is None
    if poll is None:
        poll = polls.register(
            pollster,
            election,
            contest_id(election),
            NAME,
            "DEMO — Қоғамдық пікір / Public Opinion",
            "DEMO: a stratified sample of stations drawn with the public seed "
            f"“{SEED}”; every k-th voter leaving is approached; refusals and non-contacts "
            "are counted and weighted within the station.",
        )
    if not poll.sampled.exists():
        sampling.design(pollster, poll, ASKED, now)
    sampled = list(poll.sampled.order_by("stratum", "station__code"))
    for k in range(1, INTERVIEWERS + 1):
        if not Interviewer.objects.filter(poll=poll, user__username=f"demo-interviewer-{k}"):
            mine = [s.pk for j, s in enumerate(sampled) if j % INTERVIEWERS == k - 1]
            interviewers.assign(pollster, _interviewer(pollster, poll, k), mine)
    if created:
        say(
            _("DEMO exit poll of %(contest)s: %(stations)s stations drawn, %(people)s interviewers")
            % {"contest": poll.contest, "stations": len(sampled), "people": INTERVIEWERS}
        )
    return poll


def _answers(
    signed: dict[str, int], option_ids: list[str], quota: int, rng: np.random.Generator
) -> list[str]:
    """`quota` answers drawn from the station's signed shares, the runner-up's shy."""
    votes = np.array([signed[o] for o in option_ids], np.float64)
    votes[int(np.argsort(-votes, kind="stable")[1])] *= SHY
    drawn = rng.multinomial(quota, votes / votes.sum())
    return [o for o, n in zip(option_ids, drawn, strict=True) for _k in range(int(n))]


def _interview_at(
    poll: Poll, sampled: SampledStation, spec: CountingStation | None, now: dt.datetime
) -> int:
    """The station's approaches in a seeded order, a minute apart, ending now."""
    interviewer = sampled.interviewers.first()
    if interviewer is None or spec is None or Entry.objects.filter(sampled=sampled).exists():
        return 0
    contest = polls.contest_of(poll)
    rng = np.random.default_rng([2026, spec.number])
    signed = station_sheets(spec, [contest])[contest.id]
    option_ids = [o.id for o in contest.options]
    kinds = [("answer", o) for o in _answers(signed.options, option_ids, poll.quota or 30, rng)]
    kinds += [("answer", REFUSED_TO_SAY)] * int(rng.integers(0, 3))
    kinds += [("refusal", "")] * int(rng.integers(6, 14))
    kinds += [("non_contact", "")] * int(rng.integers(0, 4))
    order = rng.permutation(len(kinds))
    for j, index in enumerate(order):
        kind, option = kinds[int(index)]
        key = uuid.uuid5(NAMESPACE, f"{poll.slug}/{spec.code}/{j}")
        at = now - dt.timedelta(minutes=len(order) - j)
        entries.record(interviewer, entries.Sent(key, spec.code, kind, option, at), now)
    return len(order)


def interview(election: Election, say: Say, now: dt.datetime | None = None) -> int:
    """Before the close, the entries of every sampled station not yet interviewed; how many."""
    now = now or timezone.now()
    poll = the_poll(election)
    if poll is None or election.status != Status.OPEN:
        return 0
    specs = {s.code: s for s in the_stations(election)}
    stored = 0
    with transaction.atomic():  # one commit: the demo's 600-odd entries in seconds
        for sampled in poll.sampled.select_related("station"):
            stored += _interview_at(poll, sampled, specs.get(sampled.station.code), now)
    if stored:
        say(
            _("the DEMO interviewers entered %(count)s approaches (answers, refusals, not reached)")
            % {"count": stored}
        )
    return stored
