"""The booth's vectors: ballot_encrypt.json (encrypt_ballot with a DeterministicRng, openings,
refused selections and credential codes) and board.json (a small board: signed heads,
inclusion proofs, cast answers and look-ups, and tampered answers with the code that refuses
them). Built by generate.py, which passes its `header` and `rng`; see README.md."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from saylau.crypto import elgamal, group
from saylau.crypto.encoding import element_hex, scalar_hex
from saylau.crypto.group import L
from saylau.crypto.rand import DeterministicRng
from saylau.protocol import credentials as creds
from saylau.protocol.ballot import ElectionContext, encrypt_ballot
from saylau.protocol.errors import InvalidBallot, InvalidCredential
from saylau.protocol.manifest import ManifestProblem, manifest_from_json
from saylau.simulate.manifest_gen import make_manifest

Json = dict[str, Any]
Header = Callable[[str], Json]
RngOf = Callable[[str], DeterministicRng]

ENCRYPT_ELECTION_ID = "saylau-vectors-booth"
BOARD_ELECTION_ID = "saylau-vectors-board"
SELECTION_CODES = {  # the Python refusal → the booth's code (ballot-encrypt.js)
    "manifest.unknown_district": "selection.district",
    "manifest.selection_marks": "selection.marks",
    "manifest.selection_total": "selection.total",
    "InvalidBallot": "selection.missing",
}


class CountingRng:
    """A DeterministicRng that keeps the scalars it hands out, in order."""

    def __init__(self, inner: DeterministicRng) -> None:
        self._inner = inner
        self.drawn: list[int] = []

    def scalar(self) -> int:
        s = self._inner.scalar()
        self.drawn.append(s)
        return s

    def bytes(self, n: int) -> bytes:
        raise AssertionError("encrypt_ballot draws scalars only")


# --- ballot_encrypt.json ------------------------------------------------------------------------


def _rng_cases() -> list[Json]:
    out = []
    for seed in ("saylau-vectors/v1/rng", "", "сайлау-қазақ"):
        d = DeterministicRng(seed)
        chunks = [{"n": n, "hex": d.bytes(n).hex()} for n in (1, 32, 64, 100)]
        out.append(
            {
                "seed": seed,
                "bytes": chunks,
                "then_scalars": [scalar_hex(d.scalar()) for _ in range(3)],
            }
        )
    return out


def _marks(n: int, *marked: int) -> list[int]:
    return [1 if j in marked else 0 for j in range(n)]


def _opening(ctx: ElectionContext, raw: Json, drawn: list[int], selection: Json) -> Json:
    """The randomness of every option, picked from the draws in encrypt_ballot's order (per
    option r, w, c, v; per contest 1 + 2·(values − 1) for the range proof); checked."""
    at, contests = 0, []
    for contest, enc in zip(
        ctx.manifest.contests_for(raw["district"]), raw["contests"], strict=True
    ):
        rs = []
        for choice in enc["choices"]:
            r = drawn[at]
            if element_hex(group.base_mul(r)) != choice["alpha"]:
                raise AssertionError("encrypt_ballot's order of draws changed")
            rs.append(scalar_hex(r))
            at += 4
        at += 1 + 2 * (len(contest.allowed_totals) - 1)
        contests.append({"id": contest.id, "marks": selection[contest.id], "randomness": rs})
    if at + 1 != len(drawn):
        raise AssertionError("encrypt_ballot's number of draws changed")
    return {"contests": contests}


def _encrypt_cases(
    ctx: ElectionContext, voters: dict[str, creds.SecretCredential], rng: RngOf
) -> list[Json]:
    m = ctx.manifest
    d0, d1 = (d.id for d in m.districts)
    plan = [
        ("one candidate, two of up to three", d0, {0: (3,), 1: (1, 5)}),
        ("'against all' in the vote-for-1, no mark in the up-to-3", d0, {0: (11,), 1: ()}),
        ("a candidate, and 'against all' alone in the up-to-3 (weight 3)", d1, {0: (0,), 1: (7,)}),
        ("a candidate, and three of up to three", d1, {0: (10,), 1: (0, 2, 6)}),
    ]
    cases = []
    for k, (name, district, marked) in enumerate(plan):
        contests = m.contests_for(district)
        selection = {c.id: _marks(len(c.options), *marked[i]) for i, c in enumerate(contests)}
        seed_name = f"ballot_encrypt/{k}"
        counting = CountingRng(rng(seed_name))
        b = encrypt_ballot(ctx, district, selection, voters[district], counting)
        cases.append(
            {
                "name": name,
                "district": district,
                "credential_code": voters[district].display,
                "credential_public": element_hex(voters[district].public),
                "selection": selection,
                "seed": counting._inner._seed.decode(),
                "draws": len(counting.drawn),
                "ballot": b.raw,
                "tracking_code": b.tracking_code,
                "opening": _opening(ctx, b.raw, counting.drawn, selection),
            }
        )
    return cases


def _refused_selections(
    ctx: ElectionContext, voter: creds.SecretCredential, valid: Json, district: str
) -> list[Json]:
    c0, c1 = (c.id for c in ctx.manifest.contests_for(district))
    n0, n1 = len(valid[c0]), len(valid[c1])
    plan = [
        ("two marks in the vote-for-1 contest", district, {c0: _marks(n0, 0, 1)}),
        ("no mark in the vote-for-1 contest (min 1)", district, {c0: _marks(n0)}),
        ("four marks in the up-to-3 contest", district, {c1: _marks(n1, 0, 1, 2, 3)}),
        (
            "'against all' and a candidate in the up-to-3 contest",
            district,
            {c1: _marks(n1, 0, n1 - 1)},
        ),
        (
            "'against all' and a candidate in the vote-for-1 contest",
            district,
            {c0: _marks(n0, 0, n0 - 1)},
        ),
        ("a mark 2", district, {c0: [2] + [0] * (n0 - 1)}),
        ("a mark -1", district, {c1: [-1] + [0] * (n1 - 1)}),
        ("one mark too few", district, {c0: _marks(n0 - 1, 0)}),
        ("one mark too many", district, {c1: _marks(n1 + 1)}),
        ("no selection for the up-to-3 contest", district, {c1: None}),
        ("an unknown district", "atlantis", {}),
    ]
    out = []
    for name, d, change in plan:
        selection = {**valid, **change}
        selection = {k: v for k, v in selection.items() if v is not None}
        try:
            encrypt_ballot(ctx, d, selection, voter, DeterministicRng("refused"))
        except ManifestProblem as e:
            code = SELECTION_CODES[e.code]
        except InvalidBallot:
            code = SELECTION_CODES["InvalidBallot"]
        else:
            raise AssertionError(f"encrypt_ballot accepted {name}")
        out.append({"name": name, "district": d, "selection": selection, "code": code})
    return out


def _credential_codes(election_id: str, voter: creds.SecretCredential) -> list[Json]:
    code = voter.code
    other = "2" if code[5] != "2" else "3"
    plan = [
        ("as shown, with dashes", voter.display),
        ("without separators", code),
        ("with spaces", " ".join(code[i : i + 5] for i in range(0, 20, 5))),
        ("one character changed (the check character catches it)", code[:5] + other + code[6:]),
        ("one character left out", code[:-2] + code[-1]),
        ("a zero, which base58 leaves out", "0" + code[1:]),
        ("lower case", code.lower() if code.lower() != code else code.upper()),
        ("empty", ""),
    ]
    out = []
    for name, text in plan:
        try:
            public: str | None = element_hex(creds.derive(election_id, text).public)
        except InvalidCredential:
            public = None
        out.append({"name": name, "text": text, "public": public})
    return out


def _tampered_openings(cases: list[Json]) -> list[Json]:
    base, other = cases[0], cases[1]
    ballot, opening = base["ballot"], base["opening"]
    marks0 = opening["contests"][0]["marks"]
    marked, unmarked = marks0.index(1), marks0.index(0)

    def edit(path: list[Any], value: Any, doc: Json = opening) -> Json:
        out = copy.deepcopy(doc)
        at = out
        for p in path[:-1]:
            at = at[p]
        at[path[-1]] = value
        return out

    r0 = opening["contests"][0]["randomness"]
    swapped = copy.deepcopy(opening)
    for key in ("marks", "randomness"):
        xs = swapped["contests"][0][key]
        xs[marked], xs[unmarked] = xs[unmarked], xs[marked]
    plan: list[tuple[str, str, Json | None, Any]] = [
        (
            "a randomness + 1",
            "opening.ciphertext",
            None,
            edit(["contests", 0, "randomness", 2], _bump(r0[2])),
        ),
        (
            "an unmarked option opened as marked",
            "opening.ciphertext",
            None,
            edit(["contests", 0, "marks", unmarked], 1),
        ),
        (
            "the marked option opened as unmarked",
            "opening.ciphertext",
            None,
            edit(["contests", 0, "marks", marked], 0),
        ),
        ("two options' marks and randomness swapped", "opening.ciphertext", None, swapped),
        ("another ballot's opening", "opening.ciphertext", None, other["opening"]),
        (
            "a randomness + L (not a canonical scalar)",
            "opening.randomness",
            None,
            edit(
                ["contests", 0, "randomness", 1],
                (int.from_bytes(bytes.fromhex(r0[1]), "little") + L).to_bytes(32, "little").hex(),
            ),
        ),
        (
            "a randomness in upper case",
            "opening.randomness",
            None,
            edit(["contests", 0, "randomness", 0], r0[0].upper()),
        ),
        (
            "one randomness too few",
            "opening.randomness",
            None,
            edit(["contests", 1, "randomness"], opening["contests"][1]["randomness"][:-1]),
        ),
        ("a mark 2", "opening.marks", None, edit(["contests", 0, "marks", marked], 2)),
        (
            "one mark too few",
            "opening.marks",
            None,
            edit(["contests", 1, "marks"], opening["contests"][1]["marks"][:-1]),
        ),
        (
            "the contests in the other order",
            "opening.contests",
            None,
            {"contests": opening["contests"][::-1]},
        ),
        ("a contest left out", "opening.contests", None, {"contests": opening["contests"][:1]}),
        ("not an object", "opening.shape", None, None),
        (
            "the ballot's alpha with bit 255 set",
            "opening.ballot",
            edit(
                ["contests", 0, "choices", 0, "alpha"],
                _top_bit(ballot["contests"][0]["choices"][0]["alpha"]),
                ballot,
            ),
            opening,
        ),
        (
            "the ballot bound to another election",
            "opening.election",
            edit(["election"], "00" * 32, ballot),
            opening,
        ),
    ]
    return [
        {"name": n, "code": code, **({"ballot": b} if b is not None else {"case": 0}), "opening": o}
        for n, code, b, o in plan
    ]


def _bump(h: str) -> str:
    return scalar_hex(int.from_bytes(bytes.fromhex(h), "little") + 1)


def _top_bit(h: str) -> str:
    b = bytearray.fromhex(h)
    b[31] |= 0x80
    return b.hex()


def build_ballot_encrypt(header: Header, rng: RngOf) -> Json:
    r = rng("ballot_encrypt")
    manifest_raw = make_manifest(ENCRYPT_ELECTION_ID, 2)
    manifest = manifest_from_json(manifest_raw)
    secret_key = r.scalar()
    ctx = ElectionContext.make(manifest, group.base_mul(secret_key))
    voters = {d.id: creds.generate(ENCRYPT_ELECTION_ID, r) for d in manifest.districts}
    cases = _encrypt_cases(ctx, voters, rng)
    for case in cases:  # the opening decrypts as the selection (a check of the generator)
        for contest, enc in zip(
            case["opening"]["contests"], case["ballot"]["contests"], strict=True
        ):
            for m, choice in zip(contest["marks"], enc["choices"], strict=True):
                ct = elgamal.Ciphertext(
                    group.Element(bytes.fromhex(choice["alpha"])),
                    group.Element(bytes.fromhex(choice["beta"])),
                )
                if elgamal.decrypt_to_element(secret_key, ct) != group.base_mul(m):
                    raise AssertionError("an opening does not match the ballot")
    first = manifest.districts[0].id
    return {
        **header(
            "The booth's encryption (protocol/ballot.py encrypt_ballot, ported in "
            "frontend/src/ballot-encrypt.js): DeterministicRng streams (SHAKE-256), complete "
            "ballots encrypted from a seed, so the JS must make them byte for byte, with each "
            "option's randomness (the opening of a Benaloh challenge); tampered openings with "
            "the code that refuses them; selections encrypt_ballot refuses; credential codes "
            "as typed, with the public credential or null for a typo."
        ),
        "rng": _rng_cases(),
        "manifest": manifest_raw,
        "joint_key": {
            "secret": scalar_hex(secret_key),
            "public": element_hex(ctx.joint_public_key),
        },
        "fingerprint": ctx.fingerprint.hex(),
        "cases": cases,
        "tampered_openings": _tampered_openings(cases),
        "refused_selections": _refused_selections(ctx, voters[first], cases[0]["selection"], first),
        "credential_codes": _credential_codes(ENCRYPT_ELECTION_ID, voters[first]),
    }
