"""A voter's receipt: tracking code, the board's signed tree head and an inclusion proof.

    {"tracking_code": hex, "tree_head": {...board.py...},
     "inclusion_proof": {"leaf_index", "tree_size", "path": [hex, ...]}}

The voter (or anyone they give it to) checks the head's signature and the inclusion proof of
the leaf they cast against the head; the verifier additionally checks that the leaf at that
index in the record carries that tracking code and that the head agrees with the record.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from saylau.crypto.errors import InvalidEncoding
from saylau.protocol import board
from saylau.protocol.errors import InvalidRecord


@dataclass(frozen=True, slots=True)
class Receipt:
    tracking_code: str
    tree_head: board.TreeHead
    inclusion: board.InclusionProof


def receipt_to_json(r: Receipt) -> dict[str, Any]:
    return {
        "tracking_code": r.tracking_code,
        "tree_head": board.tree_head_to_json(r.tree_head),
        "inclusion_proof": board.inclusion_proof_to_json(r.inclusion),
    }


def receipt_from_json(obj: Any, what: str = "receipt") -> Receipt:
    if not isinstance(obj, dict) or set(obj) != {"tracking_code", "tree_head", "inclusion_proof"}:
        raise InvalidRecord(f"{what}: expected tracking_code, tree_head and inclusion_proof")
    code = obj["tracking_code"]
    if not isinstance(code, str) or len(code) != 64:
        raise InvalidRecord(f"{what}.tracking_code: expected 64 hex characters")
    try:
        head = board.tree_head_from_json(obj["tree_head"], f"{what}.tree_head")
        inc = board.inclusion_proof_from_json(obj["inclusion_proof"], f"{what}.inclusion_proof")
    except InvalidEncoding as e:
        raise InvalidRecord(str(e)) from None
    if inc.tree_size != head.tree_size:
        raise InvalidRecord(f"{what}: inclusion proof and tree head disagree on the tree size")
    return Receipt(code, head, inc)


def check_receipt(r: Receipt, leaf: bytes, board_public_key: bytes, log_id: bytes) -> None:
    """Signature on the head, and the leaf's inclusion under it. Raises on failure."""
    board.verify_tree_head(r.tree_head, board_public_key, log_id)
    board.verify_inclusion(
        board.leaf_hash(leaf),
        r.inclusion.leaf_index,
        r.inclusion.tree_size,
        list(r.inclusion.path),
        r.tree_head.root_hash,
    )
