"""`saylau pvt design` and `saylau pvt estimate` on CSV files: the sample file, the estimate
against the official result, malformed rows listed and the rest used, unusable inputs."""

from __future__ import annotations

import csv
import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import yaml
from typer.testing import CliRunner, Result

from saylau.cli.main import app
from saylau.survey import design, simulate

runner = CliRunner()
OPTIONS = ["Party A", "Party B", "Party C", "Party D"]
HEADER = ["region", "station", "voters", "cast", "valid", *OPTIONS]
MAP = {
    "station": "station",
    "region": "region",
    "voters_on_list": "voters",
    "ballots_in_boxes": "cast",
    "valid": "valid",
    "options": OPTIONS,
}
FRAME_MAP = {"station": "station", "region": "region", "voters_on_list": "voters"}


def pvt(*args: str | Path, lang: str = "en") -> Result:
    return runner.invoke(app, ["pvt", *map(str, args), "--lang", lang])


def write_rows(path: Path, rows: list[list[object]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def election_rows(e: simulate.Election, positions: range | list[int]) -> list[list[object]]:
    return [
        [e.regions[i], e.stations[i], int(e.voters[i]), int(e.cast[i]), int(e.valid[i])]
        + [int(v) for v in e.votes[i]]
        for i in positions
    ]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """An election of 2,000 stations as an official CSV, the maps, a design and its results."""
    root = tmp_path_factory.mktemp("pvt")
    e = simulate.election(np.random.default_rng(7), stations=2000, regions=6)
    official = write_rows(root / "official.csv", election_rows(e, range(2000)))
    maps = {}
    for name, doc in (("map", MAP), ("frame", FRAME_MAP)):
        maps[name] = root / f"{name}.yaml"
        maps[name].write_text(yaml.safe_dump(doc), encoding="utf-8")
    sample = root / "sample.csv"
    result = pvt(
        "design", official, "--columns", maps["frame"], "--margin", "0.02", "--seed", "s1",
        "--out", sample, "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    chosen = [int(r["row"]) - 2 for r in csv.DictReader(sample.open(encoding="utf-8-sig"))]
    results = write_rows(root / "results.csv", election_rows(e, chosen))
    return {
        "election": e, "official": official, "sample": sample, "results": results,
        "design": json.loads(result.stdout), "chosen": chosen, "root": root, **maps,
    }  # fmt: skip


def test_design_writes_the_published_draw(world):
    e, doc = world["election"], world["design"]
    assert doc["expected_margin"] <= doc["margin"] == 0.02
    assert doc["planning"] == "sd" and doc["seed"] == "s1" and len(doc["frame_sha256"]) == 64
    sizes = {h: v["sample"] for h, v in doc["strata"].items()}
    assert sum(sizes.values()) == doc["sample"] == len(world["chosen"])
    assert world["chosen"] == design.draw(e.stations, e.regions, sizes, "s1")
    rows = list(csv.DictReader(world["sample"].open(encoding="utf-8-sig")))
    first = rows[0]
    assert int(first["stations_in_region"]) == e.sizes[first["region"]]
    assert float(first["weight"]) == pytest.approx(
        int(first["stations_in_region"]) / int(first["sampled_in_region"])
    )


def test_design_with_past_results_plans_from_them(world, tmp_path):
    out = tmp_path / "s.csv"
    args = ["--margin", "0.01", "--seed", "x", "--out", out, "--json"]
    result = pvt("design", world["official"], "--columns", world["map"], *args)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["planning"] == "results"


def test_estimate_against_the_official_result(world):
    result = pvt(
        "estimate", world["results"], "--columns", world["map"], "--design", world["sample"],
        "--official", world["official"], "--json", "--bootstrap", "500",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    e = world["election"]
    assert doc["stations"] == len(world["chosen"]) and doc["strata"] == 6
    for entry, truth in zip(doc["options"], e.shares, strict=True):
        assert entry["official"] == pytest.approx(truth)
        low, high = entry["interval"]
        assert low < entry["estimate"] < high and high - low < 0.06
        assert entry["official_inside"] == (low <= truth <= high)
        assert entry["z"] == pytest.approx((truth - entry["estimate"]) / entry["se"])
    assert doc["options"][0]["official_inside"] and doc["options"][0]["official_inside_bootstrap"]
    assert doc["turnout"]["official"] == pytest.approx(e.turnout)
    assert doc["unreadable_rows"] == [] and doc["not_in_sample_rows"] == []


def test_the_human_report_is_in_the_chosen_language(world):
    args = ["--columns", world["map"], "--design", world["sample"], "--bootstrap", "0"]
    result = pvt("estimate", world["results"], *args, "--official", world["official"], lang="ru")
    assert result.exit_code == 0, result.output
    assert "Параллельный подсчёт голосов" in result.output and "явка" in result.output
    design_out = pvt(
        "design", world["official"], "--columns", world["frame"], "--margin", "0.02",
        "--seed", "s1", "--out", world["root"] / "again.csv", lang="kk",
    )  # fmt: skip
    assert "Аймақтар бойынша іріктеме" in design_out.output
    assert (world["root"] / "again.csv").read_bytes() == world["sample"].read_bytes()


def test_malformed_rows_are_listed_and_the_rest_used(world, tmp_path):
    e, chosen = world["election"], world["chosen"]
    rows = election_rows(e, chosen)
    rows[0][5] = "-3"  # row 2: a negative count
    rows[1][6] = "many"  # row 3: not a number
    rows[2] = rows[2][:-1]  # row 4: a cell missing
    rows[3][0] = " "  # row 5: no region
    rows.append(list(rows[5]))  # last row: the station again
    extra = next(i for i in range(2000) if i not in set(chosen))
    rows += election_rows(e, [extra])  # a station that is not in the sample
    bad = write_rows(tmp_path / "bad.csv", rows)
    args = ["--columns", world["map"], "--design", world["sample"], "--bootstrap", "0"]
    result = pvt("estimate", bad, *args, "--json")
    assert result.exit_code == 1, result.output
    doc = json.loads(result.stdout)
    last = len(rows) + 1
    assert doc["unreadable_rows"] == [2, 3, 4, 5, last - 1]
    assert doc["not_in_sample_rows"] == [last]
    assert doc["stations"] == len(chosen) - 4
    assert sorted(doc["sampled_without_results"]) == sorted(e.stations[i] for i in chosen[:4])
    text = pvt("estimate", bad, *args).output
    for reason in (
        "row 2: Party A: -3 is negative",
        "row 3: Party B: many is not a number",
        "row 4: the row has 8 cells; the header has 9",
        "row 5: region is empty",
        f"row {last - 1}: the station {e.stations[chosen[5]]} is also in row 7",
        f"Rows left out, their station is not in the sample: {last}",
    ):
        assert reason in text, text


def test_a_region_with_one_reporting_station_is_refused_by_name(world, tmp_path):
    e, chosen = world["election"], world["chosen"]
    region = e.regions[chosen[0]]
    keep = [i for i in chosen if e.regions[i] != region] + [chosen[0]]
    short = write_rows(tmp_path / "short.csv", election_rows(e, keep))
    args = ["--columns", world["map"], "--design", world["sample"], "--bootstrap", "0"]
    result = pvt("estimate", short, *args, lang="ru")
    assert result.exit_code == 2
    assert f"В {region} сообщил только один участок выборки" in result.output


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"valid": None}, "The column map has no valid: it is required."),
        ({"valid": "Valid ballots"}, "The column Valid ballots (for valid) is not in the CSV"),
    ],
)
def test_a_bad_map_stops_before_any_row(world, tmp_path, change, message):
    doc = {k: v for k, v in {**MAP, **change}.items() if v is not None}
    bad_map = tmp_path / "bad.yaml"
    bad_map.write_text(yaml.safe_dump(doc), encoding="utf-8")
    result = pvt("estimate", world["results"], "--columns", bad_map, "--design", world["sample"])
    assert result.exit_code == 2 and message in result.output


