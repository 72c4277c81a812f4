"""board.json: a small board of one election (open, casts, re-votes), its signed heads, the
inclusion proofs, the voting API's answers to each cast and to each look-up by tracking code,
and tampered answers, each with the code frontend/src/board-verify.js refuses it with. Built
by generate.py, which passes its `header` and `rng`; see README.md."""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Callable
from typing import Any

from saylau.crypto import group
from saylau.crypto.encoding import element_hex
from saylau.protocol import board, events
from saylau.protocol import credentials as creds
from saylau.protocol.ballot import ElectionContext, encrypt_ballot, tracking_code
from saylau.protocol.canonical import canonical_json
from saylau.protocol.manifest import manifest_from_json
from saylau.protocol.receipt import Receipt, receipt_to_json
from saylau.simulate.manifest_gen import make_manifest

Json = dict[str, Any]
Header = Callable[[str], Json]
RngOf = Callable[[str], Any]

ELECTION_ID = "saylau-vectors-board"
T0 = 1_767_225_600_000  # 2026-01-01T00:00:00Z, in ms


def _manifest() -> Json:
    """One district, one vote-for-1 contest of two candidates and 'against all' (small ballots)."""
    m = make_manifest(ELECTION_ID, 1)
    contest = m["contests"][0]
    contest["options"] = [*contest["options"][:2], contest["options"][-1]]
    m["contests"] = [contest]
    m["ballot_styles"][0]["contests"] = [contest["id"]]
    return m


class _Board:
    """The leaves and the heads signed after each append."""

    def __init__(self, key: board.BoardKey, log_id: bytes) -> None:
        self.key, self.log_id = key, log_id
        self.log = board.MerkleLog()
        self.leaves: list[str] = []
        self.heads: list[board.TreeHead] = []  # heads[i]: the tree of size i + 1

    def append(self, event: Json) -> int:
        data = events.leaf_bytes(event)
        index = self.log.append(data)
        self.leaves.append(data.decode())
        root = self.log.root(index + 1)
        self.heads.append(
            board.sign_tree_head(self.key, self.log_id, index + 1, event["time"] + 5, root)
        )
        return index

    def receipt(self, index: int, size: int) -> Receipt:
        proof = board.InclusionProof(index, size, tuple(self.log.inclusion_proof(index, size)))
        code = tracking_code(json.loads(self.leaves[index])["ballot"])
        return Receipt(code, self.heads[size - 1], proof)


def _leaf_json(b: _Board, index: int) -> Json:
    event = json.loads(b.leaves[index])
    return {
        "index": index,
        "kind": event["type"],
        "time": event["time"],
        "tracking_code": tracking_code(event["ballot"]),
        "replaces": event.get("replaces"),
        "leaf_hash": board.leaf_hash(b.leaves[index].encode()).hex(),
        "data": b.leaves[index],
    }


def _build_board(key: board.BoardKey, rng: RngOf) -> tuple[_Board, list[Json], Json]:
    r = rng("board/voters")
    manifest_raw = _manifest()
    ctx = ElectionContext.make(manifest_from_json(manifest_raw), group.base_mul(r.scalar()))
    district, contest = manifest_raw["districts"][0]["id"], manifest_raw["contests"][0]["id"]
    b = _Board(key, ctx.fingerprint)
    b.append(events.open_event(ctx.fingerprint, T0))
    voters = [creds.generate(ELECTION_ID, r) for _ in range(4)]
    latest: dict[int, str] = {}
    casts = []
    # (voter, option): A, B, C cast; A re-votes; D casts; B re-votes
    for step, (v, option) in enumerate([(0, 0), (1, 1), (2, 2), (0, 1), (3, 0), (1, 2)], start=1):
        marks = [1 if j == option else 0 for j in range(3)]
        ballot = encrypt_ballot(ctx, district, {contest: marks}, voters[v], r).raw
        time = T0 + 1000 * step
        replaces = latest.get(v)
        event = (
            events.cast_event(ballot, time)
            if replaces is None
            else events.revote_event(ballot, replaces, time)
        )
        index = b.append(event)
        latest[v] = tracking_code(ballot)
        answer = {
            "receipt": receipt_to_json(b.receipt(index, index + 1)),
            "leaf_index": index,
            "kind": event["type"],
            "time": time,
            "replaces": replaces,
            "repeat": False,
        }
        leaf = events.ballot_leaf_bytes(canonical_json(ballot), time, replaces).decode()
        if leaf != b.leaves[index]:
            raise AssertionError("ballot_leaf_bytes differs from the event's canonical JSON")
        casts.append(
            {
                "name": f"leaf {index} ({event['type']})",
                "ballot": ballot,
                "answer": answer,
                "leaf": leaf,
            }
        )
    size = len(b.leaves)
    first = casts[0]
    repeat = {**first["answer"], "receipt": receipt_to_json(b.receipt(1, size)), "repeat": True}
    casts.append(
        {
            "name": "leaf 1 cast again (the same receipt under the head now)",
            "ballot": first["ballot"],
            "answer": repeat,
            "leaf": first["leaf"],
        }
    )
    return (
        b,
        casts,
        {"manifest": manifest_raw, "joint_public_key": element_hex(ctx.joint_public_key)},
    )


