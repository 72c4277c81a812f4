"""MAP.yaml: a good map is read whole; every bad one is one clear error naming what is wrong."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from saylau.i18n import translation
from saylau.paper.column_map import (
    KEYS,
    ColumnMap,
    ColumnMapError,
    bind,
    load_map,
    parse_map,
)
from tests.paper.test_csv_check import HEADER, MAP

EXAMPLE = Path(__file__).parents[2] / "docs" / "examples" / "duma-2011-columns.yaml"


def test_a_good_map_is_read() -> None:
    columns = parse_map(MAP)
    assert columns == ColumnMap(
        station=("region", "station"),
        lines={
            "voters_on_list": ("list",),
            "ballots_received": ("received",),
            "ballots_issued": ("issued early", "issued here"),
            "ballots_cancelled": ("cancelled",),
            "ballots_spoiled": ("spoiled",),
            "ballots_lost": ("lost",),
            "ballots_in_boxes": ("box mobile", "box fixed"),
            "invalid": ("invalid",),
            "valid": ("valid",),
        },
        options=("Party A", "Party B", "Party C"),
    )
    bound = bind(columns, HEADER)
    assert bound.lines["ballots_issued"] == (4, 5) and bound.options == (13, 14, 15)
    assert bound.station == (0, 1) and bound.width == len(HEADER)


def test_optional_lines_may_be_left_out_and_contest_defaults_to_one() -> None:
    doc = {k: v for k, v in MAP.items() if k not in {"ballots_cancelled", "ballots_spoiled"}}
    columns = parse_map(doc)
    assert "ballots_spoiled" not in columns.lines
    assert (columns.min_marks, columns.max_marks) == (1, 1)
    up_to_3 = parse_map({**MAP, "contest": {"min_marks": 0, "max_marks": 3}})
    assert (up_to_3.min_marks, up_to_3.max_marks) == (0, 3)


def test_column_names_are_compared_without_surrounding_spaces() -> None:
    columns = parse_map({**MAP, "valid": "  valid "})
    header = [f" {name}" if name == "valid" else name for name in HEADER]
    assert bind(columns, header).lines["valid"] == (12,)


BAD: list[tuple[str, Any, str, dict[str, Any]]] = [
    ("a list, not a mapping", ["station"], "map.not_mapping", {}),
    ("unknown key", {**MAP, "ballots_stolen": "x"}, "map.unknown_key", {"key": "ballots_stolen"}),
    ("station missing", {k: v for k, v in MAP.items() if k != "station"}, "map.missing_key", {}),
    ("valid missing", {k: v for k, v in MAP.items() if k != "valid"}, "map.missing_key", {}),
    ("options missing", {k: v for k, v in MAP.items() if k != "options"}, "map.missing_key", {}),
    ("a number for a column", {**MAP, "valid": 12}, "map.not_columns", {"key": "valid"}),
    ("an empty list", {**MAP, "ballots_issued": []}, "map.not_columns", {}),
    ("a list holding a number", {**MAP, "station": ["region", 3]}, "map.not_columns", {}),
    ("an empty name", {**MAP, "invalid": " "}, "map.not_columns", {"key": "invalid"}),
    ("no options", {**MAP, "options": []}, "map.no_options", {}),
    ("options a string", {**MAP, "options": "Party A"}, "map.no_options", {}),
    ("an option not a name", {**MAP, "options": ["Party A", None]}, "map.not_columns", {}),
    ("contest not a mapping", {**MAP, "contest": 1}, "map.contest", {}),
    ("min over max", {**MAP, "contest": {"min_marks": 2, "max_marks": 1}}, "map.contest", {}),
    ("max 0", {**MAP, "contest": {"min_marks": 0, "max_marks": 0}}, "map.contest", {}),
    ("a float", {**MAP, "contest": {"max_marks": 1.5}}, "map.contest", {}),
    ("a bool", {**MAP, "contest": {"max_marks": True}}, "map.contest", {}),
    ("contest unknown key", {**MAP, "contest": {"marks": 1}}, "map.contest", {}),
]


@pytest.mark.parametrize(("doc", "code", "params"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_a_bad_map_is_one_error_naming_what_is_wrong(
    doc: Any, code: str, params: dict[str, Any]
) -> None:
    with pytest.raises(ColumnMapError) as raised:
        parse_map(doc)
    assert raised.value.code == code
    assert params.items() <= raised.value.params.items()


def test_the_error_names_the_key_and_lists_the_keys() -> None:
    with pytest.raises(ColumnMapError) as raised:
        parse_map({**MAP, "ballots_stolen": "x"})
    assert str(raised.value).startswith("Unknown key ballots_stolen in the column map")
    assert ", ".join(KEYS) in str(raised.value)


def test_bad_files(tmp_path: Path) -> None:
    with pytest.raises(ColumnMapError) as raised:
        load_map(tmp_path / "absent.yaml")
    assert raised.value.code == "map.unreadable"
    (tmp_path / "broken.yaml").write_text("station: [region\nvalid: x\n", encoding="utf-8")
    with pytest.raises(ColumnMapError) as raised:
        load_map(tmp_path / "broken.yaml")
    assert raised.value.code == "map.not_yaml"
    (tmp_path / "unsafe.yaml").write_text("!!python/object/apply:os.system ['true']\n")
    with pytest.raises(ColumnMapError) as raised:  # safe_load: no object construction
        load_map(tmp_path / "unsafe.yaml")
    assert raised.value.code == "map.not_yaml"
    (tmp_path / "empty.yaml").write_text("")
    with pytest.raises(ColumnMapError) as raised:
        load_map(tmp_path / "empty.yaml")
    assert raised.value.code == "map.not_mapping"


def test_a_column_not_in_the_header_or_there_twice() -> None:
    with pytest.raises(ColumnMapError) as raised:
        bind(parse_map({**MAP, "valid": "Valid ballots"}), HEADER)
    assert raised.value.code == "map.missing_column"
    assert raised.value.params == {"column": "Valid ballots", "key": "valid"}
    with pytest.raises(ColumnMapError) as raised:
        bind(parse_map(MAP), [*HEADER, "Party B"])
    assert raised.value.code == "map.duplicate_column"
    assert raised.value.params == {"column": "Party B", "key": "options", "count": 2}
    # A duplicate the map does not use is harmless.
    assert bind(parse_map(MAP), [*HEADER, "url", "url"]).width == len(HEADER) + 2


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("kk", "CSV тақырып жолында жоқ. Мүмкін, valid?"),
        ("ru", "нет в заголовке CSV. Может быть, имелся в виду valid?"),
    ],
)
def test_map_errors_in_kazakh_and_russian(lang: str, words: str) -> None:
    with pytest.raises(ColumnMapError) as raised:
        bind(parse_map({**MAP, "valid": "valdi"}), HEADER)
    assert words in raised.value.message_in(translation(lang).gettext)


def test_the_example_map_of_the_2011_duma_is_a_good_map() -> None:
    doc = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    columns = parse_map(doc)
    assert len(columns.options) == 7 and columns.station == ("region", "tik", "uik")
    assert len(columns.lines["ballots_issued"]) == 3
    assert len(columns.lines["ballots_in_boxes"]) == 2
    assert "ballots_spoiled" not in columns.lines  # the 2011 protocol has no such line


def test_region_is_an_optional_key_bound_like_the_station() -> None:
    columns = parse_map({**MAP, "region": "region"})
    assert columns.region == ("region",)
    assert bind(columns, HEADER).region == (0,)
    assert parse_map(MAP).region == () and bind(parse_map(MAP), HEADER).region == ()
    with pytest.raises(ColumnMapError) as raised:
        bind(parse_map({**MAP, "region": "oblast"}), HEADER)
    assert raised.value.code == "map.missing_column"


def test_a_reader_may_require_fewer_keys_but_always_the_station() -> None:
    frame = {"station": "station", "region": "region", "voters_on_list": "list"}
    columns = parse_map(frame, ("region", "voters_on_list"))
    assert columns.options == () and set(columns.lines) == {"voters_on_list"}
    with pytest.raises(ColumnMapError) as raised:
        parse_map(frame)  # check-protocols' keys
    assert raised.value.code == "map.missing_key"
    with pytest.raises(ColumnMapError) as raised:
        parse_map({"voters_on_list": "list"}, ("voters_on_list",))
    assert raised.value.params == {"key": "station"}


def test_a_reader_may_add_its_own_count_keys() -> None:
    doc = {"station": "station", "options": ["Party A"], "refusals": ["list", "valid"]}
    columns = parse_map(doc, ("options", "refusals"), extra=("refusals",))
    assert columns.counts == {"refusals": ("list", "valid")}
    assert bind(columns, HEADER).counts == {"refusals": (2, 12)}
    with pytest.raises(ColumnMapError) as raised:
        parse_map({**MAP, "refusals": "list"})
    assert raised.value.code == "map.unknown_key"
