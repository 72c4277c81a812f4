"""DEMO ONLY: two paper polling stations in the demo election, and who voted there.

    setup_stations(election)   two stations (KZ-71, KZ-75) with address and commission
                               (chair, secretary, two members), the DEMO staff accounts
                               (two operators and a supervisor per station, one organiser),
                               and a few members on each station's paper list
    mark_paper_votes(election) before the close: each commission uploads who voted on paper;
                               one of them had voted online first, so a `paper_override`
                               leaf takes that ballot out of the tally

The protocols (double entry, a settlement, scans, a recount) are saylau.demo.protocols.
Everything goes through the stations' and paper app's services, as the commission's pages
do; every step looks at what is done and does only the rest. The passwords are DEMO
passwords printed in the instructions: a real commission's accounts are made by an
organiser.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import Group, User
from django.utils.translation import gettext as _

from saylau.board import services as board
from saylau.crypto.rand import Rng, SystemRng
from saylau.demo import play as demo
from saylau.elections import services as elections
from saylau.elections.models import Election, Status
from saylau.paper import services as paper
from saylau.protocol.ballot import encrypt_ballot
from saylau.protocol.credentials import derive
from saylau.registry import services as registry
from saylau.stations import services as stations
from saylau.stations.models import CommissionMember
from saylau.voting.cast import cast_ballot
from saylau.web import roles

Say = Callable[[str], None]

PAPER_LIST = 4  # members on each station's paper list at setup
ORGANISER = "demo-organiser"


@dataclass(frozen=True)
class DemoStation:
    code: str
    number: int
    district: str
    address: str
    latitude: str
    longitude: str
    commission: tuple[tuple[str, str], ...]  # (name, role): chair, secretary, two members
    voted: int  # of its paper list, how many came to vote on paper


STATIONS = (
    DemoStation(
        "DEMO-71-001",
        7101,
        "KZ-71",
        "Астана, Сарыарқа ауданы, Бейбітшілік к-сі 10, № 12 мектеп (DEMO)",
        "51.169392",
        "71.449074",
        (
            ("Айгүл Сейітова", "chair"),
            ("Ерлан Мұқанов", "secretary"),
            ("Дана Жұмабаева", "member"),
            ("Нұрлан Бекұлы", "member"),
        ),
        3,
    ),
    DemoStation(
        "DEMO-75-001",
        7501,
        "KZ-75",
        "Алматы, Алмалы ауданы, Абай д-лы 52, № 28 гимназия (DEMO)",
        "43.238949",
        "76.889709",
        (
            ("Гульнара Ахметова", "chair"),
            ("Сергей Ким", "secretary"),
            ("Асель Нурланова", "member"),
            ("Тимур Оспанов", "member"),
        ),
        3,
    ),
)
#: the station where one member voted online first and then on paper (the override)
OVERRIDE_STATION = STATIONS[1].code


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    role: str  # a web.roles group
    station: str  # its code, "" for the organiser


def accounts() -> list[DemoAccount]:
    """The DEMO staff accounts: per station operators 1 and 2 and a supervisor, and one
    organiser (who opens the recount). The passwords are printed in the instructions."""
    out = []
    for s in STATIONS:
        for suffix, role in (
            ("op1", roles.COMMISSION_OPERATOR),
            ("op2", roles.COMMISSION_OPERATOR),
            ("sup", roles.COMMISSION_SUPERVISOR),
        ):
            name = f"demo-{s.number}-{suffix}"
            out.append(DemoAccount(name, f"{name}-pass", role, s.code))
    out.append(DemoAccount(ORGANISER, f"{ORGANISER}-pass", roles.ORGANISER, ""))
    return out


def account(station: str, suffix: str) -> User:
    number = next(s.number for s in STATIONS if s.code == station)
    return User.objects.get(username=f"demo-{number}-{suffix}")


def organiser() -> User:
    return User.objects.get(username=ORGANISER)


# --- setup -------------------------------------------------------------------------------


def csv_bytes(header: list[str], rows: list[list[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def group(name: str) -> Group:
    group = Group.objects.filter(name=name).first()
    if group is None:  # a database whose groups were never synced (they are after migrate)
        roles.sync_groups()
        group = Group.objects.get(name=name)
    return group


def _accounts(election: Election) -> None:
    """The DEMO accounts, each in its role's group, the commission's linked to a member:
    operators 1 and 2 are the two members, the supervisor is the chair."""
    for a in accounts():
        user = User.objects.filter(username=a.username).first()
        if user is None:
            user = User.objects.create_user(
                a.username, password=a.password, is_staff=a.role == roles.ORGANISER
            )
        user.groups.add(group(a.role))
        if not a.station:
            continue
        station = stations.station_by_code(election, a.station)
        spec = next(s for s in STATIONS if s.code == a.station)
        index = {"op1": 2, "op2": 3, "sup": 0}[a.username.rsplit("-", 1)[1]]
        CommissionMember.objects.filter(station=station, name=spec.commission[index][0]).update(
            user=user
        )


def paper_list(election: Election, station: DemoStation) -> list[tuple[int, str]]:
    """(member id, IIN) of the members put on the station's list at setup: the last
    PAPER_LIST of its district by member id (the demo voters are the first), and after
    them the one who votes online first (not on the list until the commission adds them)."""
    entries = (
        registry.roll_entries(election.slug)
        .filter(district_id=station.district)
        .order_by("-member_id")
        .values_list("member_id", "member__iin")
    )
    return list(entries[: PAPER_LIST + 1])


def setup_stations(election: Election, say: Say) -> None:
    """The two DEMO stations, their commissions, accounts and paper lists (only what is
    missing)."""
    had = stations.stations_of(election).count()
    report = stations.import_stations(
        election,
        csv_bytes(
            ["code", "number", "district", "address", "latitude", "longitude"],
            [[s.code, s.number, s.district, s.address, s.latitude, s.longitude] for s in STATIONS],
        ),
    )
    stations.import_commission(
        election,
        csv_bytes(
            ["station", "name", "role"],
            [[s.code, name, role] for s in STATIONS for name, role in s.commission],
        ),
    )
    _accounts(election)
    listed = [
        [iin, s.code] for s in STATIONS for _member, iin in paper_list(election, s)[:PAPER_LIST]
    ]
    paper_report = stations.assign_paper_voters(election, csv_bytes(["iin", "station"], listed))
    if report.rejected or paper_report.rejected:
        raise RuntimeError(f"demo stations refused: {report.rejected} {paper_report.rejected}")
    if not had:
        say(
            _(
                "%(count)s DEMO paper stations with their commissions, %(members)s members "
                "on their paper lists, and the commissions' DEMO accounts"
            )
            % {"count": len(STATIONS), "members": len(listed)}
        )


# --- who voted on paper ------------------------------------------------------------------


def _secret_code(election: Election, member_id: int) -> str:
    """The member's credential code from the DEMO CA's secrets file."""
    from saylau.ca.issue import SecretsFile

    secrets = SecretsFile.load(demo.demo_dir(election) / "ca-secrets.json")
    return next(str(r["code"]) for r in secrets.credentials if r["member"] == member_id)


def vote_online(election: Election, member_id: int, rng: Rng | None = None) -> str:
    """Cast a ballot for the member through the real cast path (encrypted and signed with
    their credential, checked and appended as the API does); returns its tracking code."""
    from saylau.demo.setup import choices_for

    district = (
        registry.roll_entries(election.slug)
        .filter(member_id=member_id)
        .values_list("district_id", flat=True)
        .get()
    )
    ctx = elections.election_context(election)
    ballot = encrypt_ballot(
        ctx,
        district,
        choices_for(election, district, 2),
        derive(election.slug, _secret_code(election, member_id)),
        rng or SystemRng(),
    )
    return cast_ballot(election, member_id, json.dumps(ballot.raw)).receipt.tracking_code


def override_member(election: Election) -> tuple[int, str]:
    """(member id, IIN) of the member who votes online and then on paper."""
    spec = next(s for s in STATIONS if s.code == OVERRIDE_STATION)
    return paper_list(election, spec)[PAPER_LIST]


def paper_voted(election: Election, station: DemoStation) -> list[str]:
    """The IINs the commission uploads: the first `voted` of its list, and at the override
    station the member who had voted online."""
    people = paper_list(election, station)
    iins = [iin for _member, iin in people[: station.voted]]
    if station.code == OVERRIDE_STATION:
        iins.append(people[PAPER_LIST][1])
    return iins


def marked(election: Election) -> bool:
    """Whether the override member's paper vote is on the board (the step is done)."""
    member, _iin = override_member(election)
    credential = elections.credential_of_member(election, member)
    return credential is not None and board.paper_vote_precinct(election, credential) is not None


def mark_paper_votes(election: Election, say: Say, rng: Rng | None = None) -> bool:
    """Before the close: the override member votes online, joins the station's list, and
    each commission uploads who voted on paper; False when it is too late or done."""
    if election.status != Status.OPEN or marked(election):
        return False
    member, _iin = override_member(election)
    code = vote_online(election, member, rng)
    say(
        _("a member of station %(station)s voted online first (tracking code %(code)s)")
        % {"station": OVERRIDE_STATION, "code": code[:16]}
    )
    stations.assign_paper_station(election, member, OVERRIDE_STATION)
    for spec in STATIONS:
        station = stations.station_by_code(election, spec.code)
        data = ("iin\n" + "\n".join(paper_voted(election, spec)) + "\n").encode()
        report = paper.mark_voted(election, station, account(spec.code, "op1"), data)
        if report.refused:
            raise RuntimeError(f"demo paper votes refused: {report.refused}")
        say(
            _("station %(station)s: %(count)s members marked as having voted on paper")
            % {"station": spec.code, "count": report.marked + report.already}
        )
    if not marked(election):
        raise RuntimeError("demo: the override member's paper vote is not on the board")
    say(_("one paper_override leaf took that member's online ballot out of the tally"))
    return True