def _lookups(b: _Board) -> list[Json]:
    size = len(b.leaves)
    replaced = {}
    for i in range(1, size):
        leaf = _leaf_json(b, i)
        if leaf["replaces"]:
            replaced[leaf["replaces"]] = leaf["tracking_code"]
    out = []
    for i in range(1, size):
        leaf = _leaf_json(b, i)
        proof = board.InclusionProof(i, size, tuple(b.log.inclusion_proof(i, size)))
        answer = {
            "leaf": leaf,
            "tree_head": board.tree_head_to_json(b.heads[size - 1]),
            "inclusion_proof": board.inclusion_proof_to_json(proof),
            "replaced_by": replaced.get(leaf["tracking_code"]),
        }
        expected = {
            "leafIndex": i,
            "time": leaf["time"],
            "kind": leaf["kind"],
            "replacedBy": answer["replaced_by"],
            "trackingCode": leaf["tracking_code"],
        }
        out.append(
            {
                "name": f"leaf {i}",
                "asked": leaf["tracking_code"],
                "answer": answer,
                "expected": expected,
            }
        )
    return out


def _edit(doc: Json, path: list[Any], value: Any) -> Json:
    out = copy.deepcopy(doc)
    at = out
    for p in path[:-1]:
        at = at[p]
    if value is _DELETE:
        del at[path[-1]]
    else:
        at[path[-1]] = value
    return out


_DELETE = object()


def _flip(h: str, at: int = 0) -> str:
    b = bytearray.fromhex(h)
    b[at] ^= 1
    return b.hex()


def _resigned(
    b: _Board,
    head: Json,
    key: board.BoardKey | None = None,
    log_id: bytes | None = None,
    **fields: Any,
) -> Json:
    h = {**head, **fields}
    signed = board.sign_tree_head(
        key or b.key,
        log_id or b.log_id,
        h["tree_size"],
        h["timestamp"],
        bytes.fromhex(h["root_hash"]),
    )
    return board.tree_head_to_json(signed)


