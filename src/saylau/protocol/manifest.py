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


@dataclass(frozen=True, slots=True)
class Option:
    id: str
    name: dict[str, str]
    against_all: bool = False


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
            raise InvalidManifest(f"contest {self.id}: each option takes a mark of 0 or 1")
        total = sum(m * self.weight(i) for i, m in enumerate(marks))
        if not self.min_marks <= total <= self.max_marks:
            raise InvalidManifest(
                f"contest {self.id}: between {self.min_marks} and {self.max_marks} marks "
                "allowed, and 'against all' excludes any other mark"
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
        raise InvalidManifest(f"unknown district {district_id!r}")

    def contest(self, contest_id: str) -> Contest:
        for c in self.contests:
            if c.id == contest_id:
                return c
        raise InvalidManifest(f"unknown contest {contest_id!r}")

    def contests_for(self, district_id: str) -> tuple[Contest, ...]:
        style_id = self.district(district_id).ballot_style
        style = next(s for s in self.ballot_styles if s.id == style_id)
        return tuple(self.contest(cid) for cid in style.contests)


def _text(obj: Any, where: str) -> dict[str, str]:
    if not isinstance(obj, dict) or set(obj) != set(LANGS):
        raise InvalidManifest(f"{where}: a name needs exactly the languages {', '.join(LANGS)}")
    for lang, value in obj.items():
        if not isinstance(value, str) or not value.strip():
            raise InvalidManifest(f"{where}.{lang}: must be a non-empty string")
    return dict(obj)


def _ident(obj: Any, where: str) -> str:
    if not isinstance(obj, str) or not obj or len(obj) > 64 or not obj.isascii():
        raise InvalidManifest(f"{where}: an id is 1–64 ASCII characters")
    if not all(ch.isalnum() or ch in "-_." for ch in obj):
        raise InvalidManifest(f"{where}: an id may hold letters, digits, '-', '_' and '.'")
    return obj


def _list(obj: Any, where: str) -> list[Any]:
    if not isinstance(obj, list) or not obj:
        raise InvalidManifest(f"{where}: expected a non-empty list")
    return obj


def _int(obj: Any, where: str) -> int:
    if not isinstance(obj, int) or isinstance(obj, bool) or obj < 0:
        raise InvalidManifest(f"{where}: expected a non-negative integer")
    return obj


def _contest(obj: Any, where: str) -> Contest:
    if not isinstance(obj, dict):
        raise InvalidManifest(f"{where}: expected an object")
    cid = _ident(obj.get("id"), f"{where}.id")
    options = []
    seen: set[str] = set()
    for j, o in enumerate(_list(obj.get("options"), f"{where}.options")):
        ow = f"{where}.options[{j}]"
        if not isinstance(o, dict):
            raise InvalidManifest(f"{ow}: expected an object")
        oid = _ident(o.get("id"), f"{ow}.id")
        if oid in seen:
            raise InvalidManifest(f"{ow}.id: duplicate option id {oid!r}")
        seen.add(oid)
        against = o.get("against_all", False)
        if not isinstance(against, bool):
            raise InvalidManifest(f"{ow}.against_all: expected true or false")
        options.append(Option(oid, _text(o.get("name"), f"{ow}.name"), against))
    lo = _int(obj.get("min_marks"), f"{where}.min_marks")
    hi = _int(obj.get("max_marks"), f"{where}.max_marks")
    if not 1 <= hi <= len(options) or lo > hi:
        raise InvalidManifest(
            f"{where}: need 0 ≤ min_marks ≤ max_marks, 1 ≤ max_marks ≤ number of options"
        )
    if sum(o.against_all for o in options) > 1:
        raise InvalidManifest(f"{where}: at most one 'against all' option")
    return Contest(cid, _text(obj.get("name"), f"{where}.name"), lo, hi, tuple(options))


def manifest_from_json(obj: Any) -> Manifest:
    """Parse and check a manifest; raise InvalidManifest naming the faulty field."""
    if not isinstance(obj, dict):
        raise InvalidManifest("manifest: expected a JSON object")
    if obj.get("schema") != MANIFEST_SCHEMA:
        raise InvalidManifest(f"manifest.schema: expected {MANIFEST_SCHEMA!r}")
    contests = tuple(
        _contest(c, f"manifest.contests[{i}]")
        for i, c in enumerate(_list(obj.get("contests"), "manifest.contests"))
    )
    contest_ids = [c.id for c in contests]
    if len(set(contest_ids)) != len(contest_ids):
        raise InvalidManifest("manifest.contests: duplicate contest id")
    styles = []
    for i, s in enumerate(_list(obj.get("ballot_styles"), "manifest.ballot_styles")):
        w = f"manifest.ballot_styles[{i}]"
        if not isinstance(s, dict):
            raise InvalidManifest(f"{w}: expected an object")
        refs = tuple(_ident(c, f"{w}.contests") for c in _list(s.get("contests"), w))
        for ref in refs:
            if ref not in contest_ids:
                raise InvalidManifest(f"{w}.contests: unknown contest {ref!r}")
        if len(set(refs)) != len(refs):
            raise InvalidManifest(f"{w}.contests: a contest appears twice")
        styles.append(BallotStyle(_ident(s.get("id"), f"{w}.id"), refs))
    style_ids = {s.id for s in styles}
    if len(style_ids) != len(styles):
        raise InvalidManifest("manifest.ballot_styles: duplicate ballot style id")
    districts = []
    for i, d in enumerate(_list(obj.get("districts"), "manifest.districts")):
        w = f"manifest.districts[{i}]"
        if not isinstance(d, dict):
            raise InvalidManifest(f"{w}: expected an object")
        style = _ident(d.get("ballot_style"), f"{w}.ballot_style")
        if style not in style_ids:
            raise InvalidManifest(f"{w}.ballot_style: unknown ballot style {style!r}")
        districts.append(District(_ident(d.get("id"), f"{w}.id"), _text(d.get("name"), w), style))
    if len({d.id for d in districts}) != len(districts):
        raise InvalidManifest("manifest.districts: duplicate district id")
    return Manifest(
        election_id=_ident(obj.get("election_id"), "manifest.election_id"),
        title=_text(obj.get("title"), "manifest.title"),
        districts=tuple(districts),
        ballot_styles=tuple(styles),
        contests=contests,
        raw=obj,
    )


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
