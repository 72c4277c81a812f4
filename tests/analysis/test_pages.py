"""The report pages of an election's own results (/<lang>/analysis/<slug>/): every test with
the numbers of report.json, the caveat in the page's language, the JSON, PDF and figures
(the SVGs with their own strict CSP), nothing public before the results are announced, and
the report computed once per set of inputs."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.utils import translation

from saylau.analysis import election_report, report_cache
from saylau.analysis.run import Settings
from saylau.analysis.texts import CAVEATS
from saylau.board.models import Leaf, LeafKind
from tests.analysis.online_world import OnlineWorld, announce, simulated_election

pytestmark = pytest.mark.django_db
FAST = Settings(draws=40, digit_draws=5, boot=40, null_draws=10)


@pytest.fixture(autouse=True)
def fast_reports(settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Reports under this test's own folder, with fewer Monte-Carlo draws, a clean cache."""
    settings.VAR_DIR = tmp_path
    monkeypatch.setattr(report_cache, "SETTINGS", FAST)
    cache.clear()


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The elections the report was built for (the real build, counted)."""
    made: list[str] = []
    real = election_report.build

    def counted(election: Any, *args: Any, **kwargs: Any) -> Any:
        made.append(election.slug)
        return real(election, *args, **kwargs)

    monkeypatch.setattr(election_report, "build", counted)
    yield made


@pytest.fixture
def world() -> OnlineWorld:
    w = simulated_election("analysed", attack=True)
    announce(w)
    return w


def sections(html: str) -> list[str]:
    return html.split('<section class="test')[1:]


def values(section: str) -> dict[str, str]:
    return dict(re.findall(r'data-field="(\w+)" data-value="([^"]*)"', section))


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_the_page_shows_every_test_with_the_numbers_of_report_json(client, world, lang):
    slug = world.election.slug
    answer = client.get(f"/{lang}/analysis/{slug}/")
    assert answer.status_code == 200
    html = answer.content.decode()
    assert f'<html lang="{lang}">' in html
    report = client.get(f"/{lang}/analysis/{slug}/report.json").json()
    shown = sections(html)
    assert len(shown) == len(report["tests"]) > 4
    for entry, section in zip(report["tests"], shown, strict=True):
        assert f'data-test="{entry["test"]}"' in section
        got = values(section)
        assert float(got["statistic"]) == entry["statistic"]
        if "p_value" in entry and entry["p_value"] is not None:
            assert float(got["p_value"]) == entry["p_value"]
        if "interval" in entry:
            assert [float(x) for x in got["interval"].split()] == entry["interval"]
        assert got["flagged"] == ("true" if entry["flagged"] else "false")
        qs = [float(q) for q in re.findall(r'data-q="([^"]+)"', section) if q != "None"]
        assert qs == [r["q_value"] for r in entry["regions"] if r["q_value"] is not None]
        with translation.override(lang):
            assert translation.gettext(CAVEATS[entry["test"]]) in section.replace("&#x27;", "'")
    flagged = {e["test"] for e in report["tests"] if e["flagged"] and "contest" not in e}
    assert flagged == {"online_bursts", "online_networks", "online_revotes", "online_geography"}
    for name in report["figures"]:
        assert f"/{lang}/analysis/{slug}/figures/{name}.svg" in html


def test_the_downloads(client, world):
    slug = world.election.slug
    report = client.get(f"/ru/analysis/{slug}/report.json")
    assert report.status_code == 200 and report["Content-Type"] == "application/json"
    doc = report.json()
    assert doc["schema"] == "saylau-forensics-report/1" and doc["election"] == slug
    pdf = client.get(f"/kk/analysis/{slug}/report.pdf")
    assert pdf.status_code == 200 and pdf.content[:5] == b"%PDF-"
    assert "online" in doc["figures"] and "kz-75-seat.fingerprint" in doc["figures"]
    svg = client.get(f"/en/analysis/{slug}/figures/online.svg")
    assert svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml"
    policy = svg["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "script" not in policy
    assert b"<svg" in svg.content[:600]
    png = client.get(f"/en/analysis/{slug}/figures/kz-71-seat.digits.png")
    assert png.status_code == 200 and png.content[:4] == b"\x89PNG"
    assert client.get(f"/en/analysis/{slug}/figures/nothing.svg").status_code == 404
    assert client.get(f"/en/analysis/{slug}/figures/..%2Freport.svg").status_code == 404


def test_nothing_is_public_before_the_results_are_announced(client, calls):
    world = simulated_election("not-yet")
    slug = world.election.slug
    for path in ("", "report.json", "report.pdf", "figures/online.svg"):
        answer = client.get(f"/en/analysis/{slug}/{path}")
        assert answer.status_code == 403, path
    assert "once its results are announced" in client.get(f"/en/analysis/{slug}/").content.decode()
    assert client.get("/en/analysis/no-such-election/").status_code == 404
    assert calls == []
    staff = get_user_model().objects.create_user("organiser", password="x", is_staff=True)
    client.force_login(staff)
    answer = client.get(f"/ru/analysis/{slug}/")
    assert answer.status_code == 200
    assert "Not public yet" not in answer.content.decode()  # in Russian
    assert calls == [slug]


def test_the_report_is_computed_once_per_set_of_inputs(client, world, calls, settings):
    slug = world.election.slug
    for lang in ("kk", "ru", "en"):
        assert client.get(f"/{lang}/analysis/{slug}/").status_code == 200
    assert client.get(f"/en/analysis/{slug}/report.json").status_code == 200
    assert client.get(f"/en/analysis/{slug}/figures/online.svg").status_code == 200
    assert calls == [slug]
    cache.clear()  # another process: it finds the files on disk
    assert client.get(f"/en/analysis/{slug}/").status_code == 200
    assert calls == [slug]
    last = Leaf.objects.filter(election=world.election).order_by("-index").first()
    assert last is not None
    Leaf.objects.create(
        election=world.election,
        index=last.index + 1,
        data=b"{}",
        leaf_hash=bytes(32),
        root_hash=bytes(32),
        kind=LeafKind.CAST,
        time=last.time + 1000,
        credential=f"{5:064x}",
    )
    assert client.get(f"/en/analysis/{slug}/").status_code == 200
    assert calls == [slug, slug]
    folders = [p.name for p in report_cache.root(world.election).iterdir() if p.is_dir()]
    assert folders == [report_cache.key(world.election)]  # the older key was removed


def test_an_election_with_no_data_yet_shows_a_report_not_an_error(client):
    from saylau.demo import play as demo
    from saylau.elections import services

    election = services.create_election(
        demo.sample_manifest("empty-one"), actor="test", trustees=3, threshold=2
    )
    staff = get_user_model().objects.create_user("organiser", password="x", is_staff=True)
    client.force_login(staff)
    answer = client.get(f"/en/analysis/{election.slug}/")
    assert answer.status_code == 200
    assert "too few for the station tests" not in answer.content.decode()
    assert client.get(f"/en/analysis/{election.slug}/report.json").json()["figures"] == []


def test_a_stored_protocol_that_does_not_fit_is_named_not_a_server_error(client, world):
    from saylau.paper.models import Protocol

    broken = Protocol.objects.filter(election=world.election).first()
    assert broken is not None
    broken.options = {"no-such-option": 3}
    broken.save(update_fields=["options"])
    answer = client.get(f"/en/analysis/{world.election.slug}/")
    assert answer.status_code == 409
    assert "A stored protocol does not fit the election" in answer.content.decode()
    assert client.get(f"/en/analysis/{world.election.slug}/report.json").status_code == 409
