"""Double entry of a protocol: two operators type it blind, a supervisor settles what differs,
the control relations decide between draft and accepted.

Every round's entries and every settlement are kept; a round that settles starts the next
one, so a draft that fails a relation is corrected by a new double entry. A protocol is
accepted when its settled lines hold every control relation
(`protocol.paper_protocol.check_relations`) and its scan is stored; accepting a recount's
revision supersedes the revision accepted before it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from saylau.elections.audit import audit
from saylau.elections.models import Election
from saylau.paper import roles
from saylau.paper.entry_errors import InvalidEntry, NotFound, SameOperator, WrongState
from saylau.paper.models import Protocol, ProtocolEntry, Resolution
from saylau.protocol.manifest import Contest, manifest_from_json
from saylau.protocol.paper_protocol import (
    COUNT_MESSAGES,
    FIELDS,
    InvalidProtocolCounts,
    ProtocolCounts,
    check_relations,
    counts_from_json,
)
from saylau.stations.models import Station

#: one line of a protocol: ("counts", line name) or ("options", option id)
Key = tuple[str, str]


@dataclass(frozen=True)
class Typed:
    """What one operator typed: every line of FIELDS and the votes per option id."""

    counts: dict[str, int]
    options: dict[str, int]

    def value(self, key: Key) -> int:
        return (self.counts if key[0] == "counts" else self.options)[key[1]]


def contest_of(election: Election, station: Station, contest_id: str) -> Contest:
    """The manifest's contest `contest_id`, if it is on the ballot of the station's district."""
    manifest = manifest_from_json(election.manifest)
    for contest in manifest.contests_for(station.district):
        if contest.id == contest_id:
            return contest
    raise NotFound(
        _("Contest %(contest)s is not on the ballot of station %(station)s.")
        % {"contest": contest_id, "station": station.code}
    )


def keys_of(contest: Contest) -> list[Key]:
    return [("counts", name) for name in FIELDS] + [("options", o.id) for o in contest.options]


def read_counts(typed: Typed, contest: Contest) -> ProtocolCounts:
    """The typed lines as ProtocolCounts; InvalidEntry for a missing, unknown or negative one."""
    try:
        return counts_from_json(
            typed.counts, typed.options, [o.id for o in contest.options], "protocol"
        )
    except InvalidProtocolCounts as error:
        raise InvalidEntry(_(COUNT_MESSAGES[error.code]) % error.params) from error


def latest(election: Election, station: Station, contest_id: str) -> Protocol | None:
    return (
        Protocol.objects.filter(election=election, station=station, contest=contest_id)
        .order_by("-revision")
        .first()
    )


def _locked(protocol: Protocol) -> Protocol:
    return Protocol.objects.select_for_update().get(pk=protocol.pk)


def _open_for_entry(election: Election, station: Station, contest_id: str) -> Protocol:
    """The locked revision being typed: revision 1 is made on the first entry."""
    found = latest(election, station, contest_id)
    if found is None:
        found, _created = Protocol.objects.get_or_create(
            election=election, station=station, contest=contest_id, revision=1
        )
    protocol = _locked(found)
    if protocol.is_counting:
        raise WrongState(
            _("This protocol is accepted; only a recount opened by an organiser can change it.")
        )
    if protocol.status == Protocol.Status.CONFLICT:
        raise WrongState(
            _(
                "The two entries of this protocol differ: a supervisor settles them or asks "
                "both operators to enter it again."
            )
        )
    return protocol


def round_entries(protocol: Protocol, round_number: int | None = None) -> list[ProtocolEntry]:
    number = protocol.entry_round if round_number is None else round_number
    return list(protocol.entries.filter(round=number).order_by("number"))


@transaction.atomic
def submit_entry(
    election: Election, station: Station, contest_id: str, user: Any, typed: Typed
) -> Protocol:
    """Store one operator's entry; the second of a round is compared with the first."""
    roles.require(user, roles.ENTER, station)
    contest = contest_of(election, station, contest_id)
    read_counts(typed, contest)
    protocol = _open_for_entry(election, station, contest_id)
    entries = round_entries(protocol)
    if entries and entries[0].operator_id == user.pk:
        raise SameOperator(
            _(
                "You have already entered this protocol; the second entry must be made by "
                "another operator."
            )
        )
    number = len(entries) + 1
    entry = ProtocolEntry.objects.create(
        protocol=protocol,
        round=protocol.entry_round,
        number=number,
        operator=user,
        counts=typed.counts,
        options=typed.options,
    )
    audit(
        election,
        user.get_username(),
        "paper.protocol_entered",
        protocol=protocol.pk,
        station=station.code,
        contest=contest_id,
        revision=protocol.revision,
        round=entry.round,
        entry=number,
    )
    if number == 2:
        _compare(protocol, contest, entries[0], entry, user)
    return protocol


def differing(contest: Contest, first: Typed, second: Typed) -> list[Key]:
    return [key for key in keys_of(contest) if first.value(key) != second.value(key)]


def typed_of(entry: ProtocolEntry) -> Typed:
    return Typed(dict(entry.counts), dict(entry.options))


