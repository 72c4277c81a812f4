"""What the stations app reads of an election: its manifest's districts and title.

The election object is the caller's (the elections app is above this one, decision 0020);
only its `slug` and `manifest` (the JSON document) are read.
"""

from __future__ import annotations

from typing import Any

from saylau.protocol.manifest import name_in
from saylau.registry import services as registry


def district_ids(election: Any) -> list[str]:
    manifest: dict[str, Any] = election.manifest or {}
    return [str(d.get("id")) for d in manifest.get("districts", []) if d.get("id")]


def district_name(election: Any, district: str, language: str) -> str:
    """The manifest's name of `district` in `language`, else the registry's, else its id."""
    manifest: dict[str, Any] = election.manifest or {}
    for item in manifest.get("districts", []):
        if item.get("id") == district:
            name = name_in(item.get("name"), language, "en")
            if name:
                return name
    return name_in(registry.district_names().get(district), language, "en") or district


def title(election: Any, language: str) -> str:
    manifest: dict[str, Any] = election.manifest or {}
    return name_in(manifest.get("title"), language, "en") or str(election.slug)
