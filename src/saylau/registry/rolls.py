"""Election rolls: a membership freeze date, then a snapshot fixed when the roll closes.

A member is on an election's roll when they are active and joined strictly
before the freeze date (members who joined on or after it are not on the roll;
seed 000: admissions were suspended from 11 September 2020 until the vote).
Closing the roll copies that list into ``RollEntry`` rows in one SQL statement,
publishes per-district counts and a digest; a closed roll never changes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from saylau.registry.errors import RegistryError, RollClosed, RollExists, RollNotFound
from saylau.registry.models import District, Member, RollDistrictCount, RollEntry, RollSnapshot

ELECTION_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
DIGEST_DOMAIN = b"saylau.roll-snapshot.v1\n"


@dataclass(frozen=True, slots=True)
class DistrictCount:
    code: str
    name: str
    count: int


@dataclass(frozen=True, slots=True)
class RollCounts:
    election: str
    freeze_date: dt.date
    status: str
    closed_at: dt.datetime | None
    total: int
    digest: str
    districts: list[DistrictCount]


def _check_election(election: str) -> str:
    if not ELECTION_RE.match(election):
        raise RegistryError(
            _("An election identifier has lowercase letters, digits and hyphens only."),
            code="invalid_election",
            field="election",
        )
    return election


def eligible_members(freeze_date: dt.date) -> QuerySet[Member]:
    """Members who would be on a roll frozen at ``freeze_date`` (before it is closed)."""
    return Member.objects.filter(status=Member.Status.ACTIVE, join_date__lt=freeze_date)


def get_roll(election: str) -> RollSnapshot:
    try:
        return RollSnapshot.objects.get(election=_check_election(election))
    except RollSnapshot.DoesNotExist:
        raise RollNotFound(_("There is no roll for this election.")) from None


def open_roll(election: str, freeze_date: dt.date) -> RollSnapshot:
    """Start an election's roll with its membership freeze date."""
    _check_election(election)
    with transaction.atomic():
        if RollSnapshot.objects.filter(election=election).exists():
            raise RollExists(_("This election already has a roll."), field="election")
        return RollSnapshot.objects.create(election=election, freeze_date=freeze_date)


def set_freeze_date(election: str, freeze_date: dt.date) -> RollSnapshot:
    with transaction.atomic():
        roll = RollSnapshot.objects.select_for_update().get(pk=get_roll(election).pk)
        if roll.is_closed:
            raise RollClosed(_("The roll is closed; its freeze date cannot change."))
        roll.freeze_date = freeze_date
        roll.save(update_fields=["freeze_date"])
        return roll


def _named_counts(counts: dict[str, int]) -> list[DistrictCount]:
    return [
        DistrictCount(code=d.code, name=d.name, count=counts.get(d.code, 0))
        for d in District.objects.order_by("code")
    ]


def preview_counts(election: str) -> list[DistrictCount]:
    """Per-district counts of who would be on the roll if it closed now."""
    roll = get_roll(election)
    if roll.is_closed:
        return published_counts(election).districts
    rows = (
        eligible_members(roll.freeze_date)
        .values("district_id")
        .annotate(n=Count("id"))
        .values_list("district_id", "n")
    )
    return _named_counts(dict(rows))


def _digest(roll: RollSnapshot) -> str:
    """SHA-256 over the snapshot's (member id, district) pairs in member order.

    It lets an auditor check later that the stored snapshot is the one that was
    published; it commits to internal ids only, never to an IIN or phone.
    """
    digest = hashlib.sha256(DIGEST_DOMAIN)
    digest.update(f"{roll.election}\n{roll.freeze_date.isoformat()}\n".encode())
    entries = (
        RollEntry.objects.filter(snapshot=roll)
        .order_by("member_id")
        .values_list("member_id", "district_id")
        .iterator(chunk_size=50_000)
    )
    for member_id, district_id in entries:
        digest.update(f"{member_id},{district_id}\n".encode())
    return digest.hexdigest()


