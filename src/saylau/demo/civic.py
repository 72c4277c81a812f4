"""DEMO ONLY: the observers and the complaints committee around the demo election.

    setup_civic(election)      an observer organisation that signed the charter, its HQ and
                               coordinator, a training module (a quiz) and an offline
                               session per HQ, one certified observer accredited as primary at
                               each DEMO station (checked in; one reports an incident), an HQ
                               account; a complaint through the public form, triaged and put
                               under review by the committee's chair
    copy_protocols(election)   after the count: each observer sends the protocol copy they
                               photographed at the signing (at the recounted station, the
                               first count: the HQ sees it differ from the official result)

Everything goes through the observation and complaints services, as their pages do; each
step looks at what is done and does only the rest. The passwords are DEMO passwords printed
in the instructions.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.models import Group, User
from django.utils import timezone
from django.utils.translation import gettext as _

from saylau.complaints import intake, places, workflow
from saylau.complaints.models import Complaint, Status
from saylau.demo.paper import STATIONS, DemoStation
from saylau.demo.protocols import RECOUNT, VOTES, kind_of, sheet
from saylau.elections.models import Election
from saylau.observation import accreditation, submissions
from saylau.observation.models import (
    Accreditation,
    CharterSignature,
    Headquarters,
    Observer,
    Organisation,
    Submission,
    TrainingModule,
    TrainingSession,
)
from saylau.protocol.manifest import manifest_from_json
from saylau.stations import services as stations
from saylau.web import roles

Say = Callable[[str], None]

ORGANISATION = "demo-observers"
CHARTER_VERSION = "2026-1"
#: a fixed namespace, so a rerun sends the same submissions (stored once)
NAMESPACE = uuid.UUID("6c1f3a52-7d0e-4c55-9b7e-2f9a1d6e0c11")


@dataclass(frozen=True)
class CivicAccount:
    username: str
    role: str  # a web.roles group
    station: str  # the observer's station, "" otherwise

    @property
    def password(self) -> str:
        return f"{self.username}-pass"


def accounts() -> list[CivicAccount]:
    """The DEMO accounts of the observers, their coordinator and HQ, and the committee."""
    observers = [
        CivicAccount(f"demo-observer-{s.number}", roles.OBSERVER, s.code) for s in STATIONS
    ]
    return [
        *observers,
        CivicAccount("demo-coordinator", roles.OBSERVER_COORDINATOR, ""),
        CivicAccount("demo-hq", roles.OBSERVER_HQ, ""),
        CivicAccount("demo-committee", roles.COMMITTEE_MEMBER, ""),
        CivicAccount("demo-chair", roles.COMMITTEE_CHAIR, ""),
    ]


def _user(account: CivicAccount) -> User:
    user = User.objects.filter(username=account.username).first()
    if user is None:
        staff = account.role != roles.OBSERVER
        user = User.objects.create_user(account.username, password=account.password, is_staff=staff)
    group = Group.objects.filter(name=account.role).first()
    if group is None:  # a database whose groups were never synced
        roles.sync_groups()
        group = Group.objects.get(name=account.role)
    user.groups.add(group)
    return user


def organisation() -> Organisation:
    return Organisation.objects.get(slug=ORGANISATION)


def setup_civic(election: Election, say: Say, now: dt.datetime | None = None) -> None:
    """The observers in place on the DEMO stations, and one complaint under review."""
    now = now or timezone.now()
    users = {a.username: _user(a) for a in accounts()}
    org, created = Organisation.objects.get_or_create(
        slug=ORGANISATION,
        defaults={"name": "DEMO — Адал сайлау / Honest Vote", "website": "https://example.org"},
    )
    CharterSignature.objects.get_or_create(
        organisation=org,
        defaults={
            "charter_version": CHARTER_VERSION,
            "signatory": "DEMO Айгүл Сейітова",
            "signatory_title": "DEMO chair",
            "signed_at": now,
        },
    )
    coordinator = users["demo-coordinator"]
    for spec in STATIONS:
        hq, _created = Headquarters.objects.get_or_create(
            organisation=org, region=spec.district, defaults={"name": f"DEMO HQ {spec.district}"}
        )
        hq.coordinators.add(coordinator)
    _training(org, now)
    placed = sum(_place_observer(election, org, users, spec, now) for spec in STATIONS)
    if created or placed:
        say(
            _("%(count)s DEMO observers accredited (one per station), checked in, one incident")
            % {"count": len(STATIONS)}
        )
    if _complaint(election, users, now):
        say(_("one DEMO complaint filed through the public form, under the committee's review"))


#: the DEMO quiz applicants take after joining at /<lang>/observe/join/demo-observers/
QUESTIONS = [
    {
        "id": "touch",
        "text": {
            "kk": "Бақылаушы бюллетеньдерді ұстай ала ма?",
            "ru": "Может ли наблюдатель трогать бюллетени?",
            "en": "May an observer touch the ballots?",
        },
        "choices": [{"kk": "жоқ", "ru": "нет", "en": "no"}, {"kk": "иә", "ru": "да", "en": "yes"}],
        "answer": 0,
    },
    {
        "id": "copy",
        "text": {
            "kk": "Бақылаушы хаттаманың көшірмесін алуға құқылы ма?",
            "ru": "Вправе ли наблюдатель получить копию протокола?",
            "en": "Is an observer entitled to a copy of the protocol?",
        },
        "choices": [{"kk": "иә", "ru": "да", "en": "yes"}, {"kk": "жоқ", "ru": "нет", "en": "no"}],
        "answer": 0,
    },
]


def _training(org: Organisation, now: dt.datetime) -> None:
    """One online module and an offline session per HQ, for applicants of the public pages."""
    TrainingModule.objects.get_or_create(
        organisation=org,
        defaults={
            "title": {
                "kk": "DEMO: бақылаушы ережелері",
                "ru": "DEMO: правила наблюдателя",
                "en": "DEMO: the observer's rules",
            },
            "questions": QUESTIONS,
            "pass_mark": 2,
        },
    )
    for hq in Headquarters.objects.filter(organisation=org):
        TrainingSession.objects.get_or_create(
            hq=hq,
            defaults={"starts_at": now + dt.timedelta(days=1), "place": f"DEMO {hq.name}"},
        )


def observer_for(org: Organisation, user: User, spec_number: int, district: str) -> Observer:
    observer = Observer.objects.filter(user=user).first()
    if observer is None:
        observer = Observer.objects.create(
            organisation=org,
            user=user,
            full_name=f"DEMO Бақылаушы {spec_number}",
            iin=f"99010130{spec_number:04d}",
            phone="",
            region=district,
            status=Observer.Status.CERTIFIED,
        )
    return observer


def _place_observer(
    election: Election,
    org: Organisation,
    users: dict[str, User],
    spec: DemoStation,
    now: dt.datetime,
) -> bool:
    user = users[f"demo-observer-{spec.number}"]
    observer = observer_for(org, user, spec.number, spec.district)
    station = stations.station_by_code(election, spec.code)
    if Accreditation.objects.filter(observer=observer, station=station).exists():
        return False
    closes = election.closes_at or now
    accreditation.assign(
        users["demo-coordinator"],
        observer,
        station,
        Accreditation.Role.PRIMARY,
        now - dt.timedelta(hours=1),
        closes + dt.timedelta(days=2),
    )
    send(observer, spec.code, Submission.Kind.CHECK_IN, "", {}, now)
    if spec is STATIONS[0]:
        incident = {
            "category": "voter_pressure",
            "description": "DEMO: a man near the entrance asked voters whom they would vote for.",
        }
        send(observer, spec.code, Submission.Kind.INCIDENT, "", incident, now)
    return True


def send(
    observer: Observer, code: str, kind: str, tag: str, payload: object, now: dt.datetime
) -> None:
    key = uuid.uuid5(NAMESPACE, f"{observer.pk}/{code}/{kind}/{tag}")
    if Submission.objects.filter(client_uuid=key).exists():
        return  # sent on an earlier run (at another time: its digest differs)
    submissions.submit(observer, submissions.Sent(key, kind, code, now, payload), now)


def _complaint(election: Election, users: dict[str, User], now: dt.datetime) -> bool:
    if Complaint.objects.filter(election=election, channel="web").exists():
        return False
    spec = STATIONS[0]
    where = places.Where(district=spec.district, station=spec.code)
    new = intake.NewComplaint(
        category="vote_buying",
        description=(
            f"DEMO: near station {spec.code} a man asked voters whom they would vote for and "
            "promised them a food parcel."
        ),
        where=where,
        contact=intake.Contact(name="DEMO Ерлан", phone="", email="erlan@example.org"),
    )
    complaint, _code = intake.submit(election, new, channel="web", actor="demo", now=now)
    if complaint.status == Status.RECEIVED:
        workflow.assign(complaint, users["demo-chair"], users["demo-committee"])
    return True


def copy_protocols(election: Election, say: Say, now: dt.datetime | None = None) -> None:
    """Each DEMO observer's copies of their station's signed protocols (the first count)."""
    now = now or timezone.now()
    manifest = manifest_from_json(election.manifest)
    sent = 0
    for spec in STATIONS:
        observer = Observer.objects.filter(user__username=f"demo-observer-{spec.number}").first()
        if observer is None:
            continue
        for contest in manifest.contests_for(spec.district):
            key = (spec.code, kind_of(contest))
            typed = sheet(spec, contest, VOTES[key]).typed
            payload = {"contest": contest.id, "counts": typed.counts, "options": typed.options}
            before = Submission.objects.filter(observer=observer).count()
            send(observer, spec.code, Submission.Kind.PROTOCOL_COPY, contest.id, payload, now)
            sent += Submission.objects.filter(observer=observer).count() - before
    if sent:
        say(
            _(
                "%(count)s protocol copies sent by the DEMO observers (at %(code)s the first "
                "count, before the recount)"
            )
            % {"count": sent, "code": RECOUNT[0]}
        )
