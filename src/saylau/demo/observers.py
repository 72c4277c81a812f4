"""DEMO ONLY: observers at a seeded sample of the counting stations, and their copies, so the
HQ's PVT page and discrepancy list show numbers (decision 0045).

    setup_sample_observers(election)  per district, the stations the HQ's PVT draw picks with
                                      the public seed SEED and margin MARGIN (the page's own
                                      draw, observation.pvt_page): a certified observer of the
                                      DEMO organisation accredited there and checked in
                                      (again in `demo finish` before the close: a station's
                                      size is its paper list, and the override member joins
                                      one, so the draw may take one station more)
    copy_sample(election)             after the count: each sends the copies of the protocols
                                      signed at their station

PLANTED: at altered_station() (the first station of the first district's draw) the commission
entered other numbers than it signed (alter: votes moved from the runner-up to the leader),
so its copy disagrees with the official protocol, as the recount station's does.
Accounts of these observers have no password: the DEMO observer accounts to try are
demo.civic's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import cache

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from saylau.demo import civic
from saylau.demo.counting import the_stations
from saylau.demo.counts import station_sheets
from saylau.demo.paper import STATIONS as NAMED
from saylau.demo.paper import group
from saylau.elections.models import Election
from saylau.observation import accreditation, pvt_page
from saylau.observation.models import Accreditation, Observer, Submission
from saylau.paper.entry import Typed
from saylau.protocol.manifest import manifest_from_json
from saylau.stations import services as stations
from saylau.survey.design import rank_key
from saylau.web import roles

Say = Callable[[str], None]
SEED = "demo"
MARGIN = 0.08
MOVED = 40  # votes the altered protocol moves from the runner-up to the leader


def sampled_codes(election: Election) -> list[str]:
    """The stations of each district's draw (its first contest's frame), in district order."""
    manifest = manifest_from_json(election.manifest)
    out: list[str] = []
    for district in manifest.districts:
        contest = manifest.contests_for(district.id)[0]
        drawn = pvt_page.draw(pvt_page.frame(election, contest), margin=MARGIN, seed=SEED)
        out += [code for code, _region in drawn.stations if code not in out]
    return out


def altered_station(election: Election) -> str:
    """The first counting station of the first district by the draw's rank (always drawn)."""
    first = _first(election)
    return _altered(tuple(s.code for s in the_stations(election) if s.district == first))


def _first(election: Election) -> str:
    return manifest_from_json(election.manifest).districts[0].id


@cache
def _altered(codes: tuple[str, ...]) -> str:
    return min(codes, key=lambda code: rank_key(SEED, code))


def alter(typed: Typed) -> Typed:
    """MOVED votes of the runner-up entered for the leader (the totals still hold)."""
    ranked = sorted(typed.options, key=lambda o: -typed.options[o])
    leader, second = ranked[0], ranked[1]
    moved = min(MOVED, typed.options[second])
    options = dict(typed.options)
    options[leader] += moved
    options[second] -= moved
    return Typed(dict(typed.counts), options)


def _observer_user(number: int) -> User:
    name = f"demo-observer-{number}"
    user = User.objects.filter(username=name).first()
    if user is None:
        user = User(username=name)
        user.set_unusable_password()
        user.save()
        user.groups.add(group(roles.OBSERVER))
    return user


@transaction.atomic  # one commit for the ~30 observers
def setup_sample_observers(election: Election, say: Say, now: dt.datetime | None = None) -> int:
    """A primary observer at each sampled counting station that has none; how many new."""
    now = now or timezone.now()
    org = civic.organisation()
    coordinator = User.objects.get(username="demo-coordinator")
    named = {s.code for s in NAMED}
    codes = [c for c in sampled_codes(election) if c not in named]
    by_code = {s.code: s for s in stations.stations_of(election).filter(code__in=codes)}
    placed = 0
    closes = election.closes_at or now
    for code in codes:
        station = by_code[code]
        if Accreditation.objects.filter(station=station, organisation=org).exists():
            continue
        observer = civic.observer_for(
            org, _observer_user(station.number), station.number, station.district
        )
        accreditation.assign(
            coordinator,
            observer,
            station,
            Accreditation.Role.PRIMARY,
            now - dt.timedelta(hours=1),
            closes + dt.timedelta(days=2),
        )
        civic.send(observer, code, Submission.Kind.CHECK_IN, "", {}, now)
        placed += 1
    if placed:
        say(
            _(
                "%(count)s more DEMO observers at the stations of the PVT draw (seed "
                "“%(seed)s”, margin %(margin)s)"
            )
            % {"count": placed, "seed": SEED, "margin": MARGIN}
        )
    return placed


@transaction.atomic  # one commit for their ~60 copies
def copy_sample(election: Election, say: Say, now: dt.datetime | None = None) -> int:
    """The sampled counting stations' observers send their copies; how many now."""
    now = now or timezone.now()
    manifest = manifest_from_json(election.manifest)
    specs = {s.code: s for s in the_stations(election)}
    before = Submission.objects.filter(kind=Submission.Kind.PROTOCOL_COPY).count()
    for code in sampled_codes(election):
        spec = specs.get(code)
        observer = (
            None
            if spec is None
            else Observer.objects.filter(user__username=f"demo-observer-{spec.number}").first()
        )
        if spec is None or observer is None:
            continue
        sheets = station_sheets(spec, list(manifest.contests_for(spec.district)))
        for contest, typed in sheets.items():
            payload = {"contest": contest, "counts": typed.counts, "options": typed.options}
            civic.send(observer, code, Submission.Kind.PROTOCOL_COPY, contest, payload, now)
    sent = Submission.objects.filter(kind=Submission.Kind.PROTOCOL_COPY).count() - before
    if sent:
        say(
            _(
                "%(count)s protocol copies from the DEMO observers at the drawn stations (at "
                "%(code)s the official protocol differs: PLANTED)"
            )
            % {"count": sent, "code": altered_station(election)}
        )
    return sent
