"""DEMO ONLY: the demo's counting stations (~30 per district beside the two named ones), so
that the analysis, the PVT and the exit poll have stations to count (decision 0045).

    setup_counting(election)    the stations imported (saylau.stations' CSV import, with
                                their electors as `voters`: the exit poll's sizes), a
                                commission of four each, its two operators' accounts (no
                                password: nobody signs in as them; the named stations'
                                accounts are the DEMO ones to try)
    enter_counting(election)    after the close: each protocol entered twice by the two
                                operators and its scan uploaded (the paper app's services),
                                accepted; at demo.observers.altered_station() the commission
                                enters other numbers than it signed (PLANTED)

The numbers are saylau.demo.counts'. A protocol already accepted is left as it is.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from saylau.demo.counts import (
    CountingStation,
    counting_stations,
    electors_on_list,
    station_sheets,
)
from saylau.demo.paper import csv_bytes, group
from saylau.demo.protocols import scan_png
from saylau.elections.models import Election
from saylau.i18n import gettext_noop
from saylau.paper import services as paper
from saylau.paper.entry import Typed
from saylau.protocol.manifest import Contest, manifest_from_json
from saylau.stations import services as stations
from saylau.stations.models import CommissionMember, Station
from saylau.web import roles

Say = Callable[[str], None]
Progress = Callable[[str, int, int], None]
STAGE = gettext_noop("DEMO protocols")
FIRST = ("Айгерім", "Бауыржан", "Гүлнар", "Дәурен", "Жанар", "Ілияс", "Мадина", "Нұржан")
LAST = ("Әбенов", "Сәрсенова", "Омаров", "Исаева", "Кенжебаев", "Төлеуова", "Ли", "Петрова")
ROLES = ("chair", "secretary", "member", "member")


def _quiet_progress(_stage: str, _done: int, _total: int) -> None:
    return None


def the_stations(election: Election) -> list[CountingStation]:
    manifest = manifest_from_json(election.manifest)
    return counting_stations(tuple(d.id for d in manifest.districts))


def _commission(spec: CountingStation) -> list[tuple[str, str]]:
    k = spec.number
    return [
        (f"{FIRST[(k + j) % len(FIRST)]} {LAST[(3 * k + j) % len(LAST)]}", role)
        for j, role in enumerate(ROLES)
    ]


def operator_name(spec: CountingStation, operator: int) -> str:
    return f"demo-{spec.number}-op{operator}"


def setup_counting(election: Election, say: Say) -> int:
    """The counting stations, commissions and operator accounts not made yet; how many new."""
    specs = the_stations(election)
    have = set(stations.stations_of(election).values_list("code", flat=True))
    todo = [s for s in specs if s.code not in have]
    if not todo:
        return 0
    with transaction.atomic():
        columns = ["code", "number", "district", "address", "latitude", "longitude", "voters"]
        rows = [
            [s.code, s.number, s.district, s.address, s.latitude, s.longitude, electors_on_list(s)]
            for s in todo
        ]
        report = stations.import_stations(election, csv_bytes(columns, rows))
        members = [[s.code, name, role] for s in todo for name, role in _commission(s)]
        commission = stations.import_commission(
            election, csv_bytes(["station", "name", "role"], members)
        )
        if report.rejected or commission.rejected:
            raise RuntimeError(f"demo stations refused: {report.rejected} {commission.rejected}")
        _operators(election, todo)
    say(
        _("%(count)s DEMO counting stations (about 30 per district) with their commissions")
        % {"count": len(todo)}
    )
    return len(todo)


def _operators(election: Election, todo: list[CountingStation]) -> None:
    """Two operator accounts per station, linked to its two commission members (operators
    of the commission's pages, as demo.paper links the named stations')."""
    names = [operator_name(s, j) for s in todo for j in (1, 2)]
    existing = set(User.objects.filter(username__in=names).values_list("username", flat=True))
    new = []
    for name in names:
        if name not in existing:
            user = User(username=name)
            user.set_unusable_password()
            new.append(user)
    User.objects.bulk_create(new)
    users = {u.username: u for u in User.objects.filter(username__in=names)}
    group(roles.COMMISSION_OPERATOR).user_set.add(*users.values())
    by_code = {s.code: s for s in stations.stations_of(election)}
    for spec in todo:
        station = by_code[spec.code]
        members = list(
            CommissionMember.objects.filter(station=station, role="member").order_by("pk")
        )
        for j, member in enumerate(members[:2], 1):
            member.user = users[operator_name(spec, j)]
            member.save(update_fields=["user"])


def official_sheets(
    spec: CountingStation, contests: list[Contest], altered: str
) -> dict[str, Typed]:
    """What the commission enters: the signed protocol, but at the `altered` station other
    numbers in its first contest (PLANTED: the observers' copy keeps the signed ones)."""
    from saylau.demo.observers import alter

    sheets = station_sheets(spec, contests)
    if spec.code == altered:
        first = contests[0].id
        sheets = {cid: alter(typed) if cid == first else typed for cid, typed in sheets.items()}
    return sheets


def _enter_one(election: Election, station: Station, contest: str, typed: Typed) -> None:
    """Double entry by the two operators, the scan, accepted (what is left of it)."""
    ops = [User.objects.get(username=f"demo-{station.number}-op{j}") for j in (1, 2)]
    protocol = paper.latest_protocol(election, station, contest)
    if protocol is not None and protocol.is_counting:
        return
    typed_by = set()
    if protocol is not None:
        typed_by = {e.operator_id for e in protocol.entries.filter(round=protocol.entry_round)}
    for user in ops:
        if protocol is None or protocol.counts is None or protocol.failures:
            if user.pk not in typed_by:
                protocol = paper.submit_entry(election, station, contest, user, typed)
    if protocol is None or protocol.counts is None or protocol.failures:
        raise RuntimeError(f"demo protocol {station.code}/{contest} not settled")
    text = f"{station.code} {contest}\nrevision {protocol.revision}"
    protocol = paper.upload_scan(protocol, ops[0], scan_png(text))
    if not protocol.is_counting:
        raise RuntimeError(f"demo protocol {station.code}/{contest} not accepted")


def _enter_all(
    election: Election,
    specs: list[CountingStation],
    by_code: dict[str, Station],
    progress: Progress,
) -> int:
    from saylau.demo.observers import altered_station

    manifest = manifest_from_json(election.manifest)
    altered = altered_station(election)
    done = 0
    for k, spec in enumerate(specs, 1):
        station = by_code.get(spec.code)
        if station is None:
            continue
        contests = list(manifest.contests_for(spec.district))
        for contest, typed in official_sheets(spec, contests, altered).items():
            latest = paper.latest_protocol(election, station, contest)
            if latest is None or not latest.is_counting:
                _enter_one(election, station, contest, typed)
                done += 1
        progress(STAGE, k, len(specs))
    return done


def enter_counting(election: Election, say: Say, progress: Progress | None = None) -> int:
    """Every counting station's protocols accepted; how many were entered now."""
    progress = progress or _quiet_progress
    specs = the_stations(election)
    by_code = {s.code: s for s in stations.stations_of(election)}
    done = 0
    progress(STAGE, 0, len(specs))
    with transaction.atomic():  # one commit: the demo's ~190 protocols in seconds
        done = _enter_all(election, specs, by_code, progress)
    if done:
        say(
            _("%(count)s protocols of the DEMO counting stations entered twice and accepted")
            % {"count": done}
        )
    return done