def _compare(
    protocol: Protocol, contest: Contest, one: ProtocolEntry, two: ProtocolEntry, user: Any
) -> None:
    diff = differing(contest, typed_of(one), typed_of(two))
    if not diff:
        settle(protocol, contest, typed_of(one), user)
        return
    protocol.status = Protocol.Status.CONFLICT
    protocol.save(update_fields=["status"])
    audit(
        protocol.election,
        user.get_username(),
        "paper.protocol_conflict",
        protocol=protocol.pk,
        round=protocol.entry_round,
        differing=len(diff),
        lines=[key[1] for key in diff],
    )


def settle(protocol: Protocol, contest: Contest, typed: Typed, user: Any) -> None:
    """Set the protocol's lines, check the control relations, start the next round; accept
    it if it holds them and has its scan, else keep it a draft with its failures."""
    counts = read_counts(typed, contest)
    failures = check_relations(counts, min_marks=contest.min_marks, max_marks=contest.max_marks)
    protocol.counts = typed.counts
    protocol.options = typed.options
    protocol.failures = [{"code": f.code, "params": f.params} for f in failures]
    protocol.status = Protocol.Status.DRAFT
    protocol.entry_round += 1
    protocol.save(update_fields=["counts", "options", "failures", "status", "entry_round"])
    audit(
        protocol.election,
        user.get_username(),
        "paper.protocol_settled",
        protocol=protocol.pk,
        round=protocol.entry_round - 1,
        failures=[f.code for f in failures],
    )
    try_accept(protocol, user)


def ready_to_accept(protocol: Protocol) -> bool:
    """Settled lines that hold every relation, a stored scan, and no round half typed."""
    return (
        protocol.status == Protocol.Status.DRAFT
        and protocol.counts is not None
        and protocol.options is not None
        and not protocol.failures
        and bool(protocol.scan_sha256)
        and not protocol.entries.filter(round=protocol.entry_round).exists()
    )


def try_accept(protocol: Protocol, user: Any) -> bool:
    """Accept the protocol if it is ready; the revision accepted before it is superseded."""
    if not ready_to_accept(protocol):
        return False
    protocol.status = Protocol.Status.ACCEPTED
    protocol.accepted_at = timezone.now()
    protocol.save(update_fields=["status", "accepted_at"])
    older = Protocol.objects.filter(
        election_id=protocol.election_id,
        station_id=protocol.station_id,
        contest=protocol.contest,
        status=Protocol.Status.ACCEPTED,
        revision__lt=protocol.revision,
    )
    superseded = list(older.values_list("revision", flat=True))
    older.update(status=Protocol.Status.SUPERSEDED)
    audit(
        protocol.election,
        user.get_username(),
        "paper.protocol_accepted",
        protocol=protocol.pk,
        station=protocol.station.code,
        contest=protocol.contest,
        revision=protocol.revision,
        scan_sha256=protocol.scan_sha256,
        superseded=superseded,
    )
    return True


def get_protocol(election: Election, station: Station, contest_id: str) -> Protocol:
    found = latest(election, station, contest_id)
    if found is None:
        raise NotFound(_("This protocol has not been entered yet."))
    return found


@transaction.atomic
def resolve(protocol: Protocol, user: Any, values: dict[Key, int]) -> Protocol:
    """A supervisor sets each line the two entries differ on; then the relations decide."""
    roles.require(user, roles.RESOLVE, protocol.station)
    protocol = _locked(protocol)
    if protocol.status != Protocol.Status.CONFLICT:
        raise WrongState(_("This protocol has no differing entries to settle."))
    contest = contest_of(protocol.election, protocol.station, protocol.contest)
    one, two = round_entries(protocol)
    diff = differing(contest, typed_of(one), typed_of(two))
    if set(values) != set(diff):
        raise InvalidEntry(_("Set every line the two entries differ on, and only those."))
    for value in values.values():
        if type(value) is not int or value < 0:
            raise InvalidEntry(_("Each line is a whole number, 0 or more."))
    settled = typed_of(one)
    for (kind, name), value in values.items():
        (settled.counts if kind == "counts" else settled.options)[name] = value
    Resolution.objects.create(
        protocol=protocol,
        round=protocol.entry_round,
        supervisor=user,
        values={
            "counts": {n: v for (k, n), v in values.items() if k == "counts"},
            "options": {n: v for (k, n), v in values.items() if k == "options"},
        },
    )
    audit(
        protocol.election,
        user.get_username(),
        "paper.protocol_resolved",
        protocol=protocol.pk,
        round=protocol.entry_round,
        lines=len(values),
    )
    settle(protocol, contest, settled, user)
    return protocol


@transaction.atomic
def request_reentry(protocol: Protocol, user: Any) -> Protocol:
    """A supervisor sends a conflict back: both operators enter the protocol again (a new
    round; the differing entries are kept)."""
    roles.require(user, roles.RESOLVE, protocol.station)
    protocol = _locked(protocol)
    if protocol.status != Protocol.Status.CONFLICT:
        raise WrongState(_("This protocol has no differing entries to settle."))
    protocol.status = Protocol.Status.DRAFT
    protocol.entry_round += 1
    protocol.save(update_fields=["status", "entry_round"])
    audit(
        protocol.election,
        user.get_username(),
        "paper.protocol_reentry",
        protocol=protocol.pk,
        round=protocol.entry_round,
    )
    return protocol
