"""The booth's vector files (ballot_encrypt.json, board.json) against the Python core: every
ballot re-encrypted from its seed, every opening re-encrypting, every refusal refused; every
head, proof, cast answer (with the client's own check_cast) and look-up checked, every
tampered answer refused. That the files are what generate.py makes, and that the JS agrees
(crosscheck.mjs), is test_vectors.py's; here also that crosscheck.mjs notices a corrupted
booth vector."""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from saylau.client.voting import ElectionInfo, ReceiptInvalid, VotingClient
from saylau.crypto import elgamal
from saylau.crypto.encoding import element_hex, scalar_from_hex, scalar_hex
from saylau.crypto.errors import InvalidEncoding, InvalidInclusion, InvalidTreeHead
from saylau.crypto.group import Element
from saylau.crypto.rand import DeterministicRng
from saylau.protocol import board
from saylau.protocol import credentials as creds
from saylau.protocol.ballot import (
    ElectionContext,
    ballot_from_json,
    encrypt_ballot,
    tracking_code,
    verify_ballot,
)
from saylau.protocol.canonical import canonical_json
from saylau.protocol.errors import InvalidBallot, InvalidCredential
from saylau.protocol.manifest import ManifestProblem, manifest_from_json

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]


def _generator() -> Any:
    name = "saylau_vectors_generate"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, HERE / "generate.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


gen = _generator()


def load(name: str) -> dict[str, Any]:
    return json.loads((HERE / name).read_text(encoding="utf-8"))


ENC = load("ballot_encrypt.json")
BOARD = load("board.json")


def _context(doc: dict[str, Any]) -> ElectionContext:
    key = Element(bytes.fromhex(doc["joint_key"]["public"]))
    return ElectionContext.make(manifest_from_json(doc["manifest"]), key)


# --- ballot_encrypt.json ------------------------------------------------------------------------


def test_rng_streams():
    for case in ENC["rng"]:
        rng = DeterministicRng(case["seed"])
        assert [rng.bytes(c["n"]).hex() for c in case["bytes"]] == [c["hex"] for c in case["bytes"]]
        assert [scalar_hex(rng.scalar()) for _ in case["then_scalars"]] == case["then_scalars"]


@pytest.mark.parametrize("case", ENC["cases"], ids=lambda c: c["name"])
def test_case_encrypts_from_its_seed_and_opens(case: dict[str, Any]):
    ctx = _context(ENC)
    assert ctx.fingerprint.hex() == ENC["fingerprint"]
    credential = creds.derive(ENC["manifest"]["election_id"], case["credential_code"])
    assert element_hex(credential.public) == case["credential_public"]
    ballot = encrypt_ballot(
        ctx, case["district"], case["selection"], credential, DeterministicRng(case["seed"])
    )
    assert canonical_json(ballot.raw) == canonical_json(case["ballot"])
    assert ballot.tracking_code == case["tracking_code"]
    verify_ballot(ctx, ballot_from_json(case["ballot"]), {credential.public: case["district"]})
    assert opening_code(ctx, case["ballot"], case["opening"]) is None


@pytest.mark.parametrize("refused", ENC["refused_selections"], ids=lambda s: s["name"])
def test_refused_selection(refused: dict[str, Any]):
    ctx = _context(ENC)
    voter = creds.derive(ENC["manifest"]["election_id"], ENC["cases"][0]["credential_code"])
    rng = DeterministicRng("refused")
    with pytest.raises((ManifestProblem, InvalidBallot)) as caught:
        encrypt_ballot(ctx, refused["district"], refused["selection"], voter, rng)
    error = caught.value
    python = error.code if isinstance(error, ManifestProblem) else "InvalidBallot"
    assert gen.booth_vectors.SELECTION_CODES[python] == refused["code"]


