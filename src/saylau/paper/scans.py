"""The scan or photo of a signed protocol: checked by its content, stored with its SHA-256.

A PDF starts with ``%PDF-``; a JPEG or PNG must open and verify in Pillow. The name of the
uploaded file is never trusted (a PNG named .pdf is a PNG; text named .jpg is refused). The
hash is published with the protocol, so the scan of an accepted protocol cannot change.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from collections.abc import Iterable
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from saylau.elections.audit import audit
from saylau.paper import roles
from saylau.paper.entry import try_accept
from saylau.paper.entry_errors import ScanRefused, WrongState
from saylau.paper.models import Protocol

MAX_SCAN_BYTES = 20 * 1024 * 1024
CONTENT_TYPES = {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png"}
_IMAGE_KINDS = {"JPEG": "jpeg", "PNG": "png"}


def too_large() -> ScanRefused:
    return ScanRefused(
        _("The file is larger than 20 MB. Scan the protocol at a lower resolution and upload it.")
    )


def read_limited(chunks: Iterable[bytes]) -> bytes:
    """The upload's bytes, refused as soon as they pass MAX_SCAN_BYTES."""
    out = bytearray()
    for chunk in chunks:
        out += chunk
        if len(out) > MAX_SCAN_BYTES:
            raise too_large()
    return bytes(out)


def scan_kind(data: bytes) -> str:
    """The kind of `data` by its content: "pdf", "jpeg" or "png"; ScanRefused otherwise."""
    if len(data) > MAX_SCAN_BYTES:
        raise too_large()
    if not data:
        raise ScanRefused(_("The file is empty."))
    if data.startswith(b"%PDF-"):
        return "pdf"
    not_image = ScanRefused(
        _("This file is not a PDF, JPEG or PNG image. Upload the scan or photo of the protocol.")
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                kind = _IMAGE_KINDS.get(str(image.format))
                image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise not_image from error
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ScanRefused(_("This image is too large to be a protocol's photo.")) from error
    if kind is None:
        raise not_image
    return kind


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
    protocol.scan.save(name, ContentFile(data), save=False)
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
