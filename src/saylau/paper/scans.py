"""The scan or photo of a signed protocol: checked by its content, stored with its SHA-256.

A PDF starts with ``%PDF-``; a JPEG or PNG must open and verify in Pillow. The name of the
uploaded file is never trusted (a PNG named .pdf is a PNG; text named .jpg is refused). The
hash is published with the protocol, so the scan of an accepted protocol cannot change.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from saylau.elections.audit import audit
from saylau.paper import roles
from saylau.paper.entry import try_accept
from saylau.paper.entry_errors import ScanRefused, WrongState
from saylau.paper.models import Protocol
from saylau.web import stored_files, uploads

MAX_SCAN_BYTES = uploads.MAX_UPLOAD_BYTES
SCAN_KINDS = frozenset({"pdf", "jpeg", "png"})
CONTENT_TYPES = {kind: uploads.MIME[kind] for kind in SCAN_KINDS}


def read_limited(chunks: Iterable[bytes]) -> bytes:
    """The upload's bytes, refused as soon as they pass MAX_SCAN_BYTES."""
    try:
        return uploads.read_limited(chunks, MAX_SCAN_BYTES)
    except uploads.UploadRefused as refused:
        raise ScanRefused(str(refused)) from None


def scan_kind(data: bytes) -> str:
    """The kind of `data` by its content: "pdf", "jpeg" or "png"; ScanRefused otherwise."""
    try:
        return uploads.kind_of(
            data,
            SCAN_KINDS,
            MAX_SCAN_BYTES,
            refusal=_(
                "This file is not a PDF, JPEG or PNG image. "
                "Upload the scan or photo of the protocol."
            ),
        )
    except uploads.UploadRefused as refused:
        raise ScanRefused(str(refused)) from None


@transaction.atomic
def upload_scan(protocol: Protocol, user: Any, data: bytes) -> Protocol:
    """Store the scan of `protocol` (a draft) with its SHA-256; accept the protocol if its
    settled lines hold every relation. A new scan of a draft replaces the hash (the older
    file stays on disk)."""
    roles.require(user, roles.UPLOAD_SCAN, protocol.station)
    kind = scan_kind(data)
    protocol = Protocol.objects.select_for_update().get(pk=protocol.pk)
    if protocol.is_counting:
        raise WrongState(_("This protocol is accepted: its scan is published and cannot change."))
    digest = hashlib.sha256(data).hexdigest()
    name = (
        f"{protocol.election_id}/{protocol.station_id}/"
        f"{protocol.pk}-r{protocol.revision}-{digest[:16]}.{kind}"
    )
    stored_files.save(protocol.scan, name, data)
    protocol.scan_sha256 = digest
    protocol.save(update_fields=["scan", "scan_sha256"])
    audit(
        protocol.election,
        user.get_username(),
        "paper.scan_uploaded",
        protocol=protocol.pk,
        revision=protocol.revision,
        scan_sha256=digest,
        bytes=len(data),
        kind=kind,
    )
    try_accept(protocol, user)
    return protocol


def content_type_of(protocol: Protocol) -> str:
    return CONTENT_TYPES.get(str(protocol.scan.name).rsplit(".", 1)[-1], "application/octet-stream")