@pytest.mark.parametrize("code", ENC["credential_codes"], ids=lambda c: c["name"])
def test_credential_code(code: dict[str, Any]):
    election = ENC["manifest"]["election_id"]
    if code["public"] is None:
        with pytest.raises(InvalidCredential):
            creds.derive(election, code["text"])
    else:
        assert element_hex(creds.derive(election, code["text"]).public) == code["public"]


def opening_code(ctx: ElectionContext, raw: Any, opening: Any) -> str | None:
    """The first problem of an opening, in ballot-encrypt.js checkOpening's order and codes,
    found with the Python core (elgamal.encrypt); None if it opens the ballot."""
    try:
        ballot = ballot_from_json(raw)
    except InvalidBallot:
        return "opening.ballot"
    if ballot.election != ctx.fingerprint:
        return "opening.election"
    if not isinstance(opening, dict) or not isinstance(opening.get("contests"), list):
        return "opening.shape"
    opened = opening["contests"]
    if [c.get("id") if isinstance(c, dict) else None for c in opened] != [
        c.contest_id for c in ballot.contests
    ]:
        return "opening.contests"
    for o, enc in zip(opened, ballot.contests, strict=True):
        marks, rs, n = o.get("marks"), o.get("randomness"), len(enc.choices)
        if not isinstance(marks, list) or len(marks) != n or any(m not in (0, 1) for m in marks):
            return "opening.marks"
        if not isinstance(rs, list) or len(rs) != n:
            return "opening.randomness"
        for m, r, choice in zip(marks, rs, enc.choices, strict=True):
            try:
                ct = elgamal.encrypt(ctx.joint_public_key, m, scalar_from_hex(r, "r"))
            except InvalidEncoding:
                return "opening.randomness"
            if ct != choice.ct:
                return "opening.ciphertext"
    return None


@pytest.mark.parametrize("tampered", ENC["tampered_openings"], ids=lambda t: t["name"])
def test_tampered_opening(tampered: dict[str, Any]):
    raw = tampered.get("ballot") or ENC["cases"][tampered["case"]]["ballot"]
    assert opening_code(_context(ENC), raw, tampered["opening"]) == tampered["code"]


# --- board.json --------------------------------------------------------------------------------


def _board_context() -> ElectionContext:
    key = Element(bytes.fromhex(BOARD["joint_public_key"]))
    return ElectionContext.make(manifest_from_json(BOARD["manifest"]), key)


def _board_client(board_public_key: str) -> VotingClient:
    """A client that knows the election without asking a server (check_cast needs no HTTP)."""
    ctx = _board_context()
    client = VotingClient("http://127.0.0.1:9", "vectors")
    key = bytes.fromhex(board_public_key)
    client._info = ElectionInfo("vectors", "open", ctx.manifest, ctx, key, {})
    return client


def test_board_heads_leaves_and_proofs():
    log_id = bytes.fromhex(BOARD["log_id"])
    assert _board_context().fingerprint == log_id
    key = bytes.fromhex(BOARD["board_public_key"])
    log = board.MerkleLog()
    for leaf in BOARD["leaves"]:
        log.append(leaf["data"].encode())
        assert board.leaf_hash(leaf["data"].encode()).hex() == leaf["leaf_hash"]
    for entry in BOARD["heads"]:
        head = board.tree_head_from_json(entry["head"])
        board.verify_tree_head(head, key, log_id)
        assert head.root_hash == log.root(head.tree_size)
        message = board.tree_head_message(log_id, head.tree_size, head.timestamp, head.root_hash)
        assert message.hex() == entry["message"]
    for p in BOARD["inclusion"]:
        head = board.tree_head_from_json(BOARD["heads"][p["tree_size"] - 1]["head"])
        leaf = board.leaf_hash(BOARD["leaves"][p["leaf_index"]]["data"].encode())
        path = [bytes.fromhex(h) for h in p["path"]]
        board.verify_inclusion(leaf, p["leaf_index"], p["tree_size"], path, head.root_hash)


