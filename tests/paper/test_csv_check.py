"""check_csv: every control relation flagged on hand-made rows, `,` and `;` files with and
without a BOM, unreadable rows listed while the others are still checked."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from saylau.paper.column_map import ColumnMap, ColumnMapError, bind, parse_map
from saylau.paper.csv_check import (
    CheckReport,
    CsvFileError,
    StationFailure,
    UnreadableRow,
    check_csv,
    read_row,
    sniff_delimiter,
)
from saylau.protocol.paper_protocol import RELATION_CODES

HEADER = [
    "region",
    "station",
    "list",
    "received",
    "issued early",
    "issued here",
    "cancelled",
    "spoiled",
    "lost",
    "box mobile",
    "box fixed",
    "invalid",
    "valid",
    "Party A",
    "Party B",
    "Party C",
]
MAP = {
    "station": ["region", "station"],
    "voters_on_list": "list",
    "ballots_received": "received",
    "ballots_issued": ["issued early", "issued here"],
    "ballots_cancelled": "cancelled",
    "ballots_spoiled": "spoiled",
    "ballots_lost": "lost",
    "ballots_in_boxes": ["box mobile", "box fixed"],
    "invalid": "invalid",
    "valid": "valid",
    "options": ["Party A", "Party B", "Party C"],
}
# A protocol that holds: 100 = 80 + 15 + 3 + 2; 80 in the boxes; 5 + 75 = 80; 40 + 25 + 10 = 75.
GOOD = {
    "list": 100,
    "received": 100,
    "issued early": 20,
    "issued here": 60,
    "cancelled": 15,
    "spoiled": 3,
    "lost": 2,
    "box mobile": 20,
    "box fixed": 60,
    "invalid": 5,
    "valid": 75,
    "Party A": 40,
    "Party B": 25,
    "Party C": 10,
}


def row(station: str, region: str = "Almaty", **changes: int | str) -> list[str]:
    """A data row: GOOD with `changes` (keys with _ for spaces), in HEADER order."""
    values: dict[str, int | str] = {"region": region, "station": station, **GOOD}
    for key, value in changes.items():
        name = key.replace("_", " ")
        assert name in values, name
        values[name] = value
    return [str(values[name]) for name in HEADER]


# Each row breaks the relations named, and only those (the numbers show the arithmetic).
BROKEN: list[tuple[list[str], set[str], dict[str, dict[str, int]]]] = [
    (row("1"), set(), {}),
    (
        # issued 90 > received 85; 85 ≠ 90 + 15 + 3 + 2
        row("2", received=85, issued_early=30, box_mobile=30, valid=85, Party_A=50),
        {"issued_le_received", "received_balance"},
        {
            "issued_le_received": {"issued": 90, "received": 85},
            "received_balance": {"received": 85, "accounted": 110},
        },
    ),
    (
        row("3", cancelled=14),  # 100 ≠ 80 + 14 + 3 + 2
        {"received_balance"},
        {"received_balance": {"received": 100, "accounted": 99}},
    ),
    (
        row("4", box_fixed=61, valid=76, Party_A=41),  # 81 in the boxes, 80 issued
        {"in_boxes_le_issued"},
        {"in_boxes_le_issued": {"in_boxes": 81, "issued": 80}},
    ),
    (
        row("5", invalid=6),  # 6 + 75 ≠ 80
        {"valid_plus_invalid"},
        {"valid_plus_invalid": {"counted": 81, "in_boxes": 80}},
    ),
    (
        row("6", Party_C=9),  # 40 + 25 + 9 ≠ 75
        {"options_sum_valid"},
        {"options_sum_valid": {"votes": 74, "valid": 75}},
    ),
    (
        row("7", list=79),  # 80 issued, 79 on the list
        {"issued_le_list"},
        {"issued_le_list": {"issued": 80, "voters": 79}},
    ),
]


def write_csv(
    path: Path,
    rows: list[list[str]],
    *,
    delimiter: str = ",",
    bom: bool = False,
    header: list[str] | None = None,
) -> Path:
    buffer = io.StringIO()
    out = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    out.writerow(HEADER if header is None else header)
    out.writerows(rows)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + buffer.getvalue().encode("utf-8"))
    return path


def columns(**changes: object) -> ColumnMap:
    return parse_map({**MAP, **changes})


def failures_by_row(report: CheckReport) -> dict[int, dict[str, StationFailure]]:
    found: dict[int, dict[str, StationFailure]] = {}
    for items in report.failing.values():
        for item in items:
            found.setdefault(item.row, {})[item.failure.relation] = item
    return found


def test_each_relation_is_flagged_on_its_row_and_only_there(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "p.csv", [r for r, _codes, _params in BROKEN])
    report = check_csv(path, columns())
    assert report.protocols == len(BROKEN)
    assert report.unreadable_rows == []
    found = failures_by_row(report)
    for index, (cells, codes, params) in enumerate(BROKEN, start=1):
        number = index + 1  # the header is row 1
        assert set(found.get(number, {})) == codes, (number, cells)
        for code, expected in params.items():
            item = found[number][code]
            assert item.failure.params == expected
            assert item.station == f"Almaty/{index}"
    assert report.failures == {
        "issued_le_received": 1,
        "received_balance": 2,
        "in_boxes_le_issued": 1,
        "valid_plus_invalid": 1,
        "options_sum_valid": 1,
        "issued_le_list": 1,
    }
    assert not report.ok
    # Every relation is flagged by some row: none of the checks is dead.
    assert all(report.failures[code] for code in RELATION_CODES)


def test_a_file_of_good_protocols_passes(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "p.csv", [row(str(n)) for n in range(1, 31)])
    report = check_csv(path, columns())
    assert report.ok and report.protocols == 30
    assert report.to_json() == {
        "protocols": 30,
        "failures": dict.fromkeys(RELATION_CODES, 0),
        "unreadable_rows": [],
    }


def test_the_english_message_names_the_numbers(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "p.csv", [row("9", box_fixed=61, valid=76, Party_A=41)])
    (item,) = check_csv(path, columns()).failing["in_boxes_le_issued"]
    assert item.message() == "ballots in the boxes (81) are more than ballots issued (80)"


@pytest.mark.parametrize("bom", [False, True])
@pytest.mark.parametrize("delimiter", [",", ";"])
def test_semicolons_and_a_bom_read_the_same(tmp_path: Path, delimiter: str, bom: bool) -> None:
    rows = [r for r, _c, _p in BROKEN] + [row("Medeu, 12", region="Almaty; city")]
    path = write_csv(tmp_path / "p.csv", rows, delimiter=delimiter, bom=bom)
    report = check_csv(path, columns())
    assert report.protocols == len(rows) and report.unreadable_rows == []
    assert report.failures["received_balance"] == 2
    # The BOM is not part of the first column's name (the map names "region"); the cells
    # holding the other delimiter are whole.
    assert [i.station for i in report.failing["options_sum_valid"]] == ["Almaty/6"]
    assert read_row(rows[-1], bind(columns(), HEADER)) is not None


def test_the_delimiter_is_sniffed_from_the_header() -> None:
    assert sniff_delimiter('"a, b";c;d\r\n1;2;3\r\n') == ";"
    assert sniff_delimiter('"a; b",c,d\r\n1,2,3\r\n') == ","
    assert sniff_delimiter("only\r\n1\r\n") == ","


def test_unreadable_rows_are_listed_and_the_rest_still_checked(tmp_path: Path) -> None:
    rows = [
        row("1"),
        row("2", valid=""),  # a missing count
        row("3", Party_B="twenty"),  # not a number
        row("4", spoiled=-3),  # negative
        row("5", lost="2.5", invalid="1e1"),  # not whole numbers; both are listed
        row("6")[:-1],  # a cell short
        row("7", Party_C=9),  # readable, and fails options_sum_valid
        row("8", list=" 100 "),  # spaces around a number are fine
        row("9", received="١٠٠"),  # Arabic-Indic digits are not digits here
    ]
    path = write_csv(tmp_path / "p.csv", rows)
    seen: list[UnreadableRow] = []
    report = check_csv(path, columns(), on_unreadable=seen.append)
    assert report.protocols == 3  # rows 1, 7 and 8
    assert report.unreadable_rows == [3, 4, 5, 6, 7, 10]  # the header is row 1
    assert report.failures["options_sum_valid"] == 1
    assert report.failing["options_sum_valid"][0].row == 8
    reasons = {u.row: [(r.code, r.params) for r in u.reasons] for u in report.unreadable}
    assert reasons == {
        3: [("row.empty", {"column": "valid"})],
        4: [("row.not_number", {"column": "Party B", "value": "twenty"})],
        5: [("row.negative", {"column": "spoiled", "value": "-3"})],
        6: [
            ("row.not_whole", {"column": "lost", "value": "2.5"}),
            ("row.not_whole", {"column": "invalid", "value": "1e1"}),
        ],
        7: [("row.cells", {"cells": len(HEADER) - 1, "columns": len(HEADER)})],
        10: [("row.not_number", {"column": "received", "value": "١٠٠"})],
    }
    assert seen == report.unreadable
    assert report.unreadable[2].reasons[0].message() == "spoiled: -3 is negative"
    assert not report.ok


def test_a_blank_line_is_no_protocol_but_keeps_the_numbering(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "p.csv", [row("1"), [], row("3", list=79)])
    report = check_csv(path, columns())
    assert report.protocols == 2
    assert [i.row for i in report.failing["issued_le_list"]] == [4]


def test_lines_the_map_leaves_out_count_as_zero(tmp_path: Path) -> None:
    doc = {k: v for k, v in MAP.items() if k not in {"ballots_spoiled", "ballots_lost"}}
    # Without spoiled (3) and lost (2) the balance is 95, not 100 …
    path = write_csv(tmp_path / "p.csv", [row("1"), row("2", cancelled=20)])
    report = check_csv(path, parse_map(doc))
    assert [i.row for i in report.failing["received_balance"]] == [2]
    assert report.failing["received_balance"][0].failure.params["accounted"] == 95


def test_vote_for_up_to_k_counts_under_options_sum_valid(tmp_path: Path) -> None:
    rows = [
        row("1", Party_A=75, Party_B=75, Party_C=0),  # 150 = 2 × 75: allowed
        row("2", Party_A=75, Party_B=75, Party_C=1),  # 151 > 150
        row("3", Party_A=0, Party_B=0, Party_C=0),  # blank ballots: allowed
    ]
    path = write_csv(tmp_path / "p.csv", rows)
    report = check_csv(path, columns(contest={"min_marks": 0, "max_marks": 2}))
    assert report.failures["options_sum_valid"] == 1
    (item,) = report.failing["options_sum_valid"]
    assert item.row == 3 and item.failure.code == "options_le_marks"
    assert item.failure.params == {"votes": 151, "max_marks": 2, "limit": 150}
    # The same rows under the default "vote for exactly one" fail twice.
    assert check_csv(path, columns()).failures["options_sum_valid"] == 3


def test_keep_limits_the_listed_failures_not_the_counts(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "p.csv", [row(str(n), list=1) for n in range(1, 31)])
    assert len(check_csv(path, columns(), keep=20).failing["issued_le_list"]) == 20
    report = check_csv(path, columns(), keep=None)
    assert report.failures["issued_le_list"] == 30
    assert len(report.failing["issued_le_list"]) == 30


def test_progress_reports_bytes_up_to_the_size(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "p.csv", [row(str(n)) for n in range(10_000)])
    calls: list[tuple[int, int]] = []
    check_csv(path, columns(), on_progress=lambda done, total: calls.append((done, total)))
    size = path.stat().st_size
    assert len(calls) >= 3 and calls[-1] == (size, size)
    assert [d for d, _t in calls] == sorted(d for d, _t in calls)


def test_a_column_missing_from_the_header_stops_before_any_row(tmp_path: Path) -> None:
    header = [c if c != "lost" else "lost ballots" for c in HEADER]
    path = write_csv(tmp_path / "p.csv", [["x"] * 3], header=header)
    seen: list[object] = []
    with pytest.raises(ColumnMapError) as raised:
        check_csv(
            path,
            columns(ballots_lost="lost ballot"),
            on_unreadable=seen.append,
            on_failure=seen.append,
        )
    assert raised.value.code == "map.missing_column"
    assert raised.value.params == {"column": "lost ballot", "key": "ballots_lost"}
    assert str(raised.value) == (
        "The column lost ballot (for ballots_lost) is not in the CSV header. "
        "Did you mean lost ballots?"
    )
    assert seen == []


def test_files_that_cannot_be_read(tmp_path: Path) -> None:
    with pytest.raises(CsvFileError) as raised:
        check_csv(tmp_path / "absent.csv", columns())
    assert raised.value.code == "csv.unreadable"
    (tmp_path / "empty.csv").write_bytes(b"")
    with pytest.raises(CsvFileError) as raised:
        check_csv(tmp_path / "empty.csv", columns())
    assert raised.value.code == "csv.no_header"
    latin = write_csv(tmp_path / "latin.csv", [row("1"), row("2")])
    latin.write_bytes(latin.read_bytes() + "Алматы".encode("cp1251") + b",1\r\n")
    with pytest.raises(CsvFileError) as raised:
        check_csv(latin, columns())
    assert raised.value.code == "csv.not_utf8"
    assert raised.value.params == {"path": str(latin), "line": 4}  # the line after the two rows


def test_the_check_runs_without_django() -> None:
    """The CLI checks a CSV with no database and no settings: neither module imports Django."""
    import subprocess
    import sys

    code = (
        "import sys, saylau.paper.csv_check, saylau.cli.paper; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    )
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(Path(__file__).parents[2] / "src")}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert done.stdout.strip() == "[]"
