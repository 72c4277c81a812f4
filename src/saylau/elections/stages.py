"""What must hold before each stage of the lifecycle, and what entering it does.

roll_closed         registry: the election's roll snapshot is closed, and it has no
                    member in a district the manifest lacks
keys_ready          the ceremony is complete and its transcript verifies → joint key,
                    fingerprint and the board's Ed25519 key are fixed
credentials_issued  the CA finished its upload, and the public credentials match the
                    closed roll (counts per district, one per member)
open / closed       the schedule allows it (lifecycle.py / here) → the board's `open`
                    leaf / its `close` leaf and final signed head (board.py)
tallied             at least t trustees posted valid decryption shares → tally decrypted
published           the record is written and verifies (publication.py)
"""

from __future__ import annotations

import datetime as dt
import os
import secrets

from django.conf import settings
from django.utils.translation import gettext as _

from saylau.crypto import dkg, dkg_json
from saylau.crypto.errors import InvalidDkg, InvalidEncoding
from saylau.elections import authority, ceremony, publication, tallying
from saylau.elections.audit import audit
from saylau.elections.board import board_source
from saylau.elections.errors import TransitionRefused
from saylau.elections.lifecycle import on_enter, precondition
from saylau.elections.models import Ceremony, Election, Phase, Status, Tally
from saylau.protocol.board import BoardKey
from saylau.protocol.manifest import fingerprint, manifest_from_json
from saylau.registry import services as registry


@precondition(Status.ROLL_CLOSED)
def _roll_is_closed(election: Election, now: dt.datetime) -> None:
    try:
        roll = registry.get_roll(election.slug)
    except registry.RollNotFound:
        raise TransitionRefused(
            _("There is no roll for this election yet: open and close it first.")
        ) from None
    if not roll.is_closed:
        raise TransitionRefused(_("The election's roll is not closed yet."))
    authority.roll_counts(election)


def verified_transcript(election: Election) -> dkg.DkgResult:
    """Decode the stored transcript and verify it again, as a verifier will."""
    stored = Ceremony.objects.filter(election=election).first()
    if stored is None or stored.phase != Phase.COMPLETE or stored.transcript is None:
        raise TransitionRefused(_("The key ceremony is not complete."))
    try:
        transcript = dkg_json.transcript_from_json(stored.transcript)
        if (transcript.n, transcript.t) != (election.trustees, election.threshold):
            raise InvalidDkg("the transcript has other trustee numbers than the election")
        return dkg.verify_transcript(transcript, ceremony.context(election))
    except (InvalidDkg, InvalidEncoding) as error:
        raise TransitionRefused(
            _("The key ceremony's transcript does not verify: %(problem)s") % {"problem": error}
        ) from None


@precondition(Status.KEYS_READY)
def _ceremony_verifies(election: Election, now: dt.datetime) -> None:
    verified_transcript(election)


def board_seed_from_environment(election: Election) -> str:
    """SAYLAU_BOARD_SEED_<SLUG> (hex): a production deployment keeps the seed out of the
    database (the voting app reads the same variable)."""
    name = "SAYLAU_BOARD_SEED_" + "".join(ch if ch.isalnum() else "_" for ch in election.slug)
    return os.environ.get(name.upper(), "").strip()


@on_enter(Status.KEYS_READY)
def _fix_keys(election: Election, now: dt.datetime) -> None:
    result = verified_transcript(election)
    joint = result.joint_public_key
    election.joint_public_key = joint.hex()
    election.fingerprint = fingerprint(manifest_from_json(election.manifest), joint).hex()
    seed = board_seed_from_environment(election)
    if not seed:
        election.board_seed = election.board_seed or secrets.token_bytes(32).hex()
        seed = election.board_seed
    election.board_public_key = BoardKey.from_seed(bytes.fromhex(seed)).public.hex()
    election.save(
        update_fields=["joint_public_key", "fingerprint", "board_seed", "board_public_key"]
    )
    audit(
        election,
        "system:keys",
        "keys.ready",
        joint_public_key=election.joint_public_key,
        fingerprint=election.fingerprint,
        board_public_key=election.board_public_key,
    )


@precondition(Status.CREDENTIALS_ISSUED)
def _credentials_match_roll(election: Election, now: dt.datetime) -> None:
    if not authority.upload_complete(election):
        raise TransitionRefused(_("The credential authority has not finished its upload."))
    authority.check_issued(election)


@on_enter(Status.OPEN)
def _open_board(election: Election, now: dt.datetime) -> None:
    board_source().open_board(election, now=now)


@on_enter(Status.CLOSED)
def _close_board(election: Election, now: dt.datetime) -> None:
    board_source().close_board(election, now=now)


@precondition(Status.CLOSED)
def _close_window(election: Election, now: dt.datetime) -> None:
    if election.closes_at is not None and now < election.closes_at:
        raise TransitionRefused(_("Voting cannot close before its scheduled time."))


@precondition(Status.TALLIED)
def _enough_shares(election: Election, now: dt.datetime) -> None:
    tallying.check_enough_shares(election)


@on_enter(Status.TALLIED)
def _decrypt(election: Election, now: dt.datetime) -> None:
    tally = tallying.decrypt(election)
    audit(
        election,
        "system:tally",
        "tally.decrypted",
        trustees=(tally.document or {}).get("trustees"),
        ballots_counted=tally.counts,
    )


@precondition(Status.PUBLISHED)
def _tally_is_decrypted(election: Election, now: dt.datetime) -> None:
    tally = Tally.objects.filter(election=election).first()
    if tally is None or tally.document is None:
        raise TransitionRefused(_("The tally is not decrypted yet."))


@on_enter(Status.PUBLISHED)
def _publish(election: Election, now: dt.datetime) -> None:
    path = publication.write_record(
        election,
        verify=getattr(settings, "SAYLAU_VERIFY_BEFORE_PUBLISH", True),
        workers=getattr(settings, "SAYLAU_PUBLISH_VERIFY_WORKERS", 1),
    )
    audit(election, "system:publication", "record.published", zip=path.name)