@pytest.mark.parametrize("cast", BOARD["casts"], ids=lambda c: c["name"])
def test_cast_answer_checks_with_the_client(cast: dict[str, Any]):
    checked = _board_client(BOARD["board_public_key"]).check_cast(
        ballot_from_json(cast["ballot"]), cast["answer"]
    )
    assert checked.leaf.decode() == cast["leaf"]
    assert checked.leaf_index == cast["answer"]["leaf_index"]


@pytest.mark.parametrize("tampered", BOARD["tampered_casts"], ids=lambda t: t["name"])
def test_tampered_cast_answer_is_refused_by_the_client(tampered: dict[str, Any]):
    client = _board_client(tampered.get("board_public_key", BOARD["board_public_key"]))
    if tampered["name"] == "the answer without repeat":  # the client reads it with .get()
        client.check_cast(ballot_from_json(tampered["ballot"]), tampered["answer"])
        return
    with pytest.raises(ReceiptInvalid) as caught:
        client.check_cast(ballot_from_json(tampered["ballot"]), tampered["answer"])
    code = tampered["code"]  # the client names two of board-verify.js's codes; the rest it lumps
    assert caught.value.code == (code if code.startswith("receipt.other") else "receipt.unverified")


LOOKUP_KEYS = {"leaf", "tree_head", "inclusion_proof", "replaced_by"}
HEX64 = re.compile("[0-9a-f]{64}")


def lookup_code(answer: Any, asked: str) -> str | None:
    """The first problem of a look-up answer with the Python core, in board-verify.js
    checkLookup's order; the codes of its checks coarser (leaf.*, head.*, inclusion.*)."""
    if not isinstance(answer, dict) or set(answer) != LOOKUP_KEYS:
        return "lookup"
    leaf = answer["leaf"]
    if not isinstance(leaf, dict) or not isinstance(leaf.get("data"), str):
        return "leaf"
    data = leaf["data"].encode()
    if leaf.get("kind") not in ("cast", "revote") or type(leaf.get("index")) is not int:
        return "leaf"
    if board.leaf_hash(data).hex() != leaf.get("leaf_hash") or leaf.get("tracking_code") != asked:
        return "leaf"
    try:
        event = json.loads(data)
        ok = canonical_json(event) == data and event["type"] == leaf["kind"]
        ok = ok and event["time"] == leaf["time"] and event.get("replaces") == leaf["replaces"]
        ok = ok and event["ballot"]["election"] == BOARD["log_id"]
        ok = ok and tracking_code(event["ballot"]) == asked
    except (KeyError, TypeError, ValueError):
        ok = False
    if not ok:
        return "leaf"
    replaced = answer["replaced_by"]
    if replaced is not None and (not HEX64.fullmatch(str(replaced)) or replaced == asked):
        return "lookup"
    try:
        head = board.tree_head_from_json(answer["tree_head"])
        board.verify_tree_head(
            head, bytes.fromhex(BOARD["board_public_key"]), bytes.fromhex(BOARD["log_id"])
        )
    except (InvalidEncoding, InvalidTreeHead):
        return "head"
    try:
        proof = board.inclusion_proof_from_json(answer["inclusion_proof"])
        if proof.leaf_index != leaf["index"] or proof.tree_size != head.tree_size:
            return "inclusion"
        board.verify_inclusion(
            board.leaf_hash(data),
            proof.leaf_index,
            proof.tree_size,
            list(proof.path),
            head.root_hash,
        )
    except (InvalidEncoding, InvalidInclusion):
        return "inclusion"
    return None


@pytest.mark.parametrize("lookup", BOARD["lookups"], ids=lambda c: c["name"])
def test_lookup_answer_checks(lookup: dict[str, Any]):
    assert lookup_code(lookup["answer"], lookup["asked"]) is None
    assert lookup["answer"]["leaf"]["index"] == lookup["expected"]["leafIndex"]


@pytest.mark.parametrize("tampered", BOARD["tampered_lookups"], ids=lambda t: t["name"])
def test_tampered_lookup_is_refused(tampered: dict[str, Any]):
    code = lookup_code(tampered["answer"], tampered["asked"])
    assert code == tampered["code"].split(".")[0]


