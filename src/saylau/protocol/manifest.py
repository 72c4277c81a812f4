"""The election manifest: election → districts → ballot styles → contests → options.

A contest allows between `min_marks` and `max_marks` marks ("vote for exactly 1" is
min = max = 1; "vote for up to k" is min = 0, max = k). At most one option per contest is
"against all"; it excludes every other mark. The ballot proves, for each contest, that the
*weighted* number of marks W = Σ(marks on ordinary options) + max_marks·(mark on "against
all") lies in [min_marks, max_marks]. With "against all" marked, W ≥ max_marks, so every
other mark must be 0: "against all" with any candidate is unprovable.

The fingerprint binds the manifest, the group and the joint public key; every proof,
signature and tree head in the election hashes it.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from saylau.crypto.group import GENERATOR, Element
from saylau.crypto.hashing import digest
from saylau.protocol.canonical import canonical_json
from saylau.protocol.errors import InvalidManifest

MANIFEST_SCHEMA = "saylau-manifest/1"
GROUP_NAME = "ristretto255"
LANGS = ("kk", "ru", "en")
TAG_FINGERPRINT = "saylau-v1/election-fingerprint"

# The English template of every problem a manifest can have (the msgids a front end
# translates); `where` is the path of the faulty field, e.g. manifest.contests[0].max_marks.
MESSAGES: dict[str, str] = {
    "manifest.object": "%(where)s: expected a mapping (an object)",
    "manifest.schema": "%(where)s: expected %(expected)s",
    "manifest.languages": "%(where)s: a name needs exactly the languages %(languages)s",
    "manifest.empty_text": "%(where)s: must be a non-empty text",
    "manifest.id_length": "%(where)s: an id is 1 to 64 ASCII characters",
    "manifest.id_chars": "%(where)s: an id may hold only letters, digits, '-', '_' and '.'",
    "manifest.list": "%(where)s: expected a non-empty list",
    "manifest.integer": "%(where)s: expected a whole number, 0 or more",
    "manifest.boolean": "%(where)s: expected true or false",
    "manifest.duplicate_option": "%(where)s: the option id %(id)s appears twice",
    "manifest.marks": (
        "%(where)s: need 0 ≤ min_marks ≤ max_marks and 1 ≤ max_marks ≤ the number of options"
    ),
    "manifest.against_all": "%(where)s: at most one 'against all' option",
    "manifest.party_against_all": "%(where)s: an 'against all' option has no party",
    "manifest.duplicate_contest": "%(where)s: the contest id %(id)s appears twice",
    "manifest.unknown_contest": "%(where)s: unknown contest %(id)s",
    "manifest.contest_twice": "%(where)s: the contest %(id)s appears twice",
    "manifest.duplicate_style": "%(where)s: the ballot style id %(id)s appears twice",
    "manifest.unknown_style": "%(where)s: unknown ballot style %(id)s",
    "manifest.duplicate_district": "%(where)s: the district id %(id)s appears twice",
    "manifest.unknown_district": "%(where)s: unknown district %(id)s",
    "manifest.unknown_key": "%(where)s: unknown key %(key)s",
    "manifest.unknown_key_hint": "%(where)s: unknown key %(key)s (did you mean %(hint)s?)",
    "manifest.selection_marks": "contest %(contest)s: each option takes a mark of 0 or 1",
    "manifest.selection_total": (
        "contest %(contest)s: between %(min)s and %(max)s marks allowed, and 'against all' "
        "excludes any other mark"
    ),
}

# The keys each level of a manifest defines (an organiser's file may hold no others).
KEYS: dict[str, frozenset[str]] = {
    "manifest": frozenset(
        {"schema", "election_id", "title", "districts", "ballot_styles", "contests"}
    ),
    "districts": frozenset({"id", "name", "ballot_style"}),
    "ballot_styles": frozenset({"id", "contests"}),
    "contests": frozenset({"id", "name", "min_marks", "max_marks", "options"}),
    "options": frozenset({"id", "name", "party", "against_all"}),
}


class ManifestProblem(InvalidManifest):
    """An invalid manifest: a code of `MESSAGES` and its parameters (str() is the English)."""

    def __init__(self, code: str, **params: str | int) -> None:
        self.code = code
        self.params: dict[str, str | int] = params
        super().__init__(MESSAGES[code] % params)


@dataclass(frozen=True, slots=True)
class Option:
    """A candidate (or "against all"); `party` names the candidate's party per language, None
    for an independent and for "against all"."""

    id: str
    name: dict[str, str]
    against_all: bool = False
    party: dict[str, str] | None = None


@dataclass(frozen=True, slots=True)
class Contest:
    id: str
    name: dict[str, str]
    min_marks: int
    max_marks: int
    options: tuple[Option, ...]

    @property
    def against_all_index(self) -> int | None:
        for i, o in enumerate(self.options):
            if o.against_all:
                return i
        return None

    def weight(self, option_index: int) -> int:
        """Weight of a mark on this option in the contest's range statement."""
        return self.max_marks if self.options[option_index].against_all else 1

    @property
    def allowed_totals(self) -> tuple[int, ...]:
        return tuple(range(self.min_marks, self.max_marks + 1))

    def check_selection(self, marks: list[int]) -> None:
        """Raise InvalidManifest if a plaintext selection breaks the contest rule."""
        if len(marks) != len(self.options) or any(m not in (0, 1) for m in marks):
            raise ManifestProblem("manifest.selection_marks", contest=self.id)
        total = sum(m * self.weight(i) for i, m in enumerate(marks))
        if not self.min_marks <= total <= self.max_marks:
            raise ManifestProblem(
                "manifest.selection_total", contest=self.id, min=self.min_marks, max=self.max_marks
            )


