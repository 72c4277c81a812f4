"""The committed test vectors: (a) they are exactly what generate.py produces from the code,
(b) Python verifies every vector and rejects every tampered variant at the stated stage, and
(c) an independent implementation (@noble/curves via crosscheck.mjs) agrees, and would notice
if a vector were corrupted."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from saylau.crypto import dkg, dkg_json, elgamal, group, proofs, signatures
from saylau.crypto.encoding import element_from_hex, element_hex, scalar_from_hex, scalar_hex
from saylau.crypto.errors import (
    InvalidElement,
    InvalidEncoding,
    InvalidProof,
    InvalidScalar,
    InvalidSignature,
)
from saylau.crypto.hashing import (
    digest,
    expand_message_xmd,
    frame,
    hash_to_element,
    hash_to_scalar,
)
from saylau.crypto.rand import DeterministicRng
from saylau.protocol import board
from saylau.protocol import credentials as creds
from saylau.protocol.ballot import (
    ElectionContext,
    ballot_from_json,
    encrypt_ballot,
    signed_message,
    tracking_code,
    verify_ballot,
    weighted_total,
)
from saylau.protocol.canonical import canonical_json
from saylau.protocol.errors import InvalidBallot, InvalidCredential
from saylau.protocol.manifest import GROUP_NAME, TAG_FINGERPRINT, fingerprint, manifest_from_json

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
FRONTEND = REPO / "frontend"
CROSSCHECK = HERE / "crosscheck.mjs"


def _load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("saylau_vectors_generate", HERE / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


gen = _load_generator()


def load(name: str) -> dict[str, Any]:
    return json.loads((HERE / name).read_text(encoding="utf-8"))


# --- (a) the files cannot drift from the code ------------------------------------------


@pytest.fixture(scope="module")
def generated() -> dict[str, str]:
    return gen.build_all()


@pytest.mark.parametrize("name", sorted(gen.FILES))
def test_committed_vectors_are_what_the_code_generates(name: str, generated: dict[str, str]):
    path = HERE / name
    assert path.is_file(), f"{name} is missing: run python tests/vectors/generate.py"
    assert path.read_text(encoding="utf-8") == generated[name], (
        f"{name} differs from what the code generates: if the change is intended, run "
        "python tests/vectors/generate.py and commit the result"
    )


def test_generation_is_deterministic(generated: dict[str, str]):
    assert gen.build_all() == generated


def test_every_vector_file_has_a_generator_and_a_checker():
    on_disk = {p.name for p in HERE.glob("*.json")}
    assert on_disk == set(gen.FILES)
    assert set(PY_CHECKERS) == set(gen.FILES)
    js = CROSSCHECK.read_text(encoding="utf-8")
    for name in gen.FILES:
        assert f"'{name}':" in js, f"crosscheck.mjs has no checker for {name}"
    for name in gen.FILES:
        doc = load(name)
        assert doc["description"] and doc["generator"] == "tests/vectors/generate.py"


def test_check_mode_reports_stale_files(tmp_path: Path):
    assert gen.main(["--out", str(tmp_path)]) == 0
    assert gen.main(["--out", str(tmp_path), "--check"]) == 0
    (tmp_path / "elgamal.json").write_text("{}\n", encoding="utf-8")
    assert gen.main(["--out", str(tmp_path), "--check"]) == 1


# --- (b) Python verifies every vector ----------------------------------------------------


def check_group(doc: dict[str, Any]) -> None:
    assert int(doc["order"]) == group.L
    assert doc["generator_element"] == element_hex(group.GENERATOR)
    assert doc["identity_element"] == element_hex(group.IDENTITY)
    acc = group.IDENTITY
    for v in doc["rfc9496_a1_multiples"]:
        assert element_hex(group.base_mul(v["k"])) == v["element"]
        assert element_hex(acc) == v["element"]
        assert element_from_hex(v["element"]) == acc
        acc = group.add(acc, group.GENERATOR)
    for v in doc["rfc9496_a3_from_uniform_bytes"]:
        assert element_hex(group.from_uniform_bytes(bytes.fromhex(v["input"]))) == v["element"]
    for v in doc["canonical_scalars"]:
        assert group.decode_scalar(bytes.fromhex(v["encoding"])) == int(v["value"])
    for v in doc["non_canonical_scalars"]:
        with pytest.raises(InvalidScalar):
            group.decode_scalar(bytes.fromhex(v["encoding"]))
    for v in doc["base_mul"]:
        assert element_hex(group.base_mul(scalar_from_hex(v["scalar"]))) == v["element"]
    for v in doc["mul"]:
        p = element_from_hex(v["point"])
        assert element_hex(group.mul(scalar_from_hex(v["scalar"]), p)) == v["element"]
    for v in doc["add"]:
        p, q = element_from_hex(v["p"]), element_from_hex(v["q"])
        assert element_hex(group.add(p, q)) == v["sum"]
        assert element_hex(group.sub(p, q)) == v["difference"]
    for v in doc["neg"]:
        assert element_hex(group.neg(element_from_hex(v["p"]))) == v["neg"]
    # the invalid encodings are checked one by one in test_invalid_encoding_is_rejected


def check_hashing(doc: dict[str, Any]) -> None:
    for v in doc["expand_message_xmd_sha512"]:
        out = expand_message_xmd(bytes.fromhex(v["msg"]), v["dst"].encode(), v["len_in_bytes"])
        assert out.hex() == v["uniform_bytes"]
    for v in doc["frame"]:
        assert frame(gen.items_from_json(v["items"])).hex() == v["framed"]
    for v in doc["hash_to_scalar"]:
        assert scalar_hex(hash_to_scalar(v["tag"], gen.items_from_json(v["items"]))) == v["scalar"]
    for v in doc["hash_to_element"]:
        msg = bytes.fromhex(v["msg"])
        if v["dst"].startswith("saylau-v1/"):
            assert element_hex(hash_to_element(v["dst"], msg)) == v["element"]
        uniform = expand_message_xmd(msg, v["dst"].encode(), 64)
        assert element_hex(group.from_uniform_bytes(uniform)) == v["element"]
    for v in doc["digest"]:
        assert digest(v["tag"], gen.items_from_json(v["items"])).hex() == v["digest"]


def check_elgamal(doc: dict[str, Any]) -> None:
    keys = [(scalar_from_hex(k["secret"]), element_from_hex(k["public"])) for k in doc["keys"]]
    for x, k in keys:
        assert group.base_mul(x) == k
    cts = []
    for v in doc["encryptions"]:
        x, k = keys[v["key"]]
        ct = elgamal.encrypt(k, v["m"], scalar_from_hex(v["r"]))
        assert (element_hex(ct.alpha), element_hex(ct.beta)) == (v["alpha"], v["beta"])
        assert element_hex(elgamal.decrypt_to_element(x, ct)) == v["plaintext_element"]
        cts.append(ct)
    for v in doc["sums"]:
        total = elgamal.sum_ciphertexts([cts[i] for i in v["of"]])
        assert (element_hex(total.alpha), element_hex(total.beta)) == (v["alpha"], v["beta"])
        assert elgamal.decrypt_to_element(keys[v["key"]][0], total) == group.base_mul(v["m"])
    for v in doc["scaled"]:
        sc = cts[v["of"]].scale(scalar_from_hex(v["k"]))
        assert (element_hex(sc.alpha), element_hex(sc.beta)) == (v["alpha"], v["beta"])


def check_proofs(doc: dict[str, Any]) -> None:
    assert doc["tags"] == {
        "schnorr": proofs.TAG_SCHNORR,
        "chaum_pedersen": proofs.TAG_CHAUM_PEDERSEN,
        "disjunctive": proofs.TAG_DISJUNCTIVE,
    }
    # the cases themselves are checked one by one in test_proof_case / test_tampered_variant


def check_signatures(doc: dict[str, Any]) -> None:
    assert doc["tag"] == signatures.TAG_SIGNATURE


# ballot.json: the stages of verify_ballot, in order, and how its messages name them.
BALLOT_CHECKS = [
    "encoding",
    "election",
    "credential",
    "ballot style",
    "0/1 proof",
    "range proof",
    "signature",
]
_STAGE_OF_MESSAGE = [
    (r"^election:", "election"),
    (r"^credential:", "credential"),
    (r"^(district|contests):|: wrong number of options$", "ballot style"),
    (r": 0/1 proof fails$", "0/1 proof"),
    (r": range proof fails", "range proof"),
    (r"^signature:", "signature"),
]


def _ballot_context(doc: dict[str, Any], manifest: dict[str, Any] | None = None) -> ElectionContext:
    key = element_from_hex(doc["joint_key"]["public"])
    return ElectionContext.make(manifest_from_json(manifest or doc["manifest"]), key)


def _credential_districts(doc: dict[str, Any]) -> dict[Any, str]:
    return {element_from_hex(h): d for d, hs in doc["published_credentials"].items() for h in hs}


def python_ballot_stage(doc: dict[str, Any], variant: dict[str, Any]) -> str | None:
    """The check at which Python rejects a (tampered) ballot, or None if it accepts it."""
    ctx = _ballot_context(doc, variant.get("manifest"))
    try:
        ballot = ballot_from_json(variant["ballot"])
    except InvalidBallot:
        return "encoding"
    try:
        listed = None if variant.get("without_credential_list") else _credential_districts(doc)
        verify_ballot(ctx, ballot, listed)
    except InvalidBallot as e:
        stages = [stage for pattern, stage in _STAGE_OF_MESSAGE if re.search(pattern, str(e))]
        assert len(stages) == 1, f"cannot tell the stage of {e}"
        return stages[0]
    return None


def check_ballot(doc: dict[str, Any]) -> None:
    assert doc["tags"] == {
        "fingerprint": TAG_FINGERPRINT,
        "credential": creds.TAG_CREDENTIAL,
        "credential_check_prefix": "saylau-v1/credential-check",
        "disjunctive": proofs.TAG_DISJUNCTIVE,
        "signature": signatures.TAG_SIGNATURE,
    }
    assert doc["group"] == GROUP_NAME
    assert doc["checks"] == BALLOT_CHECKS
    for c in doc["canonical_json"]:
        assert canonical_json(c["value"]).decode("utf-8") == c["canonical"]
        assert canonical_json(c["value"]).hex() == c["utf8"]

    manifest = manifest_from_json(doc["manifest"])
    assert (
        hashlib.sha256(canonical_json(doc["manifest"])).hexdigest()
        == (doc["manifest_canonical_sha256"])
    )
    secret_key = scalar_from_hex(doc["joint_key"]["secret"])
    key = element_from_hex(doc["joint_key"]["public"])
    assert group.base_mul(secret_key) == key
    assert fingerprint(manifest, key).hex() == doc["fingerprint"]
    ctx = _ballot_context(doc)

    cred = creds.derive(manifest.election_id, doc["credential"]["display"])
    assert cred.display == doc["credential"]["display"]
    assert cred.code == doc["credential"]["code"]
    assert scalar_hex(cred.scalar) == doc["credential"]["scalar"]
    assert element_hex(cred.public) == doc["credential"]["public"]
    code = cred.code
    with pytest.raises(InvalidCredential):
        creds.normalise_code(code[:7] + ("B" if code[7] == "A" else "A") + code[8:])
    for hs in doc["published_credentials"].values():
        assert hs == sorted(hs)
    district = doc["district"]
    assert _credential_districts(doc)[cred.public] == district

    contests = manifest.contests_for(district)
    assert [
        {
            "id": c.id,
            "options": len(c.options),
            "min_marks": c.min_marks,
            "max_marks": c.max_marks,
            "against_all_index": c.against_all_index,
            "weights": [c.weight(j) for j in range(len(c.options))],
            "allowed_totals": list(c.allowed_totals),
        }
        for c in contests
    ] == doc["ballot_style"]

    ballot = ballot_from_json(doc["ballot"])
    verify_ballot(ctx, ballot, _credential_districts(doc))
    assert tracking_code(doc["ballot"]) == doc["tracking_code"]
    assert signed_message(doc["ballot"]).hex() == doc["signed_message"]
    for contest, enc in zip(contests, ballot.contests, strict=True):
        marks = doc["selection"][contest.id]
        decrypted = [
            element_hex(elgamal.decrypt_to_element(secret_key, ch.ct)) for ch in enc.choices
        ]
        assert decrypted == doc["decryption"][contest.id]
        assert decrypted == [element_hex(group.base_mul(m)) for m in marks]
        total = weighted_total(contest, [ch.ct for ch in enc.choices])
        expected = doc["weighted_totals"][contest.id]
        assert (element_hex(total.alpha), element_hex(total.beta)) == (
            expected["alpha"],
            expected["beta"],
        )
        assert expected["m"] == sum(m * contest.weight(j) for j, m in enumerate(marks))
        assert elgamal.decrypt_to_element(secret_key, total) == group.base_mul(expected["m"])

    # the ballot is a pure function of (selection, credential, RNG scalars)
    replay = ReplayRng(doc["rng_scalars"])
    again = encrypt_ballot(ctx, district, doc["selection"], cred, replay)
    assert again.raw == doc["ballot"]
    assert replay.left() == 0
    assert {t["rejected_by"] for t in doc["tampered"]} == set(BALLOT_CHECKS)
    # the tampered ballots are checked one by one in test_tampered_ballot_is_rejected


def _lagrange_coefficients(points: list[tuple[int, int]]) -> list[int]:
    """The polynomial of degree < len(points) through them, mod L (written here, not taken
    from saylau.crypto.dkg)."""
    coefficients = [0] * len(points)
    for j, y in points:
        basis, denominator = [1], 1
        for m, _ in points:
            if m != j:
                basis = [
                    (a - m * b) % group.L for a, b in zip([0, *basis], [*basis, 0], strict=True)
                ]
                denominator = denominator * (j - m) % group.L
        factor = y * pow(denominator, -1, group.L) % group.L
        coefficients = [
            (c + factor * b) % group.L for c, b in zip(coefficients, basis, strict=True)
        ]
    return coefficients


def check_dkg(doc: dict[str, Any]) -> None:
    context = gen.items_from_json(doc["context"])
    tr = dkg_json.transcript_from_json(doc["transcript"])
    result = dkg.verify_transcript(tr, context)
    assert list(result.qual) == doc["qual"] and doc["faulty_dealer"] not in doc["qual"]
    assert list(result.reconstructed) == doc["reconstructed"] == [doc["silent_trustee"]]
    assert element_hex(result.joint_public_key) == doc["joint_public_key"]
    got_keys = {str(j): element_hex(x) for j, x in result.verification_keys.items()}
    assert got_keys == doc["verification_keys"]
    for j, x in doc["secret_shares"].items():
        assert element_hex(group.base_mul(scalar_from_hex(x, "x"))) == doc["verification_keys"][j]
    assert gen._disclosure_judgements(tr, context) == doc["judgements"]
    assert any(c["founded"] for c in doc["judgements"])
    joint = group.IDENTITY
    for f in doc["feldman"]:
        if f["source"] == "reconstruction":
            points = sorted(
                (c["recipient"], scalar_from_hex(c["share"], "share"))
                for c in doc["judgements"]
                if c["dealer"] == f["dealer"] and not c["founded"]
            )[: doc["t"]]
            assert [j for j, _ in points] == f["from_recipients"]
            rebuilt = [element_hex(group.base_mul(a)) for a in _lagrange_coefficients(points)]
            assert rebuilt == f["commitments"]
        joint = group.add(joint, element_from_hex(f["commitments"][0], "A_i0"))
    assert element_hex(joint) == doc["joint_public_key"]


def check_ballot_encrypt(doc: dict[str, Any]) -> None:
    """Every ballot is encrypt_ballot's from its seed, and verifies (openings, refusals and
    credential codes: test_booth_vectors.py)."""
    manifest = manifest_from_json(doc["manifest"])
    ctx = ElectionContext.make(manifest, element_from_hex(doc["joint_key"]["public"]))
    assert ctx.fingerprint.hex() == doc["fingerprint"]
    for case in doc["cases"]:
        voter = creds.derive(manifest.election_id, case["credential_code"])
        rng = DeterministicRng(case["seed"])
        ballot = encrypt_ballot(ctx, case["district"], case["selection"], voter, rng)
        assert canonical_json(ballot.raw) == canonical_json(case["ballot"]), case["name"]
        verify_ballot(ctx, ballot, {voter.public: case["district"]})


def check_board(doc: dict[str, Any]) -> None:
    """Every head is signed and has the leaves' root; every inclusion proof verifies (the cast
    answers, look-ups and tampered answers: test_booth_vectors.py)."""
    key, log_id = bytes.fromhex(doc["board_public_key"]), bytes.fromhex(doc["log_id"])
    log = board.MerkleLog([board.leaf_hash(leaf["data"].encode()) for leaf in doc["leaves"]])
    heads = [board.tree_head_from_json(h["head"]) for h in doc["heads"]]
    for head in heads:
        board.verify_tree_head(head, key, log_id)
        assert head.root_hash == log.root(head.tree_size)
    for p in doc["inclusion"]:
        leaf = log.leaf_hashes[p["leaf_index"]]
        path = [bytes.fromhex(h) for h in p["path"]]
        root = heads[p["tree_size"] - 1].root_hash
        board.verify_inclusion(leaf, p["leaf_index"], p["tree_size"], path, root)


PY_CHECKERS: dict[str, Callable[[dict[str, Any]], None]] = {
    "group.json": check_group,
    "hashing.json": check_hashing,
    "elgamal.json": check_elgamal,
    "proofs.json": check_proofs,
    "signatures.json": check_signatures,
    "ballot.json": check_ballot,
    "dkg.json": check_dkg,
    "ballot_encrypt.json": check_ballot_encrypt,
    "board.json": check_board,
}


@pytest.mark.parametrize("name", sorted(PY_CHECKERS))
def test_python_verifies_vector_file(name: str):
    PY_CHECKERS[name](load(name))


def _invalid_encodings() -> list[Any]:
    doc = load("group.json")
    entries = [("A.2", v) for v in doc["rfc9496_a2_invalid"]]
    entries += [("extra", v) for v in doc["extra_invalid_encodings"]]
    return [
        pytest.param(v["encoding"], id=f"{src}-{i}-{v['reason']}")
        for i, (src, v) in enumerate(entries)
    ]


@pytest.mark.parametrize("encoding", _invalid_encodings())
def test_invalid_encoding_is_rejected(encoding: str):
    with pytest.raises(InvalidElement):
        group.decode_element(bytes.fromhex(encoding))


# Decoding of proof/signature cases, as a verifier reading JSON would do it. Anything that is
# not a canonical encoding raises InvalidEncoding (or ValueError for malformed JSON shapes).


def _hex_bytes(text: object, what: str) -> bytes:
    if not isinstance(text, str) or text != text.lower() or len(text) % 2:
        raise InvalidEncoding(f"{what}: not lowercase hex")
    try:
        return bytes.fromhex(text)
    except ValueError:
        raise InvalidEncoding(f"{what}: not hex") from None


def _values(values: object) -> list[int]:
    if not isinstance(values, list) or not all(type(v) is int and v >= 0 for v in values):
        raise ValueError("values must be a list of non-negative integers")
    return values


def _decode_single(v: dict[str, Any]) -> tuple[int, int]:
    return (
        scalar_from_hex(v["proof"]["challenge"], "challenge"),
        scalar_from_hex(v["proof"]["response"], "response"),
    )


def _schnorr(v: dict[str, Any]) -> Callable[[], None]:
    public = element_from_hex(v["statement"]["public"], "public")
    ctx = gen.items_from_json(v["context"])
    proof = proofs.SchnorrProof(*_decode_single(v))
    return lambda: proofs.verify_schnorr(proof, public, ctx)


def _chaum_pedersen(v: dict[str, Any]) -> Callable[[], None]:
    st = v["statement"]
    x, base, d = (element_from_hex(st[k], k) for k in ("x", "base", "d"))
    ctx = gen.items_from_json(v["context"])
    proof = proofs.ChaumPedersenProof(*_decode_single(v))
    return lambda: proofs.verify_chaum_pedersen(proof, x, base, d, ctx)


def _disjunctive(v: dict[str, Any]) -> Callable[[], None]:
    st = v["statement"]
    key = element_from_hex(st["public_key"], "public_key")
    ct = elgamal.Ciphertext(
        element_from_hex(st["alpha"], "alpha"), element_from_hex(st["beta"], "beta")
    )
    values = _values(st["values"])
    ctx = gen.items_from_json(v["context"])
    proof = proofs.DisjunctiveProof(
        tuple(scalar_from_hex(c, "challenge") for c in v["proof"]["challenges"]),
        tuple(scalar_from_hex(s, "response") for s in v["proof"]["responses"]),
    )
    return lambda: proofs.verify_disjunctive(proof, key, ct, values, ctx)


def _signature(v: dict[str, Any]) -> Callable[[], None]:
    public = element_from_hex(v["statement"]["public"], "public")
    message = _hex_bytes(v["statement"]["message"], "message")
    ctx = gen.items_from_json(v["context"])
    sig = signatures.Signature(*_decode_single(v))
    return lambda: signatures.verify(sig, public, message, ctx)


#: kind -> (decode a case to a verify thunk, the error verification raises)
DECODERS: dict[str, tuple[Callable[[dict[str, Any]], Callable[[], None]], type[Exception]]] = {
    "schnorr": (_schnorr, InvalidProof),
    "chaum_pedersen": (_chaum_pedersen, InvalidProof),
    "disjunctive": (_disjunctive, InvalidProof),
    "signature": (_signature, InvalidSignature),
}


def _all_cases() -> list[tuple[str, dict[str, Any]]]:
    doc = load("proofs.json")
    cases = [(kind, c) for kind in ("schnorr", "chaum_pedersen", "disjunctive") for c in doc[kind]]
    cases += [("signature", c) for c in load("signatures.json")["cases"]]
    return cases


class ReplayRng:
    """Hands out the scalars recorded in a vector, in order."""

    def __init__(self, scalars: list[str]) -> None:
        self._scalars = [scalar_from_hex(s) for s in scalars]

    def scalar(self) -> int:
        return self._scalars.pop(0)

    def bytes(self, n: int) -> bytes:
        raise AssertionError("provers draw scalars only")

    def left(self) -> int:
        return len(self._scalars)


def _reprove(kind: str, case: dict[str, Any]) -> dict[str, Any]:
    st, w, rng = case["statement"], case["witness"], ReplayRng(case["rng_scalars"])
    ctx = gen.items_from_json(case["context"])
    if kind == "schnorr":
        p = proofs.prove_schnorr(
            scalar_from_hex(w["secret"]), element_from_hex(st["public"]), ctx, rng
        )
    elif kind == "chaum_pedersen":
        x, base, d = (element_from_hex(st[k]) for k in ("x", "base", "d"))
        p = proofs.prove_chaum_pedersen(scalar_from_hex(w["secret"]), x, base, d, ctx, rng)
    elif kind == "signature":
        p = signatures.sign(
            scalar_from_hex(w["secret"]),
            element_from_hex(st["public"]),
            bytes.fromhex(st["message"]),
            ctx,
            rng,
        )
    else:
        ct = elgamal.Ciphertext(element_from_hex(st["alpha"]), element_from_hex(st["beta"]))
        d = proofs.prove_disjunctive(
            element_from_hex(st["public_key"]),
            ct,
            scalar_from_hex(w["r"]),
            w["m"],
            st["values"],
            ctx,
            rng,
        )
        return {
            "challenges": [scalar_hex(c) for c in d.challenges],
            "responses": [scalar_hex(v) for v in d.responses],
        }
    return {"challenge": scalar_hex(p.challenge), "response": scalar_hex(p.response)}


@pytest.mark.parametrize(
    ("kind", "case"), [pytest.param(k, c, id=f"{k}-{c['name']}") for k, c in _all_cases()]
)
def test_proof_case_verifies_and_reproves(kind: str, case: dict[str, Any]):
    decode, _ = DECODERS[kind]
    decode(case)()
    assert _reprove(kind, case) == case["proof"]
    assert case["tampered"], "every case needs tampered variants"


def _tampered() -> list[Any]:
    return [
        pytest.param(kind, t, id=f"{kind}-{case['name']}-{t['name']}")
        for kind, case in _all_cases()
        for t in case["tampered"]
    ]


@pytest.mark.parametrize(("kind", "variant"), _tampered())
def test_tampered_variant_is_rejected(kind: str, variant: dict[str, Any]):
    decode, verify_error = DECODERS[kind]
    if variant["rejected_by"] == "decoding":
        with pytest.raises((InvalidEncoding, ValueError)):
            decode(variant)
    else:
        assert variant["rejected_by"] == "verification"
        verify = decode(variant)
        with pytest.raises(verify_error):
            verify()


@pytest.mark.parametrize(
    "variant",
    [
        pytest.param(t, id=f"{t['rejected_by']}-{t['name']}")
        for t in load("ballot.json")["tampered"]
    ],
)
def test_tampered_ballot_is_rejected(variant: dict[str, Any]):
    doc = load("ballot.json")
    assert variant["rejected_by"] in BALLOT_CHECKS
    if "manifest" in variant:
        changed = _ballot_context(doc, variant["manifest"]).fingerprint.hex()
        assert changed == variant["fingerprint"] != doc["fingerprint"]
    assert python_ballot_stage(doc, variant) == variant["rejected_by"]


def test_ballot_python_stage_accepts_the_valid_ballot():
    doc = load("ballot.json")
    assert python_ballot_stage(doc, {"ballot": doc["ballot"]}) is None


def test_the_helios_forgeries_are_in_the_vectors():
    names = [t["name"] for t in load("proofs.json")["disjunctive"][0]["tampered"]]
    assert sum("Helios" in n for n in names) == 2


# --- (c) the independent cross-check with @noble/curves ------------------------------------


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        pytest.fail(
            "node is not installed, so the vectors cannot be cross-checked against "
            "@noble/curves: install Node.js (>= 20) and run `npm ci --prefix frontend` "
            "(`make test` does both)"
        )
    if not (FRONTEND / "node_modules" / "@noble" / "curves").is_dir():
        pytest.fail(
            "frontend/node_modules is missing: run `npm ci --prefix frontend` (or `make test`)"
        )
    return node


def run_crosscheck(
    directory: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    args = [_node(), str(CROSSCHECK)] + ([str(directory)] if directory else [])
    return subprocess.run(
        args, capture_output=True, text=True, timeout=300, cwd=REPO, env=env, check=False
    )


def test_noble_crosscheck_agrees():
    result = run_crosscheck()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 failed" in result.stdout


def _corrupt_group_multiple(docs: dict[str, Any]) -> str:
    docs["group.json"]["rfc9496_a1_multiples"][3]["element"] = gen.RFC9496_A1[4]
    return "group.json"


def _accept_invalid_encoding(docs: dict[str, Any]) -> str:
    docs["group.json"]["rfc9496_a2_invalid"][0]["encoding"] = gen.RFC9496_A1[1]
    return "group.json"


def _corrupt_hash_to_scalar(docs: dict[str, Any]) -> str:
    v = docs["hashing.json"]["hash_to_scalar"][5]
    v["scalar"] = gen.bump(v["scalar"])
    return "hashing.json"


def _corrupt_frame(docs: dict[str, Any]) -> str:
    v = docs["hashing.json"]["frame"][6]
    v["items"][0]["str"] += " "
    return "hashing.json"


def _corrupt_ciphertext(docs: dict[str, Any]) -> str:
    v = docs["elgamal.json"]["encryptions"][2]
    v["beta"] = gen.plus_generator(v["beta"])
    return "elgamal.json"


def _corrupt_disjunctive_response(docs: dict[str, Any]) -> str:
    proof = docs["proofs.json"]["disjunctive"][3]["proof"]
    proof["responses"][1] = gen.bump(proof["responses"][1])
    return "proofs.json"


def _valid_proof_as_tampered(docs: dict[str, Any]) -> str:
    case = docs["proofs.json"]["chaum_pedersen"][0]
    case["tampered"][0] = gen.variant(case, "not tampered at all", "verification")
    return "proofs.json"


def _wrong_rejection_stage(docs: dict[str, Any]) -> str:
    case = docs["proofs.json"]["schnorr"][1]
    [t] = [t for t in case["tampered"] if t["rejected_by"] == "decoding"][:1]
    t["rejected_by"] = "verification"
    return "proofs.json"


def _corrupt_signature_message(docs: dict[str, Any]) -> str:
    st = docs["signatures.json"]["cases"][0]["statement"]
    st["message"] = "00" + st["message"][2:]
    return "signatures.json"


def _corrupt_ballot_tracking_code(docs: dict[str, Any]) -> str:
    doc = docs["ballot.json"]
    doc["tracking_code"] = gen.bump(doc["tracking_code"])
    return "ballot.json"


def _change_a_cyrillic_letter_in_the_manifest(docs: dict[str, Any]) -> str:
    name = docs["ballot.json"]["manifest"]["title"]
    name["ru"] = name["ru"].replace("и", "й", 1)
    return "ballot.json"


def _valid_ballot_as_tampered(docs: dict[str, Any]) -> str:
    doc = docs["ballot.json"]
    doc["tampered"][-1]["ballot"] = doc["ballot"]
    return "ballot.json"


def _wrong_ballot_rejection_stage(docs: dict[str, Any]) -> str:
    doc = docs["ballot.json"]
    [t] = [t for t in doc["tampered"] if t["rejected_by"] == "range proof"][:1]
    t["rejected_by"] = "0/1 proof"
    return "ballot.json"


def _corrupt_ballot_selection(docs: dict[str, Any]) -> str:
    marks = next(iter(docs["ballot.json"]["selection"].values()))
    marks[0], marks[-1] = 1 - marks[0], 1 - marks[-1]
    return "ballot.json"


def _remove_file(docs: dict[str, Any]) -> str:
    del docs["hashing.json"]
    return "hashing.json"


def _add_unknown_file(docs: dict[str, Any]) -> str:
    docs["unknown.json"] = {"description": "no checker", "generator": "nobody"}
    return "unknown.json"


@pytest.mark.parametrize(
    "corrupt",
    [
        _corrupt_group_multiple,
        _accept_invalid_encoding,
        _corrupt_hash_to_scalar,
        _corrupt_frame,
        _corrupt_ciphertext,
        _corrupt_disjunctive_response,
        _valid_proof_as_tampered,
        _wrong_rejection_stage,
        _corrupt_signature_message,
        _corrupt_ballot_tracking_code,
        _change_a_cyrillic_letter_in_the_manifest,
        _valid_ballot_as_tampered,
        _wrong_ballot_rejection_stage,
        _corrupt_ballot_selection,
        _remove_file,
        _add_unknown_file,
    ],
    ids=lambda f: f.__name__.lstrip("_"),
)
def test_noble_crosscheck_catches_a_corrupted_vector(
    corrupt: Callable[[dict[str, Any]], str], tmp_path: Path
):
    docs = {name: load(name) for name in gen.FILES}
    culprit = corrupt(docs)
    for name, doc in docs.items():
        (tmp_path / name).write_text(json.dumps(doc, indent=2), encoding="utf-8")
    result = run_crosscheck(tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    failing = {line.split()[1] for line in result.stdout.splitlines() if line.startswith("FAIL")}
    assert failing == {culprit}, result.stdout


def test_noble_crosscheck_fails_loudly_without_node_modules(tmp_path: Path):
    env = {"PATH": str(Path(_node()).parent), "SAYLAU_FRONTEND_DIR": str(tmp_path)}
    result = run_crosscheck(env=env)
    assert result.returncode == 2
    assert "npm ci --prefix frontend" in result.stderr