# --- crosscheck.mjs notices a corrupted booth vector ---------------------------------------------


def _flip(h: str) -> str:
    return ("1" if h[0] == "0" else "0") + h[1:]


def _corrupt_encrypted_ballot(docs: dict[str, Any]) -> str:
    proof = docs["ballot_encrypt.json"]["cases"][2]["ballot"]["contests"][1]["range_proof"]
    proof["responses"][0] = gen.bump(proof["responses"][0])
    return "ballot_encrypt.json"


def _corrupt_rng_stream(docs: dict[str, Any]) -> str:
    chunk = docs["ballot_encrypt.json"]["rng"][1]["bytes"][2]
    chunk["hex"] = _flip(chunk["hex"])
    return "ballot_encrypt.json"


def _corrupt_opening(docs: dict[str, Any]) -> str:
    rs = docs["ballot_encrypt.json"]["cases"][1]["opening"]["contests"][0]["randomness"]
    rs[0] = gen.bump(rs[0])
    return "ballot_encrypt.json"


def _valid_opening_as_tampered(docs: dict[str, Any]) -> str:
    doc = docs["ballot_encrypt.json"]
    doc["tampered_openings"][0]["opening"] = doc["cases"][0]["opening"]
    return "ballot_encrypt.json"


def _typo_as_valid_credential(docs: dict[str, Any]) -> str:
    codes = docs["ballot_encrypt.json"]["credential_codes"]
    typo = next(c for c in codes if c["public"] is None)
    typo["public"] = codes[0]["public"]
    return "ballot_encrypt.json"


def _wrong_selection_code(docs: dict[str, Any]) -> str:
    docs["ballot_encrypt.json"]["refused_selections"][0]["code"] = "selection.marks"
    return "ballot_encrypt.json"


def _corrupt_head_signature(docs: dict[str, Any]) -> str:
    head = docs["board.json"]["heads"][3]["head"]
    head["signature"] = _flip(head["signature"])
    return "board.json"


def _corrupt_replaced_by(docs: dict[str, Any]) -> str:
    docs["board.json"]["lookups"][0]["expected"]["replacedBy"] = None
    return "board.json"


def _valid_cast_as_tampered(docs: dict[str, Any]) -> str:
    doc = docs["board.json"]
    doc["tampered_casts"][4]["answer"] = doc["casts"][3]["answer"]
    return "board.json"


def _wrong_lookup_code(docs: dict[str, Any]) -> str:
    t = docs["board.json"]["tampered_lookups"]
    next(x for x in t if x["code"] == "leaf.time")["code"] = "leaf.kind"
    return "board.json"


@pytest.mark.parametrize(
    "corrupt",
    [
        _corrupt_encrypted_ballot,
        _corrupt_rng_stream,
        _corrupt_opening,
        _valid_opening_as_tampered,
        _typo_as_valid_credential,
        _wrong_selection_code,
        _corrupt_head_signature,
        _corrupt_replaced_by,
        _valid_cast_as_tampered,
        _wrong_lookup_code,
    ],
    ids=lambda f: f.__name__.lstrip("_"),
)
def test_crosscheck_catches_a_corrupted_booth_vector(
    corrupt: Callable[[dict[str, Any]], str], tmp_path: Path
):
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not installed: the vectors cannot be checked in JavaScript")
    docs = {name: load(name) for name in ("ballot_encrypt.json", "board.json")}
    culprit = corrupt(docs)
    (tmp_path / culprit).write_text(json.dumps(docs[culprit], indent=2), encoding="utf-8")
    result = subprocess.run(
        [node, str(HERE / "crosscheck.mjs"), str(tmp_path), "--only", culprit],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=REPO,
        check=False,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    failing = {line.split()[1] for line in result.stdout.splitlines() if line.startswith("FAIL")}
    assert failing == {culprit}, result.stdout
