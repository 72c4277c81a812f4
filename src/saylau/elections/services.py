"""The elections domain's interface for views, the API, the CLI and the other apps.

Elections and their lifecycle::

    create_election(raw_manifest, actor=..., trustees=3, threshold=2, ...) -> Election
        (election.issued_tokens: the seats' tokens, shown once)
    create_election_from_file(data, filename, actor=..., ...) -> Election
    transition(election, to, actor=..., now=None) -> Election
    set_schedule(election, opens_at, closes_at, actor=...) -> Election
    tick(now=None) -> list[ScheduleChange]           open / close what the schedule says

Key ceremony (trustees, through the API), credential authority, tally, publication::

    ceremony_state(election, you)   submit_ceremony_message(election, sender, kind, payload)
    force_ceremony_phase(election, actor=...)   reset_ceremony(election, actor=...)
    authenticate_seat(election, token, role) -> Seat   reissue_token(election, role, index, ...)
    roll_for_ca(election, after=0)   upload_credential_batch(election, payload)
    complete_credential_upload(election, payload)
    prepare_tally(election, actor=...)   tally_sums(election)
    submit_decryption_shares(election, sender, payload)
    record_path(election) -> Path    election_results(election) -> dict | None

For the voting app::

    is_open_for_voting(election, now)   election_context(election)   board_key(election)
    credential_district(election, hex)  credential_of_member(election, member_id)
    member_credential(election, member_id) -> (credential hex, district) | None

Errors are `saylau.elections.errors.ElectionError` subclasses with translated messages.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from saylau.crypto.group import Element
from saylau.elections import (
    authority,
    ceremony,
    lifecycle,
    manifest_io,
    publication,
    schedule,
    seats,
    stages,  # registers the lifecycle's preconditions and effects
    tallying,
)
from saylau.elections.audit import audit
from saylau.elections.errors import ElectionNotFound, InvalidElectionManifest, TransitionRefused
from saylau.elections.models import (
    Ceremony,
    Election,
    IpPolicy,
    PublicCredential,
    Seat,
    Status,
    Tally,
)
from saylau.protocol import credentials
from saylau.protocol.ballot import ElectionContext
from saylau.protocol.board import BoardKey
from saylau.protocol.manifest import manifest_from_json

# Re-exported: one import for the other apps, the API and the CLI.
ScheduleChange = schedule.ScheduleChange
tick = schedule.tick
transition = lifecycle.transition
authenticate_seat = seats.authenticate
reissue_token = seats.reissue_token
ceremony_state = ceremony.state
submit_ceremony_message = ceremony.submit
force_ceremony_phase = ceremony.force_advance
reset_ceremony = ceremony.reset
roll_for_ca = authority.roll_for_ca
upload_credential_batch = authority.upload_batch
complete_credential_upload = authority.complete_upload
credential_list_digest = credentials.list_digest  # the CA computes the same
prepare_tally = tallying.prepare
tally_sums = tallying.sums_document
submit_decryption_shares = tallying.submit_shares
record_path = publication.record_path
write_record = publication.write_record

__all__ = [
    "ScheduleChange",
    "audit",
    "authenticate_seat",
    "board_key",
    "ceremony_state",
    "complete_credential_upload",
    "create_election",
    "create_election_from_file",
    "credential_district",
    "credential_list_digest",
    "credential_of_member",
    "election_context",
    "election_results",
    "force_ceremony_phase",
    "get_election",
    "is_open_for_voting",
    "member_credential",
    "prepare_tally",
    "record_path",
    "reissue_token",
    "reset_ceremony",
    "roll_for_ca",
    "set_schedule",
    "submit_ceremony_message",
    "submit_decryption_shares",
    "tally_sums",
    "tick",
    "transition",
    "upload_credential_batch",
    "write_record",
]


def get_election(slug: str, *, manifest: bool = True) -> Election:
    """The election; `manifest=False` leaves the manifest (kilobytes of JSON) unread until
    something asks for it — the voters' sign-in never does."""
    if not manifest:
        # Raw SQL on the voters' path: the ORM's query building cost more than the query.
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {', '.join(ELECTION_COLUMNS)} FROM {Election._meta.db_table}"  # noqa: S608
                " WHERE slug = %s",
                [slug],
            )
            row = cursor.fetchone()
        if row is not None:  # slug is unique: at most one row
            return election_from_row(row)
        raise ElectionNotFound(_("There is no election “%(slug)s”.") % {"slug": slug})
    try:
        election: Election = Election.objects.get(slug=slug)
    except Election.DoesNotExist:
        raise ElectionNotFound(_("There is no election “%(slug)s”.") % {"slug": slug}) from None
    return election


