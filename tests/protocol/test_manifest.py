from __future__ import annotations

import copy
from typing import Any

import pytest

from saylau.crypto import group
from saylau.protocol.errors import InvalidManifest
from saylau.protocol.manifest import fingerprint, manifest_from_json


def test_parses_the_simulated_manifest(manifest_raw: dict[str, Any]) -> None:
    m = manifest_from_json(manifest_raw)
    assert len(m.districts) == 3
    first = m.contests_for(m.districts[0].id)
    assert [len(c.options) for c in first] == [12, 8]
    assert [c.against_all_index for c in first] == [11, 7]
    assert first[0].allowed_totals == (1,)
    assert first[1].allowed_totals == (0, 1, 2, 3)


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("schema",), "saylau-manifest/9", "schema"),
        (("contests", 0, "max_marks"), 0, "max_marks"),
        (("contests", 0, "min_marks"), 5, "min_marks"),
        (("contests", 0, "options", 0, "against_all"), True, "at most one"),
        (("contests", 0, "options", 1, "id"), "mazhilis-dup", None),
        (("districts", 0, "ballot_style"), "nope", "unknown ballot style"),
        (("districts", 0, "name"), {"kk": "x", "ru": "y"}, "languages"),
        (("ballot_styles", 0, "contests"), ["missing"], "unknown contest"),
        (("election_id",), "has space", "id"),
    ],
)
def test_rejects_bad_manifests(
    manifest_raw: dict[str, Any], path: tuple[Any, ...], value: Any, message: str | None
) -> None:
    bad = copy.deepcopy(manifest_raw)
    target = bad
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    if path == ("contests", 0, "options", 1, "id"):
        target[path[-1]] = bad["contests"][0]["options"][0]["id"]
        message = "duplicate option id"
    with pytest.raises(InvalidManifest, match=message):
        manifest_from_json(bad)


def test_against_all_excludes_other_marks(manifest_raw: dict[str, Any]) -> None:
    m = manifest_from_json(manifest_raw)
    up_to_3 = m.contests_for(m.districts[0].id)[1]
    up_to_3.check_selection([0] * 7 + [1])
    up_to_3.check_selection([1, 1, 1, 0, 0, 0, 0, 0])
    with pytest.raises(InvalidManifest):
        up_to_3.check_selection([1, 0, 0, 0, 0, 0, 0, 1])
    with pytest.raises(InvalidManifest):
        up_to_3.check_selection([1, 1, 1, 1, 0, 0, 0, 0])


def test_fingerprint_binds_manifest_and_key(manifest_raw: dict[str, Any]) -> None:
    m = manifest_from_json(manifest_raw)
    k1, k2 = group.base_mul(5), group.base_mul(6)
    changed = copy.deepcopy(manifest_raw)
    changed["title"]["en"] = "Another election"
    assert fingerprint(m, k1) != fingerprint(m, k2)
    assert fingerprint(m, k1) != fingerprint(manifest_from_json(changed), k1)
    assert fingerprint(m, k1) == fingerprint(manifest_from_json(copy.deepcopy(manifest_raw)), k1)
