"""The headquarters' dashboard and exports: coverage, check-ins missing, incidents by
category and region, copies, refused reports; CSV/XLSX; the evidence ZIP with its hashes."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import uuid
import zipfile

import pytest
from django.test import Client
from openpyxl import load_workbook

from saylau.observation import accreditation as acc
from saylau.observation import dashboard
from saylau.observation.media import attach
from saylau.observation.submissions import Sent, submit
from tests.observation.world import PASSWORD
from tests.paper.entry_world import png_bytes

HQ = "/en/hq/primaries-test/"


@pytest.fixture
def busy(ow):
    now = dt.datetime.now(dt.UTC)
    start, end = now - dt.timedelta(hours=1), now + dt.timedelta(hours=12)
    acc.assign(ow.users["coord"], ow.observers["obs1"], ow.station, "primary", start, end)
    acc.assign(ow.users["coord_b"], ow.observers["obs_b"], ow.station, "primary", start, end)
    acc.assign(ow.users["coord"], ow.observers["obs2"], ow.other, "primary", start, end)
    obs1 = ow.observers["obs1"]
    submit(obs1, Sent(uuid.uuid4(), "check_in", "S-75", now, {}), now)
    incident = {"category": "carousel", "description": "Buses at the door"}
    stored, _ = submit(obs1, Sent(uuid.uuid4(), "incident", "S-75", now, incident), now)
    attach(obs1, stored.client_uuid, [png_bytes()])
    other = {"category": "secrecy", "description": "Open voting"}
    submit(ow.observers["obs_b"], Sent(uuid.uuid4(), "incident", "S-75", now, other), now)
    try:
        submit(obs1, Sent(uuid.uuid4(), "check_in", "S-71", now, {}), now)
    except Exception:
        pass
    return ow


def login(name):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert client.login(username=name, password=PASSWORD)
    return client


def test_the_hq_sees_every_organisation(busy):
    rows = {
        r.station.code: r
        for r in dashboard.station_rows(busy.users["hq"], busy.election, dt.datetime.now(dt.UTC))
    }
    assert rows["S-75"].coverage == "present" and rows["S-75"].incidents == 2
    assert rows["S-71"].missing_check_in == 1 and rows["S-71"].coverage == "accredited"
    categories, regions = dashboard.incident_counts(busy.users["hq"], busy.election)
    assert categories == {"carousel": 1, "secrecy": 1} and regions == {"KZ-75": 2}
    (refused,) = dashboard.refused(busy.users["hq"])
    assert refused.station_code == "S-71"


def test_a_coordinator_sees_their_organisation_only(busy):
    categories, _ = dashboard.incident_counts(busy.users["coord"], busy.election)
    assert categories == {"carousel": 1}


def test_the_page_and_the_exports(busy):
    client = login("hq")
    page = client.get(HQ)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Buses at the door" in text and "Carousel" in text and "S-71" in text
    csv_text = client.get(HQ + "stations.csv").content.decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("Station,Number,Region")
    assert "S-75,1,KZ-75,2,1,1,2,0" in csv_text
    book = load_workbook(io.BytesIO(client.get(HQ + "stations.xlsx").content))
    values = list(book.active.values)
    assert values[0][0] == "Station" and ("S-75", 1, "KZ-75", 2, 1, 1, 2, 0) in values


def test_the_evidence_bundle_holds_photos_and_their_hashes(busy):
    answer = login("hq").get(HQ + "S-75/evidence.zip")
    assert answer.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(answer.content))
    names = archive.namelist()
    photo = next(n for n in names if n.startswith("media/"))
    data = archive.read(photo)
    assert photo == f"media/{hashlib.sha256(data).hexdigest()}.png"
    manifest = archive.read("MANIFEST.txt").decode()
    for name in names:
        if name != "MANIFEST.txt":
            assert f"{hashlib.sha256(archive.read(name)).hexdigest()}  {name}" in manifest
    submissions = archive.read("submissions.json").decode()
    assert "Buses at the door" in submissions and "900101" not in submissions
    assert "+7701" not in submissions


@pytest.mark.parametrize("name", ["obs1", "nobody"])
def test_observers_and_others_are_refused(busy, name):
    assert login(name).get(HQ).status_code == 403
    assert login(name).get(HQ + "S-75/evidence.zip").status_code == 403


def test_the_charter_lists_its_signatories_publicly(ow):
    from saylau.observation.models import CharterSignature

    CharterSignature.objects.create(
        organisation=ow.ak,
        charter_version="1",
        signatory="Айгүл Сейітқызы",
        signed_at=dt.datetime(2026, 5, 1, tzinfo=dt.UTC),
    )
    for lang in ("kk", "ru", "en"):
        page = Client().get(f"/{lang}/observe/charter/")
        assert page.status_code == 200
        assert "Адал Көз" in page.content.decode() and "Айгүл" in page.content.decode()


def test_the_map_colours_todays_regions_on_the_bundled_outlines(busy):
    from saylau.observation.stations_map import regions
    from saylau.stations.models import Station

    Station.objects.create(election=busy.election, code="SH-1", number=9, district="KZ-79")
    rows = dashboard.station_rows(busy.users["hq"], busy.election, dt.datetime.now(dt.UTC))
    found = {r.name: r for r in regions(rows)}
    assert len(found) == 16
    assert found["Almaty City"].css == "region share-high incidents"  # S-75, KZ-75
    assert found["Astana"].css == "region share-zero"  # S-71: accredited, nobody in yet
    assert found["South Kazakhstan"].stations == 1  # Shymkent (KZ-79) lies in it
    assert found["Pavlodar"].css == "region share-none"
    page = login("hq").get(HQ).content.decode()
    assert page.count('<path d="M') == 16 and "Almaty City" in page


def test_the_admin_lists_the_network(ow, admin_client):
    for model in ("organisation", "observer", "accreditation", "checklist", "trainingsession"):
        assert admin_client.get(f"/admin/observation/{model}/").status_code == 200
    assert (
        admin_client.get(f"/admin/observation/organisation/{ow.ak.pk}/change/").status_code == 200
    )