@dataclass(frozen=True, slots=True)
class District:
    id: str
    name: dict[str, str]
    ballot_style: str


@dataclass(frozen=True, slots=True)
class BallotStyle:
    id: str
    contests: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Manifest:
    election_id: str
    title: dict[str, str]
    districts: tuple[District, ...]
    ballot_styles: tuple[BallotStyle, ...]
    contests: tuple[Contest, ...]
    raw: dict[str, Any]

    def district(self, district_id: str) -> District:
        for d in self.districts:
            if d.id == district_id:
                return d
        raise ManifestProblem("manifest.unknown_district", where="manifest", id=district_id)

    def contest(self, contest_id: str) -> Contest:
        for c in self.contests:
            if c.id == contest_id:
                return c
        raise ManifestProblem("manifest.unknown_contest", where="manifest", id=contest_id)

    def contests_for(self, district_id: str) -> tuple[Contest, ...]:
        style_id = self.district(district_id).ballot_style
        style = next(s for s in self.ballot_styles if s.id == style_id)
        return tuple(self.contest(cid) for cid in style.contests)


def _text(obj: Any, where: str) -> dict[str, str]:
    if not isinstance(obj, dict) or set(obj) != set(LANGS):
        raise ManifestProblem("manifest.languages", where=where, languages=", ".join(LANGS))
    for lang, value in obj.items():
        if not isinstance(value, str) or not value.strip():
            raise ManifestProblem("manifest.empty_text", where=f"{where}.{lang}")
    return dict(obj)


def _ident(obj: Any, where: str) -> str:
    if not isinstance(obj, str) or not obj or len(obj) > 64 or not obj.isascii():
        raise ManifestProblem("manifest.id_length", where=where)
    if not all(ch.isalnum() or ch in "-_." for ch in obj):
        raise ManifestProblem("manifest.id_chars", where=where)
    return obj


def _list(obj: Any, where: str) -> list[Any]:
    if not isinstance(obj, list) or not obj:
        raise ManifestProblem("manifest.list", where=where)
    return obj


def _int(obj: Any, where: str) -> int:
    if not isinstance(obj, int) or isinstance(obj, bool) or obj < 0:
        raise ManifestProblem("manifest.integer", where=where)
    return obj


def _contest(obj: Any, where: str) -> Contest:
    if not isinstance(obj, dict):
        raise ManifestProblem("manifest.object", where=where)
    cid = _ident(obj.get("id"), f"{where}.id")
    options = []
    seen: set[str] = set()
    for j, o in enumerate(_list(obj.get("options"), f"{where}.options")):
        ow = f"{where}.options[{j}]"
        if not isinstance(o, dict):
            raise ManifestProblem("manifest.object", where=ow)
        oid = _ident(o.get("id"), f"{ow}.id")
        if oid in seen:
            raise ManifestProblem("manifest.duplicate_option", where=f"{ow}.id", id=oid)
        seen.add(oid)
        against = o.get("against_all", False)
        if not isinstance(against, bool):
            raise ManifestProblem("manifest.boolean", where=f"{ow}.against_all")
        party = _text(o["party"], f"{ow}.party") if "party" in o else None
        if party is not None and against:
            raise ManifestProblem("manifest.party_against_all", where=f"{ow}.party")
        options.append(Option(oid, _text(o.get("name"), f"{ow}.name"), against, party))
    lo = _int(obj.get("min_marks"), f"{where}.min_marks")
    hi = _int(obj.get("max_marks"), f"{where}.max_marks")
    if not 1 <= hi <= len(options) or lo > hi:
        raise ManifestProblem("manifest.marks", where=where)
    if sum(o.against_all for o in options) > 1:
        raise ManifestProblem("manifest.against_all", where=where)
    return Contest(cid, _text(obj.get("name"), f"{where}.name"), lo, hi, tuple(options))


def _first_repeat(ids: list[str]) -> str | None:
    seen: set[str] = set()
    for ident in ids:
        if ident in seen:
            return ident
        seen.add(ident)
    return None


