"""The scan of a signed protocol: checked by content (not by name), at most 20 MB, stored
under MEDIA_ROOT with its SHA-256; a protocol needs it to be accepted."""

from __future__ import annotations

import hashlib
import io
import struct
import zlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from saylau.paper import services
from saylau.paper.entry_errors import ScanRefused, WrongState
from saylau.paper.models import Protocol
from saylau.paper.scans import MAX_SCAN_BYTES, read_limited, scan_kind
from tests.paper.entry_world import CONTEST, PASSWORD, PDF, ew, good_counts, jpeg_bytes, png_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
__all__ = ["ew"]
URL = f"/en/paper/primaries-test/S-75/{CONTEST}/scan/"


@pytest.fixture
def protocol(ew) -> Protocol:
    for name in ("op1", "op2"):
        services.submit_entry(ew.election, ew.station, CONTEST, ew.users[name], good_counts())
    return Protocol.objects.get()


def gif_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4)).save(out, format="GIF")
    return out.getvalue()


def corrupt_png() -> bytes:
    """A PNG whose image data was changed after its checksum was written."""
    data = bytearray(png_bytes())
    at = data.index(b"IDAT") + 6
    data[at] ^= 0xFF
    return bytes(data)


def test_kinds_by_content_not_name():
    assert scan_kind(PDF) == "pdf"
    assert scan_kind(png_bytes()) == "png"
    assert scan_kind(jpeg_bytes()) == "jpeg"


@pytest.mark.parametrize(
    "data",
    [b"", b"just some text\n", b"PDF-1.4 without the percent", gif_bytes(), corrupt_png()],
    ids=["empty", "text", "no-magic", "gif", "corrupt-png"],
)
def test_other_content_is_refused(data):
    with pytest.raises(ScanRefused):
        scan_kind(data)


def test_the_limit_is_20_mb():
    exactly = PDF + b"0" * (MAX_SCAN_BYTES - len(PDF))
    assert scan_kind(exactly) == "pdf"
    with pytest.raises(ScanRefused) as refused:
        scan_kind(exactly + b"0")
    assert "20 MB" in str(refused.value)
    with pytest.raises(ScanRefused):
        read_limited([exactly[:1000], exactly[1000:], b"0"])


def test_a_png_named_pdf_is_stored_as_a_png_with_its_hash(ew, protocol, settings):
    client = Client()
    client.login(username="op1", password=PASSWORD)
    data = png_bytes()
    response = client.post(
        URL, {"scan": SimpleUploadedFile("protocol.pdf", data, "application/pdf")}
    )
    assert response.status_code == 302
    protocol.refresh_from_db()
    assert protocol.status == "accepted"
    assert protocol.scan_sha256 == hashlib.sha256(data).hexdigest()
    stored = Path(settings.MEDIA_ROOT) / protocol.scan.name
    assert stored.name.endswith(".png") and stored.read_bytes() == data
    served = client.get(f"/en/paper/scan/{protocol.pk}/")
    assert served["Content-Type"] == "image/png"
    assert b"".join(served.streaming_content) == data


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("photo.jpg", b"this is a text file, not a photo\n", "not a PDF, JPEG or PNG"),
        ("big.pdf", PDF + b"0" * (MAX_SCAN_BYTES + 1 - len(PDF)), "larger than 20 MB"),
        ("bad.png", corrupt_png(), "not a PDF, JPEG or PNG"),
    ],
    ids=["text-as-jpg", "20mb-plus-1", "corrupt-png"],
)
def test_refusals_on_the_page_store_nothing(ew, protocol, name, data, message):
    client = Client()
    client.login(username="op1", password=PASSWORD)
    response = client.post(URL, {"scan": SimpleUploadedFile(name, data)})
    assert response.status_code == 400
    assert message in response.content.decode()
    protocol.refresh_from_db()
    assert protocol.scan_sha256 == "" and not protocol.scan and protocol.status == "draft"


def test_a_draft_scan_can_be_replaced_an_accepted_one_cannot(ew):
    services.submit_entry(ew.election, ew.station, CONTEST, ew.users["op1"], good_counts())
    protocol = Protocol.objects.get()
    services.upload_scan(protocol, ew.users["op1"], jpeg_bytes())
    first = Protocol.objects.get().scan_sha256
    services.upload_scan(protocol, ew.users["op1"], PDF)
    assert Protocol.objects.get().scan_sha256 == hashlib.sha256(PDF).hexdigest() != first
    services.submit_entry(ew.election, ew.station, CONTEST, ew.users["op2"], good_counts())
    assert Protocol.objects.get().status == "accepted"
    with pytest.raises(WrongState):
        services.upload_scan(protocol, ew.users["op1"], png_bytes())
    assert Protocol.objects.get().scan_sha256 == hashlib.sha256(PDF).hexdigest()


def test_a_deflate_bomb_is_refused():
    """A PNG that claims a huge image (over Pillow's limit) is refused, not decoded."""
    width = height = 20_000
    raw = zlib.compress(b"\x00" * 10, 9)

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")
    with pytest.raises(ScanRefused):
        scan_kind(png)
