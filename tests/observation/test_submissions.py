"""Election-day submissions through the API: stored once per client UUID under retries,
refused-and-kept from a station the observer is not accredited to, payloads checked, photos
and videos checked by content."""

from __future__ import annotations

import datetime as dt
import io
import uuid

import pytest
from django.test import Client
from PIL import Image

from saylau.observation import accreditation as acc
from saylau.observation.models import Accreditation, Media, Submission
from tests.observation import world
from tests.observation.world import PASSWORD

URL = "/api/observation/submissions"


@pytest.fixture
def accredited(ow):
    acc.assign(
        ow.users["coord"], ow.observers["obs1"], ow.station, "primary", world.START, world.END
    )
    return ow


def client_for(ow, name="obs1") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert client.login(username=name, password=PASSWORD)
    return client


def body(kind="check_in", station="S-75", payload=None, when=None, client_uuid=None):
    return {
        "client_uuid": str(client_uuid or uuid.uuid4()),
        "kind": kind,
        "station": station,
        "occurred_at": (when or dt.datetime.now(dt.UTC)).isoformat(),
        "payload": payload or {},
    }


def post(client, data):
    return client.post(URL, data, content_type="application/json")


@pytest.fixture(autouse=True)
def _window(monkeypatch):
    """The accreditation window holds today's clock."""
    now = dt.datetime.now(dt.UTC)
    monkeypatch.setattr(world, "START", now - dt.timedelta(hours=1))
    monkeypatch.setattr(world, "END", now + dt.timedelta(hours=12))


def test_a_retried_check_in_is_stored_once(accredited):
    client = client_for(accredited)
    data = body()
    first = post(client, data)
    assert first.status_code == 201, first.content
    for _ in range(3):
        again = post(client, data)
        assert again.status_code == 200 and again.json()["stored_now"] is False
    assert Submission.objects.count() == 1
    assert Accreditation.objects.get().checked_in_at is not None


def test_a_reused_uuid_for_another_report_is_refused(accredited):
    client = client_for(accredited)
    data = body()
    assert post(client, data).status_code == 201
    changed = {**data, "kind": "check_out"}
    answer = post(client, changed)
    assert answer.status_code == 409
    assert answer.json()["error"]["code"] == "observation.uuid_reused"
    assert Submission.objects.get().kind == "check_in"


def test_not_accredited_station_is_refused_with_reason_and_kept(accredited):
    client = client_for(accredited)
    data = body("incident", "S-71", {"category": "carousel", "description": "buses"})
    answer = post(client, data)
    assert answer.status_code == 403
    error = answer.json()["error"]
    assert error["code"] == "observation.not_accredited" and "S-71" in error["message"]
    kept = Submission.objects.get()
    assert kept.status == "refused" and kept.station_code == "S-71"
    assert kept.payload["description"] == "buses" and "S-71" in kept.refusal
    retry = post(client, data)  # the same answer, nothing added
    assert retry.status_code == 403 and Submission.objects.count() == 1


def test_outside_the_window_is_refused_and_kept(accredited):
    client = client_for(accredited)
    late = dt.datetime.now(dt.UTC) - dt.timedelta(days=2)
    answer = post(client, body(when=late))
    assert answer.status_code == 403
    assert "at this time" in answer.json()["error"]["message"]
    assert Submission.objects.get().station_id == accredited.station.pk


def test_a_checklist_must_answer_every_question(accredited):
    client = client_for(accredited)
    partial = {"phase": "opening", "answers": {"seals": "yes"}}
    answer = post(client, body("checklist", payload=partial))
    assert answer.status_code == 400 and answer.json()["error"]["fields"][0]["field"] == "answers"
    full = {"phase": "opening", "answers": {"seals": "yes", "list": "no"}, "note": "late"}
    assert post(client, body("checklist", payload=full)).status_code == 201
    wrong = {"phase": "opening", "answers": {"seals": "maybe", "list": "no"}}
    assert post(client, body("checklist", payload=wrong)).status_code == 400
    assert post(client, body("checklist", payload={"phase": "x"})).status_code == 400
    assert Submission.objects.count() == 1


@pytest.mark.parametrize(
    "payload",
    [{"category": "aliens", "description": "x"}, {"category": "carousel", "description": " "}],
)
def test_an_incident_needs_a_category_and_a_description(accredited, payload):
    answer = post(client_for(accredited), body("incident", payload=payload))
    assert answer.status_code == 400
    assert not Submission.objects.exists()


def test_only_observers_submit(accredited):
    answer = post(client_for(accredited, "coord"), body())
    assert answer.status_code == 403
    anonymous = Client().post(URL, body(), content_type="application/json")
    assert anonymous.status_code == 401


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (1, 2, 3)).save(out, format="PNG")
    return out.getvalue()


def _upload(client, client_uuid, data, name="photo.jpg"):
    file = io.BytesIO(data)
    file.name = name
    return client.post(f"{URL}/{client_uuid}/media", {"file": file})


def test_photos_attach_once_and_wrong_kinds_are_refused(accredited):
    client = client_for(accredited)
    data = body("incident", payload={"category": "carousel", "description": "buses"})
    assert post(client, data).status_code == 201
    png = _png()
    assert _upload(client, data["client_uuid"], png).status_code == 201
    assert _upload(client, data["client_uuid"], png).status_code == 200
    media = Media.objects.get()
    assert media.kind == "png" and len(media.sha256) == 64
    for bad in (b"%PDF-1.4 not a photo", b"MZ\x90\x00 an exe", b""):
        refused = _upload(client, data["client_uuid"], bad, "evil.jpg")
        assert refused.status_code == 400, bad
        assert refused.json()["error"]["code"].startswith("observation.media_")
    assert Media.objects.count() == 1


def test_a_too_large_upload_is_refused(accredited, settings):
    client = client_for(accredited)
    data = body("incident", payload={"category": "carousel", "description": "buses"})
    post(client, data)
    import saylau.web.uploads as uploads

    big = _png() + b"\0" * (uploads.MAX_UPLOAD_BYTES + 1)
    refused = _upload(client, data["client_uuid"], big)
    assert refused.status_code == 400
    assert "larger than" in refused.json()["error"]["message"]
    assert not Media.objects.exists()


def test_media_only_on_ones_own_accepted_report(accredited):
    client = client_for(accredited)
    refused = body("incident", "S-71", {"category": "carousel", "description": "x"})
    post(client, refused)
    assert _upload(client, refused["client_uuid"], _png()).status_code == 404
    assert _upload(client, uuid.uuid4(), _png()).status_code == 404
