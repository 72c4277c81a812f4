"""Photos and videos attached to an observer's submission: checked by content
(web/uploads.py), stored with their SHA-256, once per (submission, hash) so a retried upload
is not stored twice."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from saylau.observation.errors import MediaRefused, NotFound
from saylau.observation.models import Media, Observer, Submission
from saylau.web import stored_files
from saylau.web.uploads import IMAGES, VIDEO, UploadRefused, kind_of, read_limited

ALLOWED = IMAGES | VIDEO
#: at most this many files per submission
MAX_FILES = 12


def attach(
    observer: Observer, client_uuid: uuid.UUID, chunks: Iterable[bytes]
) -> tuple[Media, bool]:
    """(the stored file, whether this call stored it)."""
    submission = Submission.objects.filter(
        client_uuid=client_uuid, observer=observer, status=Submission.Status.ACCEPTED
    ).first()
    if submission is None:
        raise NotFound(_("There is no accepted report with this number."))
    try:
        data = read_limited(chunks)
        kind = kind_of(
            data, ALLOWED, refusal=_("Only photos (JPEG, PNG, WebP) and videos can be attached.")
        )
    except UploadRefused as error:
        raise MediaRefused(str(error), code=f"observation.media_{error.code}") from error
    digest = hashlib.sha256(data).hexdigest()
    existing = Media.objects.filter(submission=submission, sha256=digest).first()
    if existing is not None:
        return existing, False
    if submission.media.count() >= MAX_FILES:
        raise MediaRefused(_("At most %(n)d files per report.") % {"n": MAX_FILES})
    try:
        with transaction.atomic():
            media = Media(submission=submission, sha256=digest, kind=kind, size=len(data))
            stored_files.save(media.file, f"{digest}.{kind}", data)
            media.save()
    except IntegrityError:
        return Media.objects.get(submission=submission, sha256=digest), False
    return media, True
