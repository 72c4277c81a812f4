"""`saylau stations import|commission|assign|list|voter-list`: rows kept, rows refused by
line, exit codes, an audit event with counts only, the PDF written."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from saylau.cli.main import app
from saylau.elections.models import AuditEvent
from tests.stations.conftest import STATION_HEADER, STATIONS, csv_bytes, voters_in

pytestmark = pytest.mark.django_db
runner = CliRunner()


def run(*args, code=0, lang="en"):
    result = runner.invoke(app, ["stations", *map(str, args), "--lang", lang])
    assert result.exit_code == code, result.output
    return result.output


def test_import_commission_assign_list_and_voter_list(world, tmp_path):
    slug = world.election.slug
    stations_csv = tmp_path / "stations.csv"
    stations_csv.write_bytes(
        csv_bytes([*STATIONS, ("BAD", "x", "KZ-75", "a", "", "")], STATION_HEADER)
    )
    out = run("import", slug, stations_csv, "--report", tmp_path / "rejected.csv", code=1)
    assert "Rows accepted: 3 (new 3" in out and "rejected: 1" in out
    assert "5" in out and "whole number" in out
    assert (tmp_path / "rejected.csv").read_text().splitlines()[1].startswith("5,")

    commission = tmp_path / "commission.csv"
    commission.write_bytes(
        csv_bytes([("ALM-1", "Серікбаев Нұрлан", "chair")], ("station", "name", "role"))
    )
    assert "new 1" in run("commission", slug, commission)

    almaty = voters_in(world, "KZ-75")
    paper = tmp_path / "paper.csv"
    paper.write_bytes(csv_bytes([(v.iin, "ALM-1") for v in almaty], ("iin", "station")))
    out = run("assign", slug, paper)
    assert f"new {len(almaty)}" in out
    assert not any(v.iin in out for v in almaty)

    listing = run("list", slug)
    assert "ALM-1" in listing and "AST-1" in listing and "Stations: 3" in listing
    assert "Серікбаев" in listing
    assert "ALM-1" in run("list", slug, "--district", "KZ-75")
    assert "AST-1" not in run("list", slug, "--district", "KZ-75")

    pdf = tmp_path / "voters.pdf"
    result = runner.invoke(
        app, ["stations", "voter-list", slug, "ALM-1", "--lang", "kk", "--out", pdf]
    )
    assert result.exit_code == 0, result.output
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.read_bytes())).pages)
    assert "Сайлаушылар тізімі" in text and "Серікбаев Нұрлан" in text
    assert not any(v.iin in text for v in almaty)

    events = list(AuditEvent.objects.filter(election=world.election).order_by("id"))
    assert [e.action for e in events] == [
        "stations.import",
        "stations.commission",
        "stations.assign",
    ]
    assert events[0].details == {
        "file": "stations.csv",
        "created": 3,
        "updated": 0,
        "unchanged": 0,
        "rejected": 1,
    }
    assert not any(v.iin in str(e.details) for e in events for v in almaty)


def test_refusals_are_one_sentence(world, tmp_path):
    slug = world.election.slug
    assert "no election" in run("import", "no-such", tmp_path / "x.csv", code=2).lower()
    assert "cannot be read" in run("import", slug, tmp_path / "missing.csv", code=2)
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"code,number\nA,1\n")
    assert "no column for: district, address" in run("import", slug, bad, code=2)
    out = run("voter-list", slug, "NOPE", "--out", tmp_path / "v.pdf", code=2)
    assert "NOPE" in out and "Traceback" not in out


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("kk", "Қабылданған жолдар"), ("ru", "Принято строк"), ("en", "Rows accepted")],
)
def test_messages_in_each_language(world, tmp_path, lang, expected):
    path = tmp_path / "stations.csv"
    path.write_bytes(csv_bytes(STATIONS, STATION_HEADER))
    assert expected in run("import", world.election.slug, path, lang=lang)