#: The election's columns but the manifest, for raw queries on the voters' path; an election
#: made from them by `election_from_row` reads the manifest from the database if asked.
_ROW_FIELDS = [f for f in Election._meta.concrete_fields if f.name != "manifest"]
ELECTION_COLUMNS = tuple(f.column for f in _ROW_FIELDS)


def election_from_row(values: Sequence[Any]) -> Election:
    """An Election from the values of ELECTION_COLUMNS read by a raw cursor (the manifest
    deferred), with the database backend's conversions applied as the ORM would."""
    converted = []
    for value, (field, converters) in zip(values, _row_converters(connection.vendor), strict=True):
        for convert in converters:
            value = convert(value, field, connection)
        converted.append(value)
    names = [f.attname for f in _ROW_FIELDS]
    election: Election = Election.from_db(connection.alias, names, converted)
    return election


@functools.cache
def _row_converters(vendor: str) -> list[tuple[Any, list[Any]]]:
    """Per column of ELECTION_COLUMNS: (its expression, the converters the ORM applies)."""
    out = []
    for field in _ROW_FIELDS:
        col = field.get_col(Election._meta.db_table)
        out.append(
            # django-stubs lacks Field.get_db_converters (Django defines it on Field).
            (col, connection.ops.get_db_converters(col) + field.get_db_converters(connection))  # type: ignore[attr-defined]
        )
    return out


# Times outside these years are typing mistakes; near year 1 or 9999 they cannot even be
# converted between time zones (an OverflowError at save time, a server error).
EARLIEST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
LATEST = dt.datetime(2100, 1, 1, tzinfo=dt.UTC)


def _check_moment(moment: dt.datetime | None, field: str) -> None:
    if moment is None:
        return
    try:
        aware = moment if timezone.is_aware(moment) else timezone.make_aware(moment)
        plausible = EARLIEST <= aware < LATEST
    except (OverflowError, ValueError):
        plausible = False
    if not plausible:
        raise InvalidElectionManifest(
            _("Enter a time between the years 2000 and 2099."), field=field
        )


def _check_schedule(opens_at: dt.datetime | None, closes_at: dt.datetime | None) -> None:
    _check_moment(opens_at, "opens_at")
    _check_moment(closes_at, "closes_at")
    if opens_at and closes_at and closes_at <= opens_at:
        raise InvalidElectionManifest(_("Voting must close after it opens."), field="closes_at")


@transaction.atomic
def create_election(
    raw_manifest: dict[str, Any],
    *,
    actor: str,
    trustees: int = 3,
    threshold: int = 2,
    opens_at: dt.datetime | None = None,
    closes_at: dt.datetime | None = None,
    ip_policy: str = IpPolicy.STRICT,
    ip_limit_per_hour: int = 20,
    trustee_names: list[str] | None = None,
) -> Election:
    """Create a draft election from a manifest (checked against the registry), with its n
    trustee seats and the CA's seat; `election.issued_tokens` holds their tokens (shown
    once: only their hashes are kept)."""
    if not isinstance(raw_manifest, dict):
        raise InvalidElectionManifest(_("The manifest must be an object."), field="manifest")
    raw = manifest_io.normalise(raw_manifest)
    manifest = manifest_io.check_manifest(raw)
    if not 1 <= threshold <= trustees <= 100:
        raise InvalidElectionManifest(
            _("The threshold must be between 1 and the number of trustees (at most 100)."),
            field="threshold",
        )
    if ip_policy not in IpPolicy.values:
        raise InvalidElectionManifest(_("Unknown IP policy."), field="ip_policy")
    _check_schedule(opens_at, closes_at)
    if Election.objects.filter(slug=manifest.election_id).exists():
        raise InvalidElectionManifest(
            _("An election “%(slug)s” already exists.") % {"slug": manifest.election_id}
        )
    election = Election.objects.create(
        slug=manifest.election_id,
        manifest=raw,
        trustees=trustees,
        threshold=threshold,
        opens_at=opens_at,
        closes_at=closes_at,
        ip_policy=ip_policy,
        ip_limit_per_hour=ip_limit_per_hour,
    )
    election.issued_tokens = seats.create_seats(election, trustee_names)
    Ceremony.objects.create(election=election)
    audit(
        election,
        actor,
        "election.created",
        trustees=trustees,
        threshold=threshold,
        opens_at=opens_at.isoformat() if opens_at else None,
        closes_at=closes_at.isoformat() if closes_at else None,
        ip_policy=ip_policy,
    )
    return election


