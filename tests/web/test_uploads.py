"""Uploads are recognised by their content: the kinds evidence may be, and what is refused."""

from __future__ import annotations

import io
import struct

import pytest
from PIL import Image

from saylau.web import uploads
from saylau.web.uploads import EVIDENCE, IMAGES, UploadRefused, kind_of, read_limited, sniff

pytestmark = pytest.mark.usefixtures("english")


def image(fmt: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 10, 10)).save(out, format=fmt)
    return out.getvalue()


def wav() -> bytes:
    pcm = b"\x00\x00" * 800
    fmt = struct.pack("<HHIIHH", 1, 1, 8000, 16000, 2, 16)
    body = b"WAVE" + b"fmt " + struct.pack("<I", 16) + fmt + b"data" + struct.pack("<I", len(pcm))
    return b"RIFF" + struct.pack("<I", len(body) + len(pcm)) + body + pcm


def mp4() -> bytes:
    ftyp = b"ftypisom" + b"\x00\x00\x02\x00" + b"isomiso2avc1mp41"
    return struct.pack(">I", 8 + len(ftyp)) + ftyp + b"\x00\x00\x00\x08free" + b"\x00" * 64


def webm() -> bytes:
    doctype = b"\x42\x82\x84webm"
    header = b"\x42\x86\x81\x01" + doctype
    return b"\x1a\x45\xdf\xa3" + bytes([0x80 | len(header)]) + header + b"\x00" * 64


def mp3() -> bytes:
    return b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x00" * 32


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"%PDF-1.7\n%%EOF\n", "pdf"),
        (image("JPEG"), "jpeg"),
        (image("PNG"), "png"),
        (image("WEBP"), "webp"),
        (wav(), "wav"),
        (mp4(), "mp4"),
        (webm(), "webm"),
        (mp3(), "mp3"),
    ],
)
def test_each_kind_is_known_by_its_content(data, kind):
    assert sniff(data) == kind
    assert kind_of(data, EVIDENCE) == kind


def test_a_kind_not_allowed_is_refused_even_if_known():
    with pytest.raises(UploadRefused) as refused:
        kind_of(wav(), IMAGES)
    assert refused.value.code == "kind"


@pytest.mark.parametrize(
    "data",
    [b"just text, named photo.jpg", image("GIF"), b"\x89PNG\r\n\x1a\n" + b"\x00" * 40],
    ids=["text", "gif", "truncated-png"],
)
def test_unknown_or_broken_content_is_refused(data):
    with pytest.raises(UploadRefused) as refused:
        kind_of(data)
    assert refused.value.code == "kind"
    assert "not an image, PDF, audio or video" in str(refused.value)


def test_empty_and_too_large_are_refused():
    with pytest.raises(UploadRefused) as empty:
        kind_of(b"")
    assert empty.value.code == "empty"
    with pytest.raises(UploadRefused) as big:
        kind_of(b"%PDF-" + b"0" * uploads.MAX_UPLOAD_BYTES)
    assert big.value.code == "too_large"
    assert "20 MB" in str(big.value)


def test_read_limited_stops_at_the_limit():
    chunks = (b"x" * 1000 for _ in range(10))
    with pytest.raises(UploadRefused):
        read_limited(chunks, limit=5000)
    assert read_limited([b"ab", b"cd"], limit=4) == b"abcd"
