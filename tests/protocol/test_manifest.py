from __future__ import annotations

import copy
from typing import Any

import pytest

from saylau.crypto import group
from saylau.protocol.errors import InvalidManifest
from saylau.protocol.manifest import (
    MESSAGES,
    ManifestProblem,
    check_keys,
    fingerprint,
    manifest_from_json,
)


def test_parses_the_simulated_manifest(manifest_raw: dict[str, Any]) -> None:
    m = manifest_from_json(manifest_raw)
    assert len(m.districts) == 3
    first = m.contests_for(m.districts[0].id)
    assert [len(c.options) for c in first] == [12, 8]
    assert [c.against_all_index for c in first] == [11, 7]
    assert first[0].allowed_totals == (1,)
    assert first[1].allowed_totals == (0, 1, 2, 3)


def test_parses_parties(manifest_raw: dict[str, Any]) -> None:
    raw = copy.deepcopy(manifest_raw)
    party = {"kk": "Жаңа партия", "ru": "Новая партия", "en": "New Party"}
    raw["contests"][0]["options"][0]["party"] = party
    check_keys(raw)
    options = manifest_from_json(raw).contests[0].options
    assert options[0].party == party
    assert options[1].party is None  # an independent
    assert options[11].against_all and options[11].party is None


@pytest.mark.parametrize(
    ("path", "value", "code", "where"),
    [
        (("schema",), "saylau-manifest/9", "manifest.schema", "manifest.schema"),
        (("contests", 0, "max_marks"), 0, "manifest.marks", "manifest.contests[0]"),
        (("contests", 0, "min_marks"), 5, "manifest.marks", "manifest.contests[0]"),
        (("contests", 0, "min_marks"), -1, "manifest.integer", "manifest.contests[0].min_marks"),
        (("contests", 0, "options", 0, "against_all"), True, "manifest.against_all", None),
        (("contests", 0, "options", 1, "id"), "mazhilis-dup", "manifest.duplicate_option", None),
        (("contests",), [], "manifest.list", "manifest.contests"),
        (("districts", 0, "ballot_style"), "nope", "manifest.unknown_style", None),
        (("districts", 0, "name"), {"kk": "x", "ru": "y"}, "manifest.languages", None),
        (("ballot_styles", 0, "contests"), ["missing"], "manifest.unknown_contest", None),
        (("election_id",), "has space", "manifest.id_chars", "manifest.election_id"),
        (("title", "kk"), " ", "manifest.empty_text", "manifest.title.kk"),
        (
            ("contests", 0, "options", 0, "party"),
            "Nur",
            "manifest.languages",
            "manifest.contests[0].options[0].party",
        ),
        (
            ("contests", 0, "options", 0, "party"),
            {"kk": "Нұр", "ru": "Нур", "en": " "},
            "manifest.empty_text",
            "manifest.contests[0].options[0].party.en",
        ),
        (
            ("contests", 0, "options", 11, "party"),
            {"kk": "Нұр", "ru": "Нур", "en": "Nur"},
            "manifest.party_against_all",
            "manifest.contests[0].options[11].party",
        ),
    ],
)
def test_rejects_bad_manifests(
    manifest_raw: dict[str, Any], path: tuple[Any, ...], value: Any, code: str, where: str | None
) -> None:
    bad = copy.deepcopy(manifest_raw)
    target = bad
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    if path == ("contests", 0, "options", 1, "id"):
        target[path[-1]] = bad["contests"][0]["options"][0]["id"]
    with pytest.raises(ManifestProblem) as caught:
        manifest_from_json(bad)
    assert caught.value.code == code
    if where is not None:
        assert caught.value.params["where"] == where
    assert str(caught.value) == MESSAGES[code] % caught.value.params


@pytest.mark.parametrize(
    ("edit", "code", "params"),
    [
        (
            lambda m: m.__setitem__("contets", m.pop("contests")),
            "manifest.unknown_key_hint",
            {"where": "manifest", "key": "contets", "hint": "contests"},
        ),
        (
            lambda m: m["contests"][1]["options"][2].__setitem__("colour", "red"),
            "manifest.unknown_key",
            {"where": "manifest.contests[1].options[2]", "key": "colour"},
        ),
        (
            lambda m: m["districts"][0].__setitem__("ballot_stlye", "x"),
            "manifest.unknown_key_hint",
            {"where": "manifest.districts[0]", "key": "ballot_stlye", "hint": "ballot_style"},
        ),
    ],
)
def test_check_keys_names_an_unknown_key(
    manifest_raw: dict[str, Any], edit: Any, code: str, params: dict[str, str]
) -> None:
    check_keys(manifest_raw)  # the good manifest has no unknown key
    bad = copy.deepcopy(manifest_raw)
    edit(bad)
    with pytest.raises(ManifestProblem) as caught:
        check_keys(bad)
    assert (caught.value.code, caught.value.params) == (code, params)


def test_every_code_raised_has_a_message_and_every_message_is_raised() -> None:
    import ast
    from pathlib import Path

    import saylau.protocol.manifest as module

    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    raised = {
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", None) == "ManifestProblem"
        and isinstance(node.args[0], ast.Constant)
    }
    assert raised == set(MESSAGES)


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
