"""Reading an election manifest from a file (YAML or JSON) and checking it against the registry.

The file has the shape of protocol/manifest.py (schema ``saylau-manifest/1``) with two
conveniences: ``schema`` may be left out, and a district may leave out its ``name``, which
is then taken from the registry (kk, ru, en). Every district id must be a registry district
code (ISO 3166-2:KZ, e.g. ``KZ-75``), and the election id is the roll's identifier
(lowercase letters, digits and hyphens), so the manifest and the roll name the same election.

The manifest is stored and published as normalised here; its canonical JSON is what the
election fingerprint hashes, so only JSON types are allowed (no floats, dates or nulls).
"""

from __future__ import annotations

import json
import re
from typing import Any

import yaml
from django.utils.translation import gettext as _

from saylau.elections.errors import InvalidElectionManifest
from saylau.protocol.errors import InvalidManifest
from saylau.protocol.manifest import (
    MANIFEST_SCHEMA,
    MESSAGES,
    Manifest,
    ManifestProblem,
    check_keys,
    manifest_from_json,
)
from saylau.registry import services as registry

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
MAX_MANIFEST_BYTES = 2 * 1024 * 1024


def _invalid(problem: str) -> InvalidElectionManifest:
    return InvalidElectionManifest(
        _("The manifest is not valid: %(problem)s") % {"problem": problem}, field="manifest"
    )


def problem_text(error: InvalidManifest) -> str:
    """A protocol manifest problem in the active language (its code's template, translated)."""
    if isinstance(error, ManifestProblem):
        return _(MESSAGES[error.code]) % error.params
    return _("the manifest breaks a rule of the protocol")


def load_manifest_file(data: bytes, filename: str = "") -> dict[str, Any]:
    """Parse a manifest file: JSON if the name ends in .json (or the text starts with '{'),
    YAML otherwise (YAML 1.1 safe loader; JSON is valid YAML too)."""
    if len(data) > MAX_MANIFEST_BYTES:
        raise _invalid(_("the file is larger than 2 MB"))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _invalid(_("the file is not UTF-8 text")) from None
    as_json = filename.lower().endswith(".json") or text.lstrip().startswith("{")
    try:
        raw = json.loads(text) if as_json else yaml.safe_load(text)
    except json.JSONDecodeError as error:
        raise _invalid(
            _("JSON syntax error on line %(line)d, column %(column)d")
            % {"line": error.lineno, "column": error.colno}
        ) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        if mark is None:
            raise _invalid(_("YAML syntax error")) from None
        raise _invalid(
            _("YAML syntax error on line %(line)d, column %(column)d")
            % {"line": mark.line + 1, "column": mark.column + 1}
        ) from None
    if not isinstance(raw, dict):
        raise _invalid(_("the file must hold one mapping (an object), not a list or a value"))
    return raw


def _check_json_types(value: Any, where: str) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise _invalid(_("%(where)s: every key must be text") % {"where": where})
            _check_json_types(item, f"{where}.{key}")
    elif isinstance(value, list):
        for k, item in enumerate(value):
            _check_json_types(item, f"{where}[{k}]")
    elif not isinstance(value, str | int | bool):  # bool is an int; floats, None, dates are not
        raise _invalid(
            _("%(where)s: only text, whole numbers, true/false, lists and mappings are allowed")
            % {"where": where}
        )


def normalise(raw: dict[str, Any]) -> dict[str, Any]:
    """Fill the defaults (schema, district names from the registry); check JSON types."""
    raw = json.loads(json.dumps(raw))  # a deep copy (and keys as text)
    raw.setdefault("schema", MANIFEST_SCHEMA)
    _check_json_types(raw, "manifest")
    names = registry.district_names()
    districts = raw.get("districts")
    if isinstance(districts, list):
        for district in districts:
            if isinstance(district, dict) and "name" not in district:
                if district.get("id") in names:
                    district["name"] = names[district["id"]]
    return raw


def check_manifest(raw: dict[str, Any]) -> Manifest:
    """Parse with the protocol's rules (and no unknown key), then check the registry's: the
    election id is a roll identifier and every district is a registry district."""
    try:
        check_keys(raw)
    except ManifestProblem as error:
        raise _invalid(problem_text(error)) from None
    known = set(registry.district_names())
    districts = raw.get("districts")
    unknown = [
        str(d.get("id"))
        for d in (districts if isinstance(districts, list) else [])
        if isinstance(d, dict) and d.get("id") not in known
    ]
    if unknown:
        raise _invalid(
            _("these districts are not registry districts (use codes such as KZ-75): %(ids)s")
            % {"ids": ", ".join(unknown)}
        )
    try:
        manifest = manifest_from_json(raw)
    except InvalidManifest as error:
        raise _invalid(problem_text(error)) from None
    if not SLUG_RE.match(manifest.election_id):
        raise _invalid(
            _("manifest.election_id: use lowercase letters, digits and hyphens (like a roll id)")
        )
    return manifest


def manifest_from_file(data: bytes, filename: str = "") -> tuple[dict[str, Any], Manifest]:
    raw = normalise(load_manifest_file(data, filename))
    return raw, check_manifest(raw)
