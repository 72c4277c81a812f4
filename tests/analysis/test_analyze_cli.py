"""`saylau analyze`: report.json's entries, the HTML and PDF with their figures, bad rows
listed and left out while the rest is analysed, a bad map refused, the same seed the same
report, the text in kk/ru/en."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest
import yaml
from typer.testing import CliRunner, Result

from saylau.cli.main import app
from saylau.forensics import simulate

runner = CliRunner()
HEADER = ["region", "uik", "voters", "issued", "invalid", "valid", "A", "B", "C"]
MAP = {
    "station": ["region", "uik"],
    "region": "region",
    "voters_on_list": "voters",
    "ballots_received": "voters",
    "ballots_issued": "issued",
    "ballots_in_boxes": ["invalid", "valid"],
    "invalid": "invalid",
    "valid": "valid",
    "options": ["A", "B", "C"],
}
TEST_IDS = {
    "kobak_integer_turnout",
    "kobak_integer_share",
    "second_digit",
    "last_digit",
    "klimek_fingerprint",
    "shpilkin",
    "control_relations",
}


def write_election(folder: Path, stations: int = 400, bad: bool = False) -> tuple[Path, Path]:
    """A simulated clean election as a commission's CSV (three options), and its map; with
    `bad`, four rows that must be left out are appended."""
    sim = simulate.election(stations, regions=4, seed=5).precincts
    rows = []
    for i in range(len(sim)):
        opts = sim.options[i]
        three = [int(opts[0]), int(opts[1]), int(opts[2:].sum())]
        invalid = int(sim.cast[i] - sim.valid[i])
        rows.append(
            [
                sim.region_names[sim.region[i]],
                i + 1,
                int(sim.voters[i]),
                int(sim.issued[i]),
                invalid,
                int(sim.valid[i]),
                *three,
            ]
        )
    if bad:
        rows.append(["region 1", "short", 100, 50])  # cells missing
        rows.append(["region 1", "neg", 100, 50, 0, 50, -3, 20, 33])
        rows.append(["region 2", "over", 100, 150, 0, 150, 50, 50, 50])
        rows.append(["region 2", "share", 100, 60, 0, 60, 70, 0, 0])  # 70 votes of 60 ballots
    data = folder / "results.csv"
    with data.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(HEADER)
        out.writerows(rows)
    columns = folder / "map.yaml"
    columns.write_text(yaml.safe_dump(MAP), encoding="utf-8")
    return data, columns


def analyze(data: Path, columns: Path, out: Path, *extra: str, lang: str = "en") -> Result:
    args = ["analyze", str(data), "--columns", str(columns), "--out", str(out), "--lang", lang]
    return runner.invoke(app, [*args, "--draws", "50", *extra])


@pytest.fixture(scope="module")
def done(tmp_path_factory: pytest.TempPathFactory) -> tuple[Result, Path]:
    folder = tmp_path_factory.mktemp("analyze")
    data, columns = write_election(folder, bad=True)
    return analyze(data, columns, folder / "out"), folder


def test_report_json_has_one_entry_per_test(done: tuple[Result, Path]) -> None:
    result, folder = done
    assert result.exit_code == 0, result.output
    report = json.loads((folder / "out" / "report.json").read_text(encoding="utf-8"))
    assert {t["test"] for t in report["tests"]} == TEST_IDS
    for entry in report["tests"]:
        assert {"test", "statistic", "flagged", "regions"} <= set(entry)
        assert "p_value" in entry or "interval" in entry
        assert isinstance(entry["flagged"], bool)
        for region in entry["regions"]:
            assert {"region", "statistic", "p_value", "flagged"} <= set(region)
    by_id = {t["test"]: t for t in report["tests"]}
    assert len(by_id["kobak_integer_turnout"]["regions"]) == 4
    assert len(by_id["second_digit"]["interval"]) == 2


def test_bad_rows_are_listed_and_the_rest_analysed(done: tuple[Result, Path]) -> None:
    result, folder = done
    report = json.loads((folder / "out" / "report.json").read_text(encoding="utf-8"))
    assert report["rows"] == 404 and report["stations"] == 400
    assert report["left_out_count"] == 4
    reasons = {r["row"]: [x["code"] for x in r["reasons"]] for r in report["left_out"]}
    assert reasons == {
        402: ["row.cells"],
        403: ["row.negative"],
        404: ["row.turnout_over_100"],
        405: ["row.option_over_valid"],
    }
    assert "left out: 4" in result.output
    assert "row 405: an option has more votes than there are valid ballots: 70 for 60" in (
        result.output
    )
    assert "row 404: turnout above 100 %: 150 ballots for 100 voters on the list" in result.output
    assert "row 403: A: -3 is negative" in result.output


def test_html_pdf_and_figures_are_written(done: tuple[Result, Path]) -> None:
    _result, folder = done
    out = folder / "out"
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "<html lang='en'>" in html and "A signal, not proof" in html
    for name in ("fingerprint", "histograms", "digits", "turnout_votes"):
        assert (out / f"{name}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert b"<svg" in (out / f"{name}.svg").read_bytes()[:500]
        assert f"{name}.svg" in html
    assert (out / "report.pdf").read_bytes()[:5] == b"%PDF-"
    assert not list(out.glob("*.partial"))


def test_the_same_seed_gives_the_same_report(tmp_path: Path) -> None:
    data, columns = write_election(tmp_path, stations=200)
    for name in ("a", "b"):
        assert analyze(data, columns, tmp_path / name, "--seed", "3").exit_code == 0
    a, b = (json.loads((tmp_path / n / "report.json").read_text()) for n in ("a", "b"))
    assert a == b
    assert analyze(data, columns, tmp_path / "c", "--seed", "4").exit_code == 0
    c = json.loads((tmp_path / "c" / "report.json").read_text())
    assert [t["details"] for t in c["tests"]] != [t["details"] for t in a["tests"]]


def test_a_map_naming_a_missing_column_is_refused(tmp_path: Path) -> None:
    data, columns = write_election(tmp_path, stations=50)
    doc = dict(MAP, region="province")
    columns.write_text(yaml.safe_dump(doc), encoding="utf-8")
    result = analyze(data, columns, tmp_path / "out")
    assert result.exit_code == 2
    assert "The column province (for region) is not in the CSV header." in result.output
    assert not (tmp_path / "out").exists()


def test_too_few_stations_are_refused(tmp_path: Path) -> None:
    data, columns = write_election(tmp_path, stations=10)
    result = analyze(data, columns, tmp_path / "out")
    assert result.exit_code == 2
    assert "Only 10 stations can be analysed" in result.output


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("ru", "Сигнал, а не доказательство"),
        ("kk", "Бұл дәлел емес, белгі"),
    ],
)
def test_report_in_russian_and_kazakh(tmp_path: Path, lang: str, text: str) -> None:
    data, columns = write_election(tmp_path, stations=100)
    result = analyze(data, columns, tmp_path / "out", lang=lang)
    assert result.exit_code == 0, result.output
    assert text in result.output
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert f"<html lang='{lang}'>" in html and text in html


def test_simulated_rows_round_trip_the_counts() -> None:
    sim = simulate.election(50, seed=1).precincts
    assert np.all(sim.options.sum(axis=1) == sim.valid)
    assert np.all(sim.issued <= sim.voters)


@pytest.mark.django_db
def test_the_report_on_an_election_of_this_server(tmp_path: Path) -> None:
    from tests.analysis.online_world import announce, simulated_election

    world = simulated_election("cli-own", attack=True)
    announce(world)
    out = tmp_path / "own"
    args = ["analyze", "--election", "cli-own", "--out", str(out), "--draws", "50"]
    result = runner.invoke(app, [*args, "--lang", "ru"])
    assert result.exit_code == 0, result.output
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["source"] == "saylau:cli-own" and report["language"] == "ru"
    online = {t["test"]: t for t in report["tests"] if "contest" not in t}
    assert all(t["flagged"] for t in online.values()) and len(online) == 4
    assert {t["contest"] for t in report["tests"] if "contest" in t} == {
        "kz-75-seat",
        "kz-71-seat",
    }
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "<html lang='ru'>" in html and "Всплески онлайн-входов" in html
    assert "online.svg" in html and (out / "report.pdf").read_bytes()[:5] == b"%PDF-"
    assert "Всплески онлайн-входов" in result.output


@pytest.mark.django_db
def test_an_unknown_election_or_no_input_is_refused(tmp_path: Path) -> None:
    result = runner.invoke(app, ["analyze", "--election", "nope", "--out", str(tmp_path)])
    assert result.exit_code == 2
    result = runner.invoke(app, ["analyze", "--out", str(tmp_path), "--lang", "en"])
    assert result.exit_code == 2
    assert "Give RESULTS.csv with --columns MAP.yaml, or --election SLUG." in result.output