def test_an_edited_sample_file_is_refused(world, tmp_path):
    text = world["sample"].read_text(encoding="utf-8-sig").splitlines()
    cells = text[1].split(",")
    cells[4] = str(int(cells[4]) + 1)  # another size for the region of row 2
    edited = tmp_path / "edited.csv"
    edited.write_text("\n".join([text[0], ",".join(cells), *text[2:]]) + "\n", encoding="utf-8")
    args = ["--columns", world["map"], "--design", edited, "--bootstrap", "0"]
    result = pvt("estimate", world["results"], *args)
    assert result.exit_code == 2
    assert "was changed or is not one `pvt design` wrote" in result.output


def test_without_a_design_the_official_table_gives_the_regions(world):
    args = ["--columns", world["map"], "--official", world["official"], "--bootstrap", "0"]
    result = pvt("estimate", world["results"], *args, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["strata"] == 6
    no_region = pvt("estimate", world["results"], "--columns", world["frame"])
    assert no_region.exit_code == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--margin", "0"], "The margin must be more than 0"),
        (["--margin", "0.01", "--sd", "0.9"], "planning standard deviation"),
        (["--margin", "0.01", "--allocation", "random"], "--allocation must be"),
    ],
)
def test_bad_design_options_are_named(world, tmp_path, args, message):
    out = tmp_path / "s.csv"
    frame = ["--columns", world["frame"], "--seed", "s", "--out", out]
    result = pvt("design", world["official"], *frame, *args)
    assert result.exit_code == 2 and message in result.output
    assert not out.exists()