def _tampered_casts(b: _Board, casts: list[Json], other_key: board.BoardKey) -> list[Json]:
    c = casts[3]  # leaf 4, a revote: the receipt of a tree of size 5
    a = c["answer"]
    rc = ["receipt"]
    head = a["receipt"]["tree_head"]
    path = a["receipt"]["inclusion_proof"]["path"]
    other_code = casts[1]["answer"]["receipt"]["tracking_code"]
    plan = [
        ("the answer without repeat", "receipt.shape", _edit(a, ["repeat"], _DELETE)),
        ("a revote that replaces nothing", "receipt.shape", _edit(a, ["replaces"], None)),
        (
            "the receipt without its inclusion proof",
            "receipt.shape",
            _edit(a, [*rc, "inclusion_proof"], _DELETE),
        ),
        (
            "the receipt names another tracking code",
            "receipt.other_tracking_code",
            _edit(a, [*rc, "tracking_code"], other_code),
        ),
        ("the answer names another leaf index", "receipt.other_leaf", _edit(a, ["leaf_index"], 3)),
        (
            "a signature of 63 bytes",
            "head.shape",
            _edit(a, [*rc, "tree_head", "signature"], head["signature"][:-2]),
        ),
        (
            "the root hash in upper case",
            "head.shape",
            _edit(a, [*rc, "tree_head", "root_hash"], head["root_hash"].upper()),
        ),
        (
            "the timestamp as a string",
            "head.shape",
            _edit(a, [*rc, "tree_head", "timestamp"], str(head["timestamp"])),
        ),
        (
            "one bit of the signature flipped",
            "head.signature",
            _edit(a, [*rc, "tree_head", "signature"], _flip(head["signature"], 40)),
        ),
        (
            "the timestamp + 1",
            "head.signature",
            _edit(a, [*rc, "tree_head", "timestamp"], head["timestamp"] + 1),
        ),
        (
            "the root hash changed",
            "head.signature",
            _edit(a, [*rc, "tree_head", "root_hash"], _flip(head["root_hash"])),
        ),
        (
            "the head signed by another key",
            "head.signature",
            _edit(a, [*rc, "tree_head"], _resigned(b, head, key=other_key)),
        ),
        (
            "the head signed for another log",
            "head.signature",
            _edit(
                a,
                [*rc, "tree_head"],
                _resigned(b, head, log_id=hashlib.sha256(b"another election").digest()),
            ),
        ),
        (
            "the proof for another tree size",
            "inclusion.size",
            _edit(a, [*rc, "inclusion_proof", "tree_size"], 6),
        ),
        (
            "a leaf index outside the tree",
            "inclusion.index",
            _edit(_edit(a, ["leaf_index"], 5), [*rc, "inclusion_proof", "leaf_index"], 5),
        ),
        (
            "the proof's path not a list",
            "inclusion.shape",
            _edit(a, [*rc, "inclusion_proof", "path"], path[0]),
        ),
        (
            "a path hash changed",
            "inclusion.path",
            _edit(a, [*rc, "inclusion_proof", "path", 0], _flip(path[0])),
        ),
        (
            "a path hash left out",
            "inclusion.path",
            _edit(a, [*rc, "inclusion_proof", "path"], path[:-1]),
        ),
        (
            "a path hash too many",
            "inclusion.path",
            _edit(a, [*rc, "inclusion_proof", "path"], [*path, path[0]]),
        ),
        (
            "the answer's time + 1 (the rebuilt leaf differs)",
            "inclusion.path",
            _edit(a, ["time"], a["time"] + 1),
        ),
        (
            "replaces another code (the rebuilt leaf differs)",
            "inclusion.path",
            _edit(a, ["replaces"], other_code),
        ),
        (
            "the head re-signed for size 6 with the root of size 5, the proof's size 6",
            "inclusion.path",
            _edit(
                _edit(a, [*rc, "tree_head"], _resigned(b, head, tree_size=6)),
                [*rc, "inclusion_proof", "tree_size"],
                6,
            ),
        ),
    ]
    out = [{"name": n, "code": code, "ballot": c["ballot"], "answer": ans} for n, code, ans in plan]
    out.append(
        {
            "name": "another board key",
            "code": "head.signature",
            "ballot": c["ballot"],
            "answer": a,
            "board_public_key": other_key.public.hex(),
        }
    )
    out.append(
        {
            "name": "a board key of 31 bytes",
            "code": "key.shape",
            "ballot": c["ballot"],
            "answer": a,
            "board_public_key": other_key.public.hex()[:-2],
        }
    )
    other_ballot = casts[4]["ballot"]
    out.append(
        {
            "name": "the answer to another ballot's cast",
            "code": "receipt.other_tracking_code",
            "ballot": other_ballot,
            "answer": a,
        }
    )
    return out


def _with_data(leaf: Json, data: str, **fields: Any) -> Json:
    return {**leaf, **fields, "data": data, "leaf_hash": board.leaf_hash(data.encode()).hex()}


