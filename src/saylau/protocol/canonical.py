"""Canonical JSON: the byte form that every hash and signature over a JSON object uses.

Keys sorted by code point, no insignificant whitespace, UTF-8, strings escaped as
RFC 8785 (JCS) does; saylau documents never contain floats, so this equals JCS.
"""

from __future__ import annotations

import json
from typing import Any


def canonical_json(obj: Any) -> bytes:
    return json.dumps(
        obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")