def test_the_bootstrap_progress_bar_shows_on_a_terminal(world):
    controller, terminal = pty.openpty()
    env = {**os.environ, "COLUMNS": "100", "TERM": "xterm"}
    command = [sys.executable, "-m", "saylau.cli.main", "pvt", "estimate", str(world["results"])]
    args = ["--columns", str(world["map"]), "--design", str(world["sample"]), "--lang", "en"]
    done = subprocess.run(
        [*command, *args], stdout=subprocess.PIPE, stderr=terminal, env=env, timeout=120
    )
    os.close(terminal)
    shown = b""
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    os.close(controller)
    assert done.returncode == 0, done.stdout
    assert b"bootstrap" in shown and b"1000/1000" in shown.replace(b" ", b"")
    assert b"Parallel vote tabulation" in done.stdout


def test_a_census_shows_any_change_to_the_official_table(world, tmp_path):
    """With every station sampled there is no sampling error: 300 votes moved from A to B in
    the official table put it outside the (zero-width) interval, and z is null, not Infinity."""
    e = world["election"]
    sample = tmp_path / "all.csv"
    frame = ["--columns", world["frame"], "--seed", "s", "--out", sample]
    assert pvt("design", world["official"], *frame, "--margin", "0.00001").exit_code == 0
    rows = election_rows(e, range(2000))
    big = int(np.argmax(e.votes[:, 0]))  # a station with more than 300 votes for A
    rows[big][5] -= 300
    rows[big][6] += 300
    changed = write_rows(tmp_path / "changed.csv", rows)
    args = ["--columns", world["map"], "--design", sample, "--bootstrap", "0", "--json"]
    result = pvt("estimate", world["official"], *args, "--official", changed)
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    a = doc["options"][0]
    assert a["se"] == 0 and a["estimate"] == pytest.approx(e.shares[0])
    assert not a["official_inside"] and a["z"] is None
    assert a["difference"] == pytest.approx(-300 / e.valid.sum())


def test_a_file_with_no_usable_row_is_refused(world, tmp_path):
    empty = write_rows(tmp_path / "empty.csv", [])
    frame = ["--columns", world["frame"], "--seed", "s", "--out", tmp_path / "s.csv"]
    result = pvt("design", empty, *frame, "--margin", "0.01", lang="ru")
    assert result.exit_code == 2 and "Не осталось ни одного пригодного участка" in result.output
    bad = write_rows(tmp_path / "bad.csv", [["R00", "S00001", "x", 1, 1, 1, 0, 0, 0]])
    args = ["--columns", world["map"], "--design", world["sample"], "--bootstrap", "0"]
    result = pvt("estimate", bad, *args)
    assert result.exit_code == 2 and "No usable station is left" in result.output
