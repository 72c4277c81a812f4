"""Staff publish a report directory made by `saylau analyze` on a CSV (a ZIP): the public
page shows its tests with report.json's numbers, its PNG figures and PDF; a file that is no
ZIP, a ZIP without report.json, a report with an unknown test or a fake PNG are refused with
a sentence, and nothing is stored; only staff may upload."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.analysis.test_analyze_cli import analyze, write_election

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = tmp_path_factory.mktemp("upload")
    data, columns = write_election(where, stations=120)
    assert analyze(data, columns, where / "out").exit_code == 0
    return where / "out"


@pytest.fixture
def staff(client: Any, settings: Any, tmp_path: Path) -> Any:
    settings.VAR_DIR = tmp_path
    user = get_user_model().objects.create_user("observer-hq", password="x", is_staff=True)
    client.force_login(user)
    return client


def zipped(files: dict[str, bytes]) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, data in files.items():
            z.writestr(f"out/{name}", data)
    return SimpleUploadedFile("report.zip", buffer.getvalue(), content_type="application/zip")


def of(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def post(client: Any, upload: SimpleUploadedFile, lang: str = "en") -> Any:
    return client.post(
        f"/{lang}/analysis/uploads/new/", {"title": "Observers' analysis", "report": upload}
    )


def test_a_published_report_shows_its_numbers_figures_and_pdf(staff, folder):
    answer = post(staff, zipped(of(folder)))
    assert answer.status_code == 302
    page_url = answer["Location"]
    report = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    staff.logout()
    for lang in ("kk", "ru", "en"):
        page = staff.get(page_url.replace("/en/", f"/{lang}/"))
        assert page.status_code == 200
        html = page.content.decode()
        sections = html.split('<section class="test')[1:]
        assert len(sections) == len(report["tests"])
        for entry, section in zip(report["tests"], sections, strict=True):
            got = dict(re.findall(r'data-field="(\w+)" data-value="([^"]*)"', section))
            assert float(got["statistic"]) == entry["statistic"]
    assert html.count("<img ") == 4 and ".svg" not in html
    png = re.search(r'<img src="([^"]+)"', html)
    assert png is not None
    image = staff.get(png.group(1))
    assert image.status_code == 200 and image.content[:4] == b"\x89PNG"
    pdf = staff.get(page_url + "report.pdf")
    assert pdf.status_code == 200 and pdf.content[:5] == b"%PDF-"
    assert staff.get(page_url + "report.json").json() == report
    assert staff.get(page_url + "meta.json").status_code == 404
    assert staff.get(page_url + "report.html").status_code == 404


@pytest.mark.parametrize(
    ("files", "message"),
    [
        (None, "The file is not a ZIP archive."),
        ({"fingerprint.png": b"x"}, "The ZIP has no report.json."),
        ({"report.json": b"{"}, "report.json is not JSON in UTF-8."),
        ({"report.json": b'{"schema": "other"}'}, "is not a report of saylau analyze"),
        ("unknown-test", "Test 1 of report.json is not one saylau knows."),
        ("text-statistic", "Test 1 of report.json has a value that is not a number or a flag."),
        ("fake-png", "fingerprint.png in the ZIP is not what its name says."),
    ],
)
def test_a_bad_upload_is_refused_with_a_sentence(staff, folder, settings, files, message):
    good = of(folder)
    report = json.loads(good["report.json"])
    if files == "unknown-test":
        report["tests"][0]["test"] = "made_up"
        files = {"report.json": json.dumps(report).encode()}
    elif files == "text-statistic":
        report["tests"][0]["statistic"] = "<script>"
        files = {"report.json": json.dumps(report).encode()}
    elif files == "fake-png":
        files = {**good, "fingerprint.png": b"<svg onload=alert(1)>"}
    upload = SimpleUploadedFile("r.zip", b"not a zip") if files is None else zipped(files)
    answer = post(staff, upload)
    assert answer.status_code == 400
    assert message in answer.content.decode().replace("&#x27;", "'")
    assert not (Path(settings.VAR_DIR) / "analysis" / "uploads").exists()


def test_only_staff_may_upload(client, folder, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    assert client.get("/en/analysis/uploads/new/").status_code == 403
    assert post(client, zipped(of(folder))).status_code == 403
    assert client.get("/en/analysis/uploads/0123456789abcdef/").status_code == 404
    assert client.get("/en/analysis/uploads/../").status_code == 404