def _styles(obj: Any, contest_ids: list[str]) -> list[BallotStyle]:
    styles = []
    for i, s in enumerate(_list(obj, "manifest.ballot_styles")):
        w = f"manifest.ballot_styles[{i}]"
        if not isinstance(s, dict):
            raise ManifestProblem("manifest.object", where=w)
        refs = tuple(_ident(c, f"{w}.contests") for c in _list(s.get("contests"), f"{w}.contests"))
        for ref in refs:
            if ref not in contest_ids:
                raise ManifestProblem("manifest.unknown_contest", where=f"{w}.contests", id=ref)
        twice = _first_repeat(list(refs))
        if twice is not None:
            raise ManifestProblem("manifest.contest_twice", where=f"{w}.contests", id=twice)
        styles.append(BallotStyle(_ident(s.get("id"), f"{w}.id"), refs))
    twice = _first_repeat([s.id for s in styles])
    if twice is not None:
        raise ManifestProblem("manifest.duplicate_style", where="manifest.ballot_styles", id=twice)
    return styles


def _districts(obj: Any, style_ids: set[str]) -> list[District]:
    districts = []
    for i, d in enumerate(_list(obj, "manifest.districts")):
        w = f"manifest.districts[{i}]"
        if not isinstance(d, dict):
            raise ManifestProblem("manifest.object", where=w)
        style = _ident(d.get("ballot_style"), f"{w}.ballot_style")
        if style not in style_ids:
            raise ManifestProblem("manifest.unknown_style", where=f"{w}.ballot_style", id=style)
        name = _text(d.get("name"), f"{w}.name")
        districts.append(District(_ident(d.get("id"), f"{w}.id"), name, style))
    twice = _first_repeat([d.id for d in districts])
    if twice is not None:
        raise ManifestProblem("manifest.duplicate_district", where="manifest.districts", id=twice)
    return districts


def manifest_from_json(obj: Any) -> Manifest:
    """Parse and check a manifest; raise ManifestProblem naming the faulty field."""
    if not isinstance(obj, dict):
        raise ManifestProblem("manifest.object", where="manifest")
    if obj.get("schema") != MANIFEST_SCHEMA:
        raise ManifestProblem("manifest.schema", where="manifest.schema", expected=MANIFEST_SCHEMA)
    contests = tuple(
        _contest(c, f"manifest.contests[{i}]")
        for i, c in enumerate(_list(obj.get("contests"), "manifest.contests"))
    )
    contest_ids = [c.id for c in contests]
    twice = _first_repeat(contest_ids)
    if twice is not None:
        raise ManifestProblem("manifest.duplicate_contest", where="manifest.contests", id=twice)
    styles = _styles(obj.get("ballot_styles"), contest_ids)
    districts = _districts(obj.get("districts"), {s.id for s in styles})
    return Manifest(
        election_id=_ident(obj.get("election_id"), "manifest.election_id"),
        title=_text(obj.get("title"), "manifest.title"),
        districts=tuple(districts),
        ballot_styles=tuple(styles),
        contests=contests,
        raw=obj,
    )


def _unknown_key(obj: Any, level: str, where: str) -> None:
    if not isinstance(obj, dict):
        return
    for key in obj:
        if key not in KEYS[level]:
            close = difflib.get_close_matches(str(key), sorted(KEYS[level]), n=1, cutoff=0.6)
            if close:
                raise ManifestProblem(
                    "manifest.unknown_key_hint", where=where, key=str(key), hint=close[0]
                )
            raise ManifestProblem("manifest.unknown_key", where=where, key=str(key))


def check_keys(obj: Any) -> None:
    """Raise ManifestProblem for a key no level of the manifest defines (a typo such as
    `contets:`). The protocol tolerates unknown keys in a record (docs/protocol.md §5); an
    organiser's file is held to the keys it means, so a typo is named, not ignored."""
    _unknown_key(obj, "manifest", "manifest")
    if not isinstance(obj, dict):
        return
    for level in ("districts", "ballot_styles", "contests"):
        items = obj.get(level)
        for i, item in enumerate(items if isinstance(items, list) else []):
            _unknown_key(item, level, f"manifest.{level}[{i}]")
            options = item.get("options") if level == "contests" and isinstance(item, dict) else []
            for j, option in enumerate(options if isinstance(options, list) else []):
                _unknown_key(option, "options", f"manifest.contests[{i}].options[{j}]")


def fingerprint(manifest: Manifest, joint_public_key: Element) -> bytes:
    """SHA-256 over (tag, canonical manifest, group name, generator, joint public key)."""
    return digest(
        TAG_FINGERPRINT, [canonical_json(manifest.raw), GROUP_NAME, GENERATOR, joint_public_key]
    )


def name_in(names: Any, *languages: str) -> str | None:
    """A manifest name ({"kk": …, "ru": …, "en": …}) in the first of `languages` it has,
    else in any language it has; None when `names` holds no name at all."""
    if not isinstance(names, dict):
        return None
    for language in languages:
        value = names.get(language[:2])
        if isinstance(value, str) and value.strip():
            return value
    return next((v for v in names.values() if isinstance(v, str) and v.strip()), None)
