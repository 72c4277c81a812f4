"""Uploaded files checked by their content, never by their name or declared type.

Evidence (complaints, observers' photos and videos) and protocol scans come from phones: a
PDF starts with ``%PDF-``; a JPEG, PNG or WebP image must open and verify in Pillow; audio
and video are recognised by their container's signature (the `filetype` library). The kind
names are stable and stored with the file; `MIME` gives the type a download is served with.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterable

import filetype
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

MAX_UPLOAD_BYTES = 20 * 1024 * 1024

IMAGES = frozenset({"jpeg", "png", "webp"})
DOCUMENTS = frozenset({"pdf"})
AUDIO = frozenset({"mp3", "ogg", "m4a", "wav", "amr", "opus"})
VIDEO = frozenset({"mp4", "webm", "mov", "3gp"})
EVIDENCE = IMAGES | DOCUMENTS | AUDIO | VIDEO

MIME = {
    "pdf": "application/pdf",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
    "mp3": "audio/mpeg",
    "ogg": "audio/ogg",
    "opus": "audio/ogg",
    "m4a": "audio/mp4",
    "wav": "audio/wav",
    "amr": "audio/amr",
    "mp4": "video/mp4",
    "webm": "video/webm",
    "mov": "video/quicktime",
    "3gp": "video/3gpp",
}
_PILLOW = {"JPEG": "jpeg", "PNG": "png", "WEBP": "webp"}
_FILETYPE = {
    "mp3": "mp3",
    "ogg": "ogg",
    "opus": "opus",
    "m4a": "m4a",
    "wav": "wav",
    "amr": "amr",
    "mp4": "mp4",
    "webm": "webm",
    "mov": "mov",
    "3gp": "3gp",
    "mkv": "webm",  # filetype names some WebM files by their Matroska container
}


class UploadRefused(Exception):
    """An upload that is empty, too large or not of an allowed kind; the message is the
    user's, in their language; `code` is one of "empty", "too_large", "kind"."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


def too_large(limit: int = MAX_UPLOAD_BYTES) -> UploadRefused:
    return UploadRefused(
        _("The file is larger than %(mb)d MB.") % {"mb": limit // (1024 * 1024)}, "too_large"
    )


def read_limited(chunks: Iterable[bytes], limit: int = MAX_UPLOAD_BYTES) -> bytes:
    """The upload's bytes, refused as soon as they pass `limit`."""
    out = bytearray()
    for chunk in chunks:
        out += chunk
        if len(out) > limit:
            raise too_large(limit)
    return bytes(out)


def _image_kind(data: bytes) -> str | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                kind = _PILLOW.get(str(image.format))
                image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise UploadRefused(_("This image is too large (too many pixels)."), "kind") from error
    return kind


def sniff(data: bytes) -> str | None:
    """The kind of `data` by its content, or None when it is none this site knows."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    kind = _image_kind(data)
    if kind is not None:
        return kind
    guess = filetype.guess(data[:8192])
    return _FILETYPE.get(guess.extension) if guess is not None else None


def kind_of(
    data: bytes,
    allowed: frozenset[str] = EVIDENCE,
    limit: int = MAX_UPLOAD_BYTES,
    refusal: str | None = None,
) -> str:
    """The kind of `data` if it is one of `allowed`; UploadRefused otherwise (`refusal`, when
    given, is the message for a file of the wrong kind)."""
    if len(data) > limit:
        raise too_large(limit)
    if not data:
        raise UploadRefused(_("The file is empty."), "empty")
    kind = sniff(data)
    if kind is None or kind not in allowed:
        raise UploadRefused(
            refusal or _("This file is not an image, PDF, audio or video file."), "kind"
        )
    return kind