def close_roll(election: str, *, now: dt.datetime | None = None) -> RollSnapshot:
    """Fix the roll: copy the eligible members into the snapshot and publish counts."""
    now = now or timezone.now()
    with transaction.atomic():
        roll = RollSnapshot.objects.select_for_update().get(pk=get_roll(election).pk)
        if roll.is_closed:
            raise RollClosed(_("The roll is already closed."))
        member, entry = Member._meta, RollEntry._meta
        q = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {q(entry.db_table)} "  # noqa: S608 - identifiers from the models
                f"({q(entry.get_field('snapshot').column)}, {q(entry.get_field('member').column)},"
                f" {q(entry.get_field('district').column)}) "
                f"SELECT %s, {q(member.pk.column)}, {q(member.get_field('district').column)} "
                f"FROM {q(member.db_table)} "
                f"WHERE {q(member.get_field('status').column)} = %s "
                f"AND {q(member.get_field('join_date').column)} < %s",
                [roll.pk, Member.Status.ACTIVE.value, roll.freeze_date],
            )
        counts = dict(
            RollEntry.objects.filter(snapshot=roll)
            .values("district_id")
            .annotate(n=Count("id"))
            .values_list("district_id", "n")
        )
        RollDistrictCount.objects.bulk_create(
            RollDistrictCount(snapshot=roll, district_id=code, count=counts.get(code, 0))
            for code in District.objects.values_list("code", flat=True)
        )
        roll.total = sum(counts.values())
        roll.digest = _digest(roll)
        roll.status = RollSnapshot.Status.CLOSED
        roll.closed_at = now
        roll.save(update_fields=["total", "digest", "status", "closed_at"])
        return roll


def published_counts(election: str) -> RollCounts:
    """The published figures of a closed roll (``RollNotFound`` while it is open)."""
    roll = get_roll(election)
    if not roll.is_closed:
        raise RollNotFound(_("The roll for this election has not been closed yet."))
    counts = {row.district_id: row.count for row in RollDistrictCount.objects.filter(snapshot=roll)}
    return RollCounts(
        election=roll.election,
        freeze_date=roll.freeze_date,
        status=roll.status,
        closed_at=roll.closed_at,
        total=roll.total or 0,
        digest=roll.digest,
        districts=_named_counts(counts),
    )


def published_rolls() -> list[RollSnapshot]:
    return list(RollSnapshot.objects.filter(status=RollSnapshot.Status.CLOSED))


def roll_members(election: str) -> QuerySet[Member]:
    """The members on a closed roll (for credentials, sign-in and turnout)."""
    roll = get_roll(election)
    if not roll.is_closed:
        raise RollNotFound(_("The roll for this election has not been closed yet."))
    return Member.objects.filter(roll_entries__snapshot=roll)


def roll_entries(election: str) -> QuerySet[RollEntry]:
    """(member id, district at closing) of every member on a closed roll, by member id.

    ``.values_list("member_id", "district_id")`` for the pairs; the credential authority's
    export adds ``"member__phone"`` (the one place phones leave the registry).
    """
    roll = get_roll(election)
    if not roll.is_closed:
        raise RollNotFound(_("The roll for this election has not been closed yet."))
    return RollEntry.objects.filter(snapshot=roll).order_by("member_id")


def is_on_roll(election: str, member_id: int) -> bool:
    return RollEntry.objects.filter(
        snapshot__election=election,
        snapshot__status=RollSnapshot.Status.CLOSED,
        member_id=member_id,
    ).exists()


# Compared against when the IIN matches nobody, so both cases do the same work.
_NO_PHONE = "+70000000000"


def match_roll_member(election: str, iin: str, phone: str) -> int | None:
    """The id of the member on the closed roll of ``election`` with this IIN, if ``phone``
    (E.164) is theirs; None otherwise. One indexed query and a constant-time comparison
    whether or not the IIN is on the roll (sign-in must not reveal who is)."""
    row = (
        RollEntry.objects.filter(
            snapshot__election=election,
            snapshot__status=RollSnapshot.Status.CLOSED,
            member__iin=iin,
        )
        .values_list("member_id", "member__phone")
        .first()
    )
    member_id, stored = row if row is not None else (None, _NO_PHONE)
    same = hmac.compare_digest(stored.encode(), phone.encode())
    return member_id if same else None