def _tampered_lookups(b: _Board, lookups: list[Json]) -> list[Json]:
    base = lookups[0]  # leaf 1, replaced by leaf 4
    a, asked = base["answer"], base["asked"]
    leaf = a["leaf"]
    event = json.loads(leaf["data"])
    revote = lookups[3]["answer"]  # leaf 4
    path = a["inclusion_proof"]["path"]
    foreign = _edit(event, ["ballot", "election"], "00" * 32)
    foreign_data = canonical_json(foreign).decode()
    loose = json.dumps(event)
    plan: list[tuple[str, str, Json, str]] = [
        (
            "the answer without replaced_by",
            "lookup.shape",
            _edit(a, ["replaced_by"], _DELETE),
            asked,
        ),
        (
            "replaced_by its own tracking code",
            "lookup.replaced_by",
            _edit(a, ["replaced_by"], asked),
            asked,
        ),
        (
            "replaced_by not a tracking code",
            "lookup.replaced_by",
            _edit(a, ["replaced_by"], "yes"),
            asked,
        ),
        ("the leaf index as a string", "leaf.shape", _edit(a, ["leaf", "index"], "1"), asked),
        ("the leaf's data not a string", "leaf.shape", _edit(a, ["leaf", "data"], event), asked),
        (
            "the leaf of the open event",
            "leaf.kind",
            _edit(a, ["leaf"], {**leaf, "kind": "open"}),
            asked,
        ),
        (
            "the data changed, leaf_hash kept",
            "leaf.hash",
            _edit(a, ["leaf", "data"], leaf["data"].replace('"cast"', '"revote"')),
            asked,
        ),
        (
            "the data with spaces (not canonical JSON)",
            "leaf.data",
            _edit(a, ["leaf"], _with_data(leaf, loose)),
            asked,
        ),
        (
            "the data of the open event",
            "leaf.data",
            _edit(a, ["leaf"], _with_data(leaf, b.leaves[0])),
            asked,
        ),
        (
            "a cast leaf said to be a revote",
            "leaf.kind",
            _edit(a, ["leaf", "kind"], "revote"),
            asked,
        ),
        ("the leaf's time + 1", "leaf.time", _edit(a, ["leaf", "time"], leaf["time"] + 1), asked),
        (
            "a cast leaf said to replace a ballot",
            "leaf.replaces",
            _edit(a, ["leaf", "replaces"], revote["leaf"]["tracking_code"]),
            asked,
        ),
        (
            "a revote said to replace another ballot",
            "leaf.replaces",
            _edit(revote, ["leaf", "replaces"], lookups[1]["asked"]),
            lookups[3]["asked"],
        ),
        (
            "the answer about another ballot than asked",
            "leaf.tracking_code",
            lookups[2]["answer"],
            asked,
        ),
        (
            "the tracking code claimed changed, and asked for",
            "leaf.tracking_code",
            _edit(a, ["leaf", "tracking_code"], _flip(asked)),
            _flip(asked),
        ),
        (
            "a ballot of another election (data, leaf hash and code consistent)",
            "leaf.election",
            _edit(
                a,
                ["leaf"],
                _with_data(leaf, foreign_data, tracking_code=tracking_code(foreign["ballot"])),
            ),
            tracking_code(foreign["ballot"]),
        ),
        (
            "one bit of the head's signature flipped",
            "head.signature",
            _edit(a, ["tree_head", "signature"], _flip(a["tree_head"]["signature"], 3)),
            asked,
        ),
        (
            "an older head",
            "inclusion.size",
            _edit(a, ["tree_head"], board.tree_head_to_json(b.heads[4])),
            asked,
        ),
        (
            "the proof of another leaf",
            "inclusion.index",
            _edit(a, ["inclusion_proof"], lookups[1]["answer"]["inclusion_proof"]),
            asked,
        ),
        (
            "a path hash changed",
            "inclusion.path",
            _edit(a, ["inclusion_proof", "path", 1], _flip(path[1])),
            asked,
        ),
        (
            "the path reversed",
            "inclusion.path",
            _edit(a, ["inclusion_proof", "path"], path[::-1]),
            asked,
        ),
    ]
    return [{"name": n, "code": code, "asked": q, "answer": ans} for n, code, ans, q in plan]


def build_board(header: Header, rng: RngOf) -> Json:
    key = board.BoardKey.from_seed(rng("board").bytes(32))
    other_key = board.BoardKey.from_seed(rng("board/other").bytes(32))
    b, casts, election = _build_board(key, rng)
    lookups = _lookups(b)
    size = len(b.leaves)
    heads = [
        {
            "head": board.tree_head_to_json(h),
            "message": board.tree_head_message(
                b.log_id, h.tree_size, h.timestamp, h.root_hash
            ).hex(),
        }
        for h in b.heads
    ]
    inclusion = [
        {"leaf_index": i, "tree_size": n, "path": [p.hex() for p in b.log.inclusion_proof(i, n)]}
        for n in (1, 4, size)
        for i in range(n)
    ]
    return {
        **header(
            "A board of one election (protocol/board.py, ported in frontend/src/board-verify.js): "
            "its leaves (open, casts, re-votes), the head the board signed after each append "
            "(Ed25519 over the 125-byte message), inclusion proofs, the voting API's answer to "
            "each cast (POST .../ballots) and to each look-up by tracking code "
            "(GET .../board/ballots/<code>) with what a checker derives from it, and tampered "
            "answers, each with the code of the first check that refuses it."
        ),
        "tree_head_tag": board.TREE_HEAD_TAG,
        "board_public_key": key.public.hex(),
        "log_id": b.log_id.hex(),
        **election,
        "leaves": [{"data": d, "leaf_hash": board.leaf_hash(d.encode()).hex()} for d in b.leaves],
        "heads": heads,
        "inclusion": inclusion,
        "casts": casts,
        "lookups": lookups,
        "tampered_casts": _tampered_casts(b, casts, other_key),
        "tampered_lookups": _tampered_lookups(b, lookups),
    }
