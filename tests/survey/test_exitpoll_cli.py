"""`saylau exitpoll design` and `saylau exitpoll estimate`: quotas in the sample file, the
estimate with non-response weighting, the WPE against the official count, bad rows listed."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest
import yaml

from saylau.cli.main import app
from saylau.survey import simulate
from tests.survey.test_pvt_cli import MAP, OPTIONS, election_rows, pvt, runner, write_rows

POLL_HEADER = ["region", "station", *OPTIONS, "refused", "counted"]
POLL_MAP = {
    "station": "station",
    "region": "region",
    "options": OPTIONS,
    "refusals": "refused",
    "voters_counted": "counted",
}
FRAME_MAP = {"station": "station", "region": "region", "voters_on_list": "voters"}


def exitpoll(*args: str | Path, lang: str = "en"):
    return runner.invoke(app, ["exitpoll", *map(str, args), "--lang", lang])


def write_poll(path: Path, rows: list[list[object]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(POLL_HEADER)
        writer.writerows(rows)
    return path


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    root = tmp_path_factory.mktemp("exitpoll")
    e = simulate.election(np.random.default_rng(11), stations=2000, regions=6)
    official = write_rows(root / "official.csv", election_rows(e, range(2000)))
    maps = {}
    for name, doc in (("map", MAP), ("frame", FRAME_MAP), ("poll_map", POLL_MAP)):
        maps[name] = root / f"{name}.yaml"
        maps[name].write_text(yaml.safe_dump(doc), encoding="utf-8")
    sample = root / "sample.csv"
    result = exitpoll(
        "design", official, "--columns", maps["frame"], "--margin", "0.03", "--seed", "e1",
        "--out", sample, "--interviews", "50", "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    plan = list(csv.DictReader(sample.open(encoding="utf-8-sig")))
    chosen = [int(r["row"]) - 2 for r in plan]
    poll = simulate.exit_poll(np.random.default_rng(12), e, chosen, approaches=70)
    rows = [
        [e.regions[i], e.stations[i], *(int(a) for a in poll.answers[k]), int(poll.refusals[k]),
         int(poll.voters[k])]
        for k, i in enumerate(chosen)
    ]  # fmt: skip
    return {
        "election": e, "official": official, "sample": sample, "plan": plan, "rows": rows,
        "poll": write_poll(root / "poll.csv", rows), "design": json.loads(result.stdout),
        "chosen": chosen, **maps,
    }  # fmt: skip


def test_the_design_sets_quotas_and_plans_for_the_interviews(world):
    doc, first = world["design"], world["plan"][0]
    assert doc["interviews"] == 50 and doc["expected_margin"] <= 0.03
    assert first["interviews"] == "50" and first["approaches"] == str(int(np.ceil(50 / 0.7)))
    expected = int(first["voters_on_list"]) * 0.6 / int(first["approaches"])
    assert int(first["approach_every"]) == max(1, int(expected))
    # the interviews add within-station variance: the same margin needs more stations
    # than a PVT design of the same frame
    same = pvt(
        "design", world["official"], "--columns", world["frame"], "--margin", "0.03",
        "--seed", "e1", "--out", world["sample"].with_name("pvt.csv"), "--json",
    )  # fmt: skip
    assert json.loads(same.stdout)["sample"] < doc["sample"]


def test_the_estimate_compares_with_the_official_count(world):
    result = exitpoll(
        "estimate", world["poll"], "--columns", world["poll_map"],
        "--design", world["sample"],
        "--official", world["official"], "--official-columns", world["map"], "--json",
        "--bootstrap", "400",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    e = world["election"]
    assert doc["stations"] == len(world["chosen"]) and doc["dropped"] == 0
    assert doc["respondents"] + doc["refusals"] == sum(
        sum(int(c) for c in row[2:7]) for row in world["rows"]
    )
    top = doc["options"][0]
    assert top["official"] == pytest.approx(e.shares[0])
    assert top["official_inside"] and top["official_inside_bootstrap"]
    wpe = doc["wpe"]
    assert wpe["pair"] == ["Party A", "Party B"] and wpe["stations"] == len(world["chosen"])
    assert abs(wpe["mean"]) < 3 * wpe["se"]  # honest answers: no systematic error
    first = wpe["per_station"][0]
    row = world["rows"][0]
    answers = np.array(row[2:6], float)
    votes = e.votes[world["chosen"][0]]
    poll_margin = (answers[0] - answers[1]) / answers.sum()
    official_margin = (votes[0] - votes[1]) / e.valid[world["chosen"][0]]
    assert first["station"] == row[1]
    assert first["wpe"] == pytest.approx(poll_margin - official_margin)
    text = exitpoll(
        "estimate", world["poll"], "--columns", world["poll_map"],
        "--design", world["sample"], "--official", world["official"],
        "--official-columns", world["map"], "--bootstrap", "0", lang="ru",
    ).output  # fmt: skip
    assert "Экзитпол" in text and "Внутриучастковая ошибка" in text


def test_bad_poll_rows_are_listed_and_the_rest_used(world, tmp_path):
    rows = [list(r) for r in world["rows"]]
    rows[0][6] = "x"  # refusals not a number
    rows[1][7] = ""  # voters counted empty
    rows[2][2:6] = [0, 0, 0, 0]  # nobody answered: the station is dropped, not refused
    bad = write_poll(tmp_path / "bad.csv", rows)
    args = ["--columns", world["poll_map"], "--design", world["sample"]]
    result = exitpoll("estimate", bad, *args, "--bootstrap", "0", "--json")
    assert result.exit_code == 1, result.output
    doc = json.loads(result.stdout)
    assert doc["unreadable_rows"] == [2, 3] and doc["dropped"] == 1
    assert doc["stations"] == len(rows) - 3
    text = exitpoll("estimate", bad, *args, "--bootstrap", "0").output
    assert "row 2: refused: x is not a number" in text and "row 3: counted is empty" in text


def test_the_official_file_needs_its_protocol_map(world):
    args = ["--columns", world["poll_map"], "--design", world["sample"]]
    result = exitpoll("estimate", world["poll"], *args, "--official", world["official"])
    assert result.exit_code == 2 and "--official-columns" in result.output
    no_refusals = world["poll_map"].with_name("no-refusals.yaml")
    no_refusals.write_text(
        yaml.safe_dump({k: v for k, v in POLL_MAP.items() if k != "refusals"}), encoding="utf-8"
    )
    args = ["--columns", no_refusals, "--design", world["sample"]]
    result = exitpoll("estimate", world["poll"], *args)
    assert result.exit_code == 2 and "The column map has no refusals" in result.output
