"""A commission's CSV export described by a MAP.yaml: which columns hold the station key, each
protocol line and each option (docs/paper-csv.md).

Read and checked whole before any row is: a bad map is one `ColumnMapError` naming what is
wrong. No Django: `saylau paper check-protocols` runs without a database.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from saylau.errors import UserError
from saylau.i18n import gettext_noop
from saylau.protocol.paper_protocol import FIELDS

# Lines a map may leave out (they count as 0); every other line of FIELDS is required.
OPTIONAL_LINES: tuple[str, ...] = ("ballots_cancelled", "ballots_spoiled", "ballots_lost")
KEYS: tuple[str, ...] = ("station", *FIELDS, "options", "contest", "region")

MAP_MESSAGES: dict[str, str] = {
    "map.unreadable": gettext_noop("The column map %(path)s could not be read: %(detail)s"),
    "map.not_yaml": gettext_noop("The column map %(path)s is not valid YAML: %(detail)s"),
    "map.not_mapping": gettext_noop(
        "The column map must be a mapping of keys (station, the protocol lines, options)."
    ),
    "map.unknown_key": gettext_noop(
        "Unknown key %(key)s in the column map; the keys are: %(keys)s"
    ),
    "map.missing_key": gettext_noop("The column map has no %(key)s: it is required."),
    "map.not_columns": gettext_noop(
        "%(key)s in the column map must be a column name or a list of column names."
    ),
    "map.no_options": gettext_noop(
        "options in the column map must be a list of at least one column, one per option."
    ),
    "map.contest": gettext_noop(
        "contest in the column map must be {min_marks, max_marks}: whole numbers, "
        "0 ≤ min_marks ≤ max_marks, max_marks ≥ 1."
    ),
    "map.missing_column": gettext_noop(
        "The column %(column)s (for %(key)s) is not in the CSV header."
    ),
    "map.duplicate_column": gettext_noop(
        "The column %(column)s (for %(key)s) appears %(count)s times in the CSV header."
    ),
}
HINT = gettext_noop("Did you mean %(column)s?")


def render(
    template: str, params: Mapping[str, object], translate: Callable[[str], str] = str
) -> str:
    """`template` through `translate`, filled in; in English when a translation does not fit
    its parameters."""
    try:
        return translate(template) % params
    except (KeyError, ValueError, TypeError):
        return template % params


class ColumnMapError(UserError):
    """A column map that cannot be used: a code of `MAP_MESSAGES` and its parameters."""

    def __init__(self, code: str, close: str | None = None, **params: str | int) -> None:
        self.code = code
        self.params = params
        self.close = close  # the header's nearest name to a missing column
        super().__init__(self.message_in(str), code=code)

    def message_in(self, translate: Callable[[str], str]) -> str:
        """The message through `translate` (a gettext)."""
        text = render(MAP_MESSAGES[self.code], self.params, translate)
        if self.close is None:
            return text
        return f"{text} {render(HINT, {'column': self.close}, translate)}"


@dataclass(frozen=True)
class ColumnMap:
    """Column names: the station key's parts, each line's summed columns, one per option."""

    station: tuple[str, ...]
    lines: dict[str, tuple[str, ...]]
    options: tuple[str, ...]
    min_marks: int = 1
    max_marks: int = 1
    region: tuple[str, ...] = ()  # optional: the region's columns (`saylau analyze`)


@dataclass(frozen=True)
class BoundMap:
    """A ColumnMap resolved against one CSV header: column indices instead of names."""

    columns: ColumnMap
    width: int  # cells in the header
    station: tuple[int, ...]
    lines: dict[str, tuple[int, ...]]
    options: tuple[int, ...]
    names: tuple[str, ...]  # the header, for naming a column in a reason
    region: tuple[int, ...] = ()


def _columns(doc: dict[str, Any], key: str) -> tuple[str, ...]:
    value = doc[key]
    if isinstance(value, str) and value.strip():
        return (value.strip(),)
    if isinstance(value, list) and value and all(isinstance(v, str) and v.strip() for v in value):
        return tuple(v.strip() for v in value)
    raise ColumnMapError("map.not_columns", key=key)


def _contest(value: Any) -> tuple[int, int]:
    if not isinstance(value, dict) or set(value) - {"min_marks", "max_marks"}:
        raise ColumnMapError("map.contest")
    lo, hi = value.get("min_marks", 1), value.get("max_marks", 1)
    if type(lo) is not int or type(hi) is not int or not 0 <= lo <= hi or hi < 1:
        raise ColumnMapError("map.contest")
    return lo, hi


def parse_map(doc: Any) -> ColumnMap:
    """A ColumnMap from a parsed MAP.yaml document; raise ColumnMapError."""
    if not isinstance(doc, dict):
        raise ColumnMapError("map.not_mapping")
    for key in doc:
        if key not in KEYS:
            raise ColumnMapError("map.unknown_key", key=str(key), keys=", ".join(KEYS))
    for key in ("station", *FIELDS, "options"):
        if key not in doc and key not in OPTIONAL_LINES:
            raise ColumnMapError("map.missing_key", key=key)
    if not isinstance(doc["options"], list) or not doc["options"]:
        raise ColumnMapError("map.no_options")
    lo, hi = _contest(doc["contest"]) if "contest" in doc else (1, 1)
    return ColumnMap(
        station=_columns(doc, "station"),
        lines={name: _columns(doc, name) for name in FIELDS if name in doc},
        options=_columns(doc, "options"),
        min_marks=lo,
        max_marks=hi,
        region=_columns(doc, "region") if "region" in doc else (),
    )


def load_map(path: Path) -> ColumnMap:
    """Read MAP.yaml (PyYAML safe_load) and check its shape; raise ColumnMapError."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise ColumnMapError("map.unreadable", path=str(path), detail=str(e)) from None
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as e:
        raise ColumnMapError("map.not_yaml", path=str(path), detail=str(e)) from None
    return parse_map(doc)


def bind(columns: ColumnMap, header: list[str]) -> BoundMap:
    """Resolve every column the map names in `header`; raise ColumnMapError for a column that
    is not there, or that is there more than once."""
    where: dict[str, list[int]] = {}
    header = [name.strip() for name in header]
    for i, name in enumerate(header):
        where.setdefault(name, []).append(i)

    def index(name: str, key: str) -> int:
        found = where.get(name, [])
        if len(found) > 1:
            raise ColumnMapError("map.duplicate_column", column=name, key=key, count=len(found))
        if not found:
            close = difflib.get_close_matches(name, header, n=1)
            raise ColumnMapError(
                "map.missing_column", close[0] if close else None, column=name, key=key
            )
        return found[0]

    return BoundMap(
        columns=columns,
        width=len(header),
        station=tuple(index(n, "station") for n in columns.station),
        lines={line: tuple(index(n, line) for n in names) for line, names in columns.lines.items()},
        options=tuple(index(n, "options") for n in columns.options),
        names=tuple(header),
        region=tuple(index(n, "region") for n in columns.region),
    )
