"""The elections domain's interface for views, the API, the CLI and the other apps."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from saylau.crypto.group import Element
from saylau.elections import lifecycle
from saylau.elections.errors import ElectionNotFound, InvalidElectionManifest
from saylau.elections.models import AuditEvent, Election, IpPolicy, PublicCredential, Status
from saylau.protocol.ballot import ElectionContext
from saylau.protocol.errors import InvalidManifest
from saylau.protocol.manifest import Manifest, manifest_from_json


def get_election(slug: str) -> Election:
    try:
        return Election.objects.get(slug=slug)
    except Election.DoesNotExist:
        raise ElectionNotFound(_("There is no election “%(slug)s”.") % {"slug": slug}) from None


def audit(election: Election | None, actor: str, action: str, **details: Any) -> AuditEvent:
    """Append an audit event. `details` must hold no personal data (no IIN, no phone)."""
    return AuditEvent.objects.create(election=election, actor=actor, action=action, details=details)


def parse_manifest(raw: Any) -> Manifest:
    try:
        return manifest_from_json(raw)
    except InvalidManifest as error:
        raise InvalidElectionManifest(
            _("The manifest is not valid: %(problem)s") % {"problem": error}
        ) from None


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
) -> Election:
    manifest = parse_manifest(raw_manifest)
    if not 1 <= threshold <= trustees:
        raise InvalidElectionManifest(_("The threshold must be between 1 and the trustees."))
    if opens_at and closes_at and closes_at <= opens_at:
        raise InvalidElectionManifest(_("Voting must close after it opens."))
    if Election.objects.filter(slug=manifest.election_id).exists():
        raise InvalidElectionManifest(
            _("An election “%(slug)s” already exists.") % {"slug": manifest.election_id}
        )
    election = Election.objects.create(
        slug=manifest.election_id,
        manifest=raw_manifest,
        trustees=trustees,
        threshold=threshold,
        opens_at=opens_at,
        closes_at=closes_at,
        ip_policy=ip_policy,
        ip_limit_per_hour=ip_limit_per_hour,
    )
    audit(election, actor, "election.created", trustees=trustees, threshold=threshold)
    return election


@transaction.atomic
def transition(
    election: Election, to: str, *, actor: str, now: dt.datetime | None = None
) -> Election:
    """Move the election one stage on, after checking the order and the preconditions."""
    election = Election.objects.select_for_update().get(pk=election.pk)
    now = now or timezone.now()
    lifecycle.check(election, to, now)
    previous = election.status
    election.status = to
    election.save(update_fields=["status"])
    audit(election, actor, "election.transition", previous=previous, status=to)
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
        raise lifecycle.TransitionRefused(_("The election has no joint public key yet."))
    return _context(election.slug, election.fingerprint, election.joint_public_key)


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
