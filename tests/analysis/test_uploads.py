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
    return client.post(f"/{lang}/analyses/new/", {"title": "Observers' analysis", "report": upload})


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
    assert client.get("/en/analyses/new/").status_code == 403
    assert post(client, zipped(of(folder))).status_code == 403
    assert client.get("/en/analyses/0123456789abcdef/").status_code == 404
    assert client.get("/en/analyses/../").status_code == 404


def test_the_urls_before_0047_redirect_to_the_new_ones(staff, folder):
    answer = post(staff, zipped(of(folder)))
    page_url = answer["Location"]
    upload_id = page_url.rstrip("/").rsplit("/", 1)[1]
    assert page_url == f"/en/analyses/{upload_id}/"
    for old, new in [
        (f"/ru/analysis/uploads/{upload_id}/", f"/ru/analyses/{upload_id}/"),
        (f"/kk/analysis/uploads/{upload_id}/report.pdf", f"/kk/analyses/{upload_id}/report.pdf"),
        ("/en/analysis/uploads/new/", "/en/analyses/new/"),
    ]:
        moved = staff.get(old)
        assert (moved.status_code, moved["Location"]) == (301, new), old
        assert staff.get(new).status_code == 200, new


def test_an_election_named_uploads_and_the_published_analyses_keep_apart(staff, folder, settings):
    """Its report at /analysis/uploads/ (and its folders under analysis/elections/) meets
    neither the published analyses' URLs nor their folder, also when old folders go."""
    from django.core.cache import cache

    from saylau.analysis import report_cache
    from saylau.analysis.run import Settings
    from tests.analysis.online_world import announce, simulated_election

    page_url = post(staff, zipped(of(folder)))["Location"]
    world = simulated_election("uploads", voters=300)
    announce(world)
    cache.clear()
    fast = Settings(draws=20, digit_draws=5, boot=20, null_draws=5)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(report_cache, "SETTINGS", fast)
        page = staff.get("/en/analysis/uploads/")
        assert page.status_code == 200 and 'data-test="online_bursts"' in page.content.decode()
        assert staff.get("/en/analysis/uploads/report.json").json()["election"] == "uploads"
        assert staff.get("/en/analysis/uploads/figures/online.svg").status_code == 200
        first = report_cache.key(world.election)
        world.election.status = "published"
        world.election.save(update_fields=["status"])
        assert report_cache.key(world.election) != first
        assert staff.get("/en/analysis/uploads/").status_code == 200  # a new key: old removed
    names = [p.name for p in report_cache.root(world.election).iterdir() if p.is_dir()]
    assert names == [report_cache.key(world.election)]
    assert staff.get(page_url).status_code == 200  # the published analysis is still there
    assert (Path(settings.VAR_DIR) / "analysis" / "uploads" / page_url.split("/")[-2]).is_dir()
