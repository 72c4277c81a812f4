"""`saylau paper check-protocols`: the --json shape, exit codes 0/1/2, the report in kk and ru,
--all, --failing-csv, the progress bar on a terminal, and the 95,225 protocols of the 2011
State Duma election."""

from __future__ import annotations

import csv
import json
import os
import pty
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner, Result

from saylau.cli.main import app
from saylau.paper.column_map import load_map, parse_map
from saylau.paper.csv_check import check_csv
from saylau.protocol.paper_protocol import RELATION_CODES
from tests.paper.test_csv_check import BROKEN, MAP, row, write_csv

runner = CliRunner()
REPO = Path(__file__).parents[2]
EXAMPLE = REPO / "docs" / "examples" / "duma-2011-columns.yaml"
DUMA_2011 = Path(
    os.environ.get("SAYLAU_DUMA_2011", REPO.parent / "shared/data/ru-precincts/duma-2011.csv.zip")
)


def check(*args: str | Path, lang: str = "en") -> Result:
    return runner.invoke(app, ["paper", "check-protocols", *map(str, args), "--lang", lang])


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    """A CSV of the hand-made protocols (one good, the others each breaking relations) and
    its map."""
    data = write_csv(tmp_path / "p.csv", [r for r, _c, _p in BROKEN])
    columns = tmp_path / "map.yaml"
    columns.write_text(yaml.safe_dump(MAP, allow_unicode=True), encoding="utf-8")
    return data, columns


def test_json_is_exactly_the_counts(files: tuple[Path, Path]) -> None:
    data, columns = files
    result = check(data, "--columns", columns, "--json")
    assert result.exit_code == 1, result.output
    doc = json.loads(result.stdout)
    assert doc == {
        "protocols": 7,
        "failures": {
            "issued_le_received": 1,
            "received_balance": 2,
            "in_boxes_le_issued": 1,
            "valid_plus_invalid": 1,
            "options_sum_valid": 1,
            "issued_le_list": 1,
        },
        "unreadable_rows": [],
    }
    assert list(doc["failures"]) == list(RELATION_CODES)
    assert result.stderr == ""  # no progress bar without a terminal


def test_all_pass_exits_0(tmp_path: Path, files: tuple[Path, Path]) -> None:
    _data, columns = files
    good = write_csv(tmp_path / "good.csv", [row(str(n)) for n in range(1, 6)])
    result = check(good, "--columns", columns, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {
        "protocols": 5,
        "failures": dict.fromkeys(RELATION_CODES, 0),
        "unreadable_rows": [],
    }
    human = check(good, "--columns", columns)
    assert human.exit_code == 0
    assert "Protocols checked: 5" in human.stdout
    assert "Every protocol passes every control relation." in human.stdout


def test_unreadable_rows_alone_exit_1(tmp_path: Path, files: tuple[Path, Path]) -> None:
    _data, columns = files
    data = write_csv(tmp_path / "u.csv", [row("1"), row("2", valid="-1"), row("3", lost="x")])
    result = check(data, "--columns", columns, "--json")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["unreadable_rows"] == [3, 4]  # the header is row 1
    assert json.loads(result.stdout)["protocols"] == 1
    human = check(data, "--columns", columns)
    assert "row 3: valid: -1 is negative" in human.stdout
    assert "row 4: lost: x is not a number" in human.stdout


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        (
            "ru",
            [
                "Проверено протоколов: 7",
                "строка 5, участок Almaty/4: бюллетеней в ящиках (81) больше, чем выдано (80)",
                "выданные бюллетени ≤ избиратели в списке",
            ],
        ),
        (
            "kk",
            [
                "Тексерілген хаттамалар: 7",
                "5-жол, учаске Almaty/4: жәшіктердегі бюллетеньдер (81) берілген "
                "бюллетеньдерден (80) көп",
                "берілген бюллетеньдер ≤ тізімдегі сайлаушылар",
            ],
        ),
    ],
)
def test_the_report_in_russian_and_kazakh(
    files: tuple[Path, Path], lang: str, words: list[str]
) -> None:
    data, columns = files
    result = check(data, "--columns", columns, lang=lang)
    assert result.exit_code == 1
    for text in words:
        assert text in result.stdout, result.stdout


def test_the_first_20_failures_per_relation_or_all(
    tmp_path: Path, files: tuple[Path, Path]
) -> None:
    _data, columns = files
    data = write_csv(tmp_path / "many.csv", [row(str(n), list=1) for n in range(1, 26)])
    some = check(data, "--columns", columns)
    assert some.stdout.count("more than voters on the list") == 20
    assert "… and 5 more (--all lists every one)" in some.stdout
    every = check(data, "--columns", columns, "--all")
    assert every.stdout.count("more than voters on the list") == 25
    assert "more (--all" not in every.stdout


def test_failing_csv_lists_every_failing_and_unreadable_row(
    tmp_path: Path, files: tuple[Path, Path]
) -> None:
    _data, columns = files
    rows = [row(str(n), list=1) for n in range(1, 26)] + [row("26", Party_A="many")]
    data = write_csv(tmp_path / "many.csv", rows)
    out = tmp_path / "failing.csv"
    result = check(data, "--columns", columns, "--failing-csv", out, lang="ru")
    assert result.exit_code == 1
    with out.open(encoding="utf-8-sig", newline="") as handle:
        lines = list(csv.DictReader(handle))
    assert len(lines) == 26  # 25 × issued_le_list (not only the 20 shown) + 1 unreadable
    assert lines[0] == {
        "row": "2",
        "station": "Almaty/1",
        "relation": "issued_le_list",
        "code": "issued_le_list",
        "message": "выдано бюллетеней (80) больше, чем избирателей в списке (1)",
        "params": '{"issued": 80, "voters": 1}',
    }
    assert lines[-1]["row"] == "27" and lines[-1]["relation"] == "unreadable"
    assert lines[-1]["code"] == "row.not_number"
    assert not (tmp_path / "failing.csv.partial").exists()


