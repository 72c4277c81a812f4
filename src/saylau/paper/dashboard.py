"""What the commission's pages show: each contest's protocol at a station with its stage and
failures in the user's language, and two entries side by side for the supervisor."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from saylau.elections.models import Election
from saylau.paper import roles
from saylau.paper.entry import Key, keys_of, round_entries, typed_of
from saylau.paper.forms import label_of
from saylau.paper.models import Protocol
from saylau.protocol.manifest import Contest, manifest_from_json, name_in
from saylau.protocol.paper_protocol import RELATIONS
from saylau.stations.models import Station


@dataclass
class ContestRow:
    contest: Contest
    name: str
    protocol: Protocol | None
    stage: str
    failures: list[str] = field(default_factory=list)
    older: list[Protocol] = field(default_factory=list)
    can_enter: bool = False
    can_resolve: bool = False
    can_scan: bool = False
    can_recount: bool = False


@dataclass(frozen=True)
class EntryRow:
    key: Key
    label: str
    first: int
    second: int

    @property
    def differs(self) -> bool:
        return self.first != self.second


def failure_messages(protocol: Protocol) -> list[str]:
    """Each broken relation's message in the current language."""
    return [_(RELATIONS[f["code"]]) % f["params"] for f in protocol.failures or []]


def stage_of(protocol: Protocol | None, user: Any) -> str:
    if protocol is None:
        return _("Not entered yet.")
    if protocol.status == Protocol.Status.ACCEPTED:
        return _("Accepted.")
    if protocol.status == Protocol.Status.SUPERSEDED:
        return _("Superseded by a recount.")
    if protocol.status == Protocol.Status.CONFLICT:
        return _("The two entries differ: a supervisor settles them.")
    typed = round_entries(protocol)
    if typed and typed[0].operator_id == user.pk:
        return _("You made the first entry; another operator makes the second.")
    if typed:
        return _("One entry of two is made; a second operator enters it without seeing it.")
    if protocol.failures:
        return _(
            "Kept as a draft: it breaks control relations. Enter it twice again to correct it."
        )
    if protocol.counts is not None and not protocol.scan_sha256:
        return _("The entries agree; the protocol needs the scan of its signed copy.")
    if protocol.counts is not None:
        return _("The entries agree.")
    return _("Waiting for the first entry.")


def contest_rows(
    election: Election, station: Station, user: Any, language: str
) -> list[ContestRow]:
    manifest = manifest_from_json(election.manifest)
    protocols = list(Protocol.objects.filter(election=election, station=station))
    rows = []
    for contest in manifest.contests_for(station.district):
        mine = sorted((p for p in protocols if p.contest == contest.id), key=lambda p: -p.revision)
        current = mine[0] if mine else None
        open_ = current is None or not current.is_counting
        conflict = current is not None and current.status == Protocol.Status.CONFLICT
        rows.append(
            ContestRow(
                contest=contest,
                name=name_in(contest.name, language, "en") or contest.id,
                protocol=current,
                stage=stage_of(current, user),
                failures=failure_messages(current) if current is not None else [],
                older=mine[1:],
                can_enter=open_ and not conflict and roles.acts_for(user, roles.ENTER, station),
                can_resolve=conflict and roles.acts_for(user, roles.RESOLVE, station),
                can_scan=current is not None
                and open_
                and roles.acts_for(user, roles.UPLOAD_SCAN, station),
                can_recount=current is not None
                and current.status == Protocol.Status.ACCEPTED
                and roles.acts_for(user, roles.OPEN_RECOUNT, station),
            )
        )
    return rows


def entry_rows(protocol: Protocol, contest: Contest, language: str) -> list[EntryRow]:
    """Every line of the current round's two entries, side by side."""
    one, two = (typed_of(e) for e in round_entries(protocol))
    return [
        EntryRow(key, label_of(contest, key, language), one.value(key), two.value(key))
        for key in keys_of(contest)
    ]