def create_election_from_file(data: bytes, filename: str = "", **options: Any) -> Election:
    """`create_election` from a manifest file (YAML or JSON)."""
    return create_election(manifest_io.load_manifest_file(data, filename), **options)


@transaction.atomic
def set_schedule(
    election: Election,
    opens_at: dt.datetime | None,
    closes_at: dt.datetime | None,
    *,
    actor: str,
) -> Election:
    """Change when voting opens and closes (the opening only before it happened)."""
    election = Election.objects.select_for_update().get(pk=election.pk)
    if election.status in (Status.CLOSED, Status.TALLIED, Status.PUBLISHED):
        raise TransitionRefused(_("Voting has closed; the schedule cannot change."))
    if election.status == Status.OPEN and opens_at != election.opens_at:
        raise TransitionRefused(_("Voting is open; only its closing time can change."))
    _check_schedule(opens_at, closes_at)
    election.opens_at, election.closes_at = opens_at, closes_at
    election.save(update_fields=["opens_at", "closes_at"])
    audit(
        election,
        actor,
        "election.schedule",
        opens_at=opens_at.isoformat() if opens_at else None,
        closes_at=closes_at.isoformat() if closes_at else None,
    )
    return election


def is_open_for_voting(election: Election, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    if election.status != Status.OPEN:
        return False
    if election.opens_at is not None and now < election.opens_at:
        return False
    return election.closes_at is None or now < election.closes_at


@functools.lru_cache(maxsize=32)
def _context(slug: str, manifest_key: str, joint_key: str) -> ElectionContext:
    election = Election.objects.get(slug=slug)
    return ElectionContext.make(
        manifest_from_json(election.manifest), Element(bytes.fromhex(joint_key))
    )


def election_context(election: Election) -> ElectionContext:
    """The protocol's view of the election (needs the joint key: from keys_ready on)."""
    if not election.joint_public_key:
        raise TransitionRefused(_("The election has no joint public key yet."))
    return _context(election.slug, election.fingerprint, election.joint_public_key)


def board_key(election: Election) -> BoardKey:
    """The board's Ed25519 key (SAYLAU_BOARD_SEED_<SLUG> if set, else the stored seed)."""
    seed = stages.board_seed_from_environment(election) or election.board_seed
    if not seed:
        raise TransitionRefused(_("The election has no board key yet."))
    return BoardKey.from_seed(bytes.fromhex(seed))


def credential_district(election: Election, credential_hex: str) -> str | None:
    row = (
        PublicCredential.objects.filter(election=election, credential=credential_hex)
        .values_list("district", flat=True)
        .first()
    )
    return row


def credential_of_member(election: Election, member_id: int) -> str | None:
    return (
        PublicCredential.objects.filter(election=election, member_id=member_id)
        .values_list("credential", flat=True)
        .first()
    )


def member_credential(election: Election, member_id: int) -> tuple[str, str] | None:
    """The member's public credential and its district, in one query (the cast path)."""
    # Raw SQL: on every cast; the ORM's query building cost more than the query.
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT credential, district FROM {PublicCredential._meta.db_table}"  # noqa: S608
            " WHERE election_id = %s AND member_id = %s",  # unique (election, member_id)
            [election.pk, member_id],
        )
        row = cursor.fetchone()
    return (row[0], row[1]) if row is not None else None


def election_results(election: Election) -> dict[str, Any] | None:
    """results.json once the election is tallied (None before)."""
    if election.status not in (Status.TALLIED, Status.PUBLISHED):
        return None
    tally = Tally.objects.filter(election=election).first()
    return tally.results if tally is not None else None


def trustee_seats(election: Election) -> list[Seat]:
    return [s for s in seats.seats(election) if s.role == Seat.Role.TRUSTEE]


def records_dir(election: Election) -> Path:
    return publication.record_dir(election)