def test_a_bad_map_exits_2_with_one_message_and_writes_nothing(
    tmp_path: Path, files: tuple[Path, Path]
) -> None:
    data, _columns = files
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump({**MAP, "valid": "Valid ballots"}), encoding="utf-8")
    out = tmp_path / "failing.csv"
    out.write_text("kept\n")
    for extra in ([], ["--json"]):
        result = check(data, "--columns", bad, "--failing-csv", out, *extra, lang="ru")
        assert result.exit_code == 2
        assert result.stdout == ""
        assert "Столбца Valid ballots (для valid) нет в заголовке CSV." in result.stderr
        assert "Traceback" not in result.output
    assert out.read_text() == "kept\n"  # an earlier report is not truncated by a failed run
    assert not (tmp_path / "failing.csv.partial").exists()
    bad.write_text(yaml.safe_dump({**MAP, "turnout": "x"}), encoding="utf-8")
    result = check(data, "--columns", bad)
    assert result.exit_code == 2
    assert "Unknown key turnout in the column map" in result.stderr


def test_a_failing_csv_that_cannot_be_written_exits_2(files: tuple[Path, Path]) -> None:
    data, columns = files
    out = data.parent / "no such folder" / "failing.csv"
    result = check(data, "--columns", columns, "--failing-csv", out, lang="ru")
    assert result.exit_code == 2 and result.stdout == ""
    assert f"Не удалось записать файл {out}" in result.stderr


def test_a_file_that_cannot_be_read_exits_2(tmp_path: Path, files: tuple[Path, Path]) -> None:
    _data, columns = files
    result = check(tmp_path / "absent.csv", "--columns", columns, lang="kk")
    assert result.exit_code == 2
    assert "absent.csv файлы оқылмады" in result.stderr
    latin = tmp_path / "latin.csv"
    latin.write_bytes("станция,голоса\r\n".encode("cp1251"))
    result = check(latin, "--columns", columns)
    assert result.exit_code == 2
    assert "is not UTF-8 text (line 1)" in result.stderr


def test_the_progress_bar_shows_on_a_terminal(files: tuple[Path, Path]) -> None:
    data, columns = files
    controller, terminal = pty.openpty()
    env = {**os.environ, "COLUMNS": "100", "TERM": "xterm"}
    command = [sys.executable, "-m", "saylau.cli.main", "paper", "check-protocols"]
    done = subprocess.run(
        [*command, str(data), "--columns", str(columns), "--lang", "en"],
        stdout=subprocess.PIPE,
        stderr=terminal,
        env=env,
        timeout=60,
        check=False,
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
    assert done.returncode == 1
    assert b"reading p.csv" in shown
    assert b"reading" not in done.stdout


@pytest.fixture(scope="module")
def duma_2011(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not DUMA_2011.exists():
        pytest.skip(f"the 2011 Duma protocols are not at {DUMA_2011} (set SAYLAU_DUMA_2011)")
    folder = tmp_path_factory.mktemp("duma-2011")
    with zipfile.ZipFile(DUMA_2011) as archive:
        archive.extract("2011.csv", folder)
    return folder / "2011.csv"


# The rows (the header is row 1) of the 18 stations whose ballots in the boxes are more than
# the ballots issued.
IN_BOXES_OVER_ISSUED = [
    6607, 6954, 8818, 13287, 25361, 25368, 27250, 27910, 35007,
    65644, 69016, 69833, 70113, 70120, 70195, 83289, 85448, 85507,
]  # fmt: skip


def test_the_95225_protocols_of_the_2011_duma(duma_2011: Path, tmp_path: Path) -> None:
    out = tmp_path / "failing.csv"
    started = time.perf_counter()
    result = check(duma_2011, "--columns", EXAMPLE, "--json", "--failing-csv", out)
    seconds = time.perf_counter() - started
    assert result.exit_code == 1, result.output
    doc = json.loads(result.stdout)
    assert doc["protocols"] + len(doc["unreadable_rows"]) == 95_225
    assert doc == {
        "protocols": 95_225,
        "failures": {
            "issued_le_received": 0,
            "received_balance": 0,
            "in_boxes_le_issued": 18,
            "valid_plus_invalid": 0,
            "options_sum_valid": 0,
            "issued_le_list": 0,
        },
        "unreadable_rows": [],
    }
    with out.open(encoding="utf-8-sig", newline="") as handle:
        lines = list(csv.DictReader(handle))
    assert [int(line["row"]) for line in lines] == IN_BOXES_OVER_ISSUED
    assert lines[0]["station"] == "Удмуртская Республика/10 Завьяловская/1724"
    assert json.loads(lines[0]["params"]) == {"in_boxes": 144, "issued": 143}
    assert seconds < 30, f"{seconds:.1f} s"


def test_without_line_18_the_balance_fails_where_it_is_not_0(duma_2011: Path) -> None:
    """The example map adds "не учтенных при получении" to the ballots received (the law's
    received = issued + cancelled + lost − line 18); leaving it out flags the 28 stations
    whose line 18 is not 0."""
    doc = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    doc["ballots_received"] = doc["ballots_received"][:1]
    report = check_csv(duma_2011, parse_map(doc), keep=None)
    assert report.failures["received_balance"] == 28
    assert report.failures["issued_le_received"] == 1
    assert report.failures["in_boxes_le_issued"] == 18
    assert check_csv(duma_2011, load_map(EXAMPLE)).failures["received_balance"] == 0
