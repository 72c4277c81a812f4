"""Canonical JSON: the byte form that every hash and signature over a JSON object uses.

Keys sorted by code point, no insignificant whitespace, UTF-8, strings escaped as
RFC 8785 (JCS) does. It equals JCS for saylau documents (ASCII keys, integers only, no floats);
for keys outside the BMP JCS would sort by UTF-16 code units instead.
"""

from __future__ import annotations

import json
from typing import Any


def canonical_json(obj: Any) -> bytes:
    return json.dumps(
        obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


MAX_DEPTH = 32  # arrays and objects nested deeper make a document malformed (§3.5)


class StrictJsonError(ValueError):
    """JSON that a saylau document may not contain (not JSON, floats, NaN, duplicate keys, too
    deep): `code` and `params` name the problem for saylau.protocol.failures."""

    def __init__(self, code: str, message: str, **params: str | int) -> None:
        super().__init__(message)
        self.code = code
        self.params = params


def _no_float(text: str) -> Any:
    raise StrictJsonError("json.number", f"numbers must be integers, got {text}", number=text)


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        seen: set[str] = set()
        for k, _ in pairs:
            if k in seen:
                raise StrictJsonError("json.duplicate_key", f"duplicate key {k!r}", key=repr(k))
            seen.add(k)
    return out


def _too_deep() -> StrictJsonError:
    return StrictJsonError(
        "json.too_deep", f"nested too deeply (more than {MAX_DEPTH} levels)", limit=MAX_DEPTH
    )


def _check_depth(value: Any) -> None:
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        children = node.values() if isinstance(node, dict) else node
        if depth > MAX_DEPTH:
            raise _too_deep()
        stack.extend((c, depth + 1) for c in children if isinstance(c, (dict, list)))


def strict_loads(data: bytes | str, name: str = "JSON text") -> Any:
    """Parse JSON as saylau documents require: integers only (no floats, NaN or Infinity),
    no duplicate keys, at most MAX_DEPTH levels of arrays and objects. Raises StrictJsonError
    (a ValueError) whose `params` include `name`."""
    try:
        value = json.loads(
            data,
            parse_float=_no_float,
            parse_constant=_no_float,
            object_pairs_hook=_no_duplicates,
        )
    except StrictJsonError as e:
        raise _named(e, name) from None
    except RecursionError:
        raise _named(_too_deep(), name) from None
    except UnicodeDecodeError:
        raise StrictJsonError("json.not_utf8", "not UTF-8", name=name) from None
    except json.JSONDecodeError as e:
        raise StrictJsonError(
            "json.syntax", f"not JSON ({e.msg})", name=name, line=e.lineno, column=e.colno
        ) from None
    if isinstance(value, (dict, list)):
        try:
            _check_depth(value)
        except StrictJsonError as e:
            raise _named(e, name) from None
    return value


def _named(error: StrictJsonError, name: str) -> StrictJsonError:
    error.params["name"] = name
    return error
