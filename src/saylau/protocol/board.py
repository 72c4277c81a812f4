"""The bulletin board: an append-only Merkle log in the shape of RFC 9162 (CT v2), section 2.1.

Hashing. SHA-256 throughout; every hash is 32 bytes; `||` is byte concatenation.

    leaf_hash(d)    = SHA-256(0x00 || d)            d: the leaf's bytes (one accepted ballot)
    node_hash(l, r) = SHA-256(0x01 || l || r)
    MTH([])         = SHA-256(b"")                  = e3b0c442...7852b855
    MTH([d0])       = leaf_hash(d0)
    MTH(D[0:n])     = node_hash(MTH(D[0:k]), MTH(D[k:n]))   for n > 1,

where k is the largest power of two strictly smaller than n (k < n <= 2k). Leaves are
numbered from 0 in the order they were appended; the tree of size n holds leaves 0..n-1.

Inclusion proof of leaf m in the tree of size n, 0 <= m < n (RFC 9162 2.1.3.1), the sibling
hashes from the leaf up to the root:

    PATH(0, D[0:1]) = []
    PATH(m, D[0:n]) = PATH(m, D[0:k]) + [MTH(D[k:n])]          if m < k
                    = PATH(m - k, D[k:n]) + [MTH(D[0:k])]      if m >= k

Consistency proof from size m to size n, 0 < m < n (2.1.4.1): PROOF(m, D[0:n]) =
SUBPROOF(m, D[0:n], true), where

    SUBPROOF(m, D[0:m], true)  = []
    SUBPROOF(m, D[0:m], false) = [MTH(D[0:m])]
    SUBPROOF(m, D[0:n], b)     = SUBPROOF(m, D[0:k], b) + [MTH(D[k:n])]          if m <= k
                               = SUBPROOF(m - k, D[k:n], false) + [MTH(D[0:k])]  if m > k

and the proof is empty when m = 0 or m = n. Verification is the RFC 9162 2.1.3.2 and
2.1.4.2 algorithms, after checking the proof has exactly the length the sizes imply. For
m = n the roots must be equal; for m = 0 the old root must be MTH([]).

Signed tree head. Ed25519 (RFC 8032; libsodium crypto_sign_detached) by the board key over

    frame(["saylau-v1/board/tree-head", log_id, Index(tree_size), Index(timestamp), root_hash])

with `saylau.crypto.hashing.frame`: each item is a 4-byte big-endian length then its bytes;
the tag is ASCII (25 bytes), log_id the 32-byte election fingerprint, tree_size and timestamp
(Unix time in milliseconds) 8 bytes big-endian each, root_hash 32 bytes: 125 bytes in all.

JSON. Hex is lowercase without a prefix; integers are JSON numbers in [0, 2^64); objects
have exactly these keys:

    tree head:         {"tree_size": n, "timestamp": ms, "root_hash": hex(32 bytes),
                        "signature": hex(64 bytes)}
    inclusion proof:   {"leaf_index": m, "tree_size": n, "path": [hex(32 bytes), ...]}
    consistency proof: {"old_size": m, "new_size": n, "path": [hex(32 bytes), ...]}
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pysodium

from saylau.crypto.encoding import bytes_from_hex
from saylau.crypto.errors import InvalidEncoding, InvalidTreeHead
from saylau.crypto.hashing import Index, frame
from saylau.protocol.merkle import (
    EMPTY_ROOT,
    HASH_BYTES,
    MerkleLog,
    fold_subtree_roots,
    leaf_hash,
    node_hash,
    roots_at_sizes,
    split_point,
)
from saylau.protocol.merkle_proofs import verify_consistency, verify_inclusion

__all__ = [  # the Merkle names are the tree's (protocol.merkle), named here for the spec's readers
    "EMPTY_ROOT",
    "HASH_BYTES",
    "SIGNATURE_BYTES",
    "TREE_HEAD_TAG",
    "BoardKey",
    "ConsistencyProof",
    "InclusionProof",
    "MerkleLog",
    "TreeHead",
    "consistency_proof_from_json",
    "consistency_proof_to_json",
    "fold_subtree_roots",
    "inclusion_proof_from_json",
    "inclusion_proof_to_json",
    "leaf_hash",
    "node_hash",
    "roots_at_sizes",
    "sign_tree_head",
    "split_point",
    "tree_head_from_json",
    "tree_head_message",
    "tree_head_to_json",
    "verify_consistency",
    "verify_inclusion",
    "verify_tree_head",
]

SIGNATURE_BYTES = 64
TREE_HEAD_TAG = "saylau-v1/board/tree-head"
_MAX_U64 = 2**64 - 1


# Signed tree heads


@dataclass(frozen=True, slots=True)
class TreeHead:
    tree_size: int
    timestamp: int  # Unix time, milliseconds
    root_hash: bytes
    signature: bytes


@dataclass(frozen=True, slots=True)
class BoardKey:
    """The board's Ed25519 key pair."""

    public: bytes
    secret: bytes = field(repr=False)

    @classmethod
    def from_seed(cls, seed: bytes) -> BoardKey:
        if not isinstance(seed, bytes) or len(seed) != 32:
            raise ValueError("a board key seed must be 32 bytes")
        public, secret = pysodium.crypto_sign_seed_keypair(seed)
        return cls(bytes(public), bytes(secret))


def tree_head_message(log_id: bytes, tree_size: int, timestamp: int, root_hash: bytes) -> bytes:
    """The bytes the board signs (see the module docstring)."""
    return frame([TREE_HEAD_TAG, log_id, Index(tree_size), Index(timestamp), root_hash])


def _head_fields_error(log_id: bytes, tree_size: int, timestamp: int, root: bytes) -> str | None:
    if not isinstance(log_id, bytes) or len(log_id) != 32:
        return "log id must be 32 bytes"
    if not isinstance(root, bytes) or len(root) != HASH_BYTES:
        return f"root hash must be {HASH_BYTES} bytes"
    for name, v in (("tree size", tree_size), ("timestamp", timestamp)):
        if isinstance(v, bool) or not isinstance(v, int) or not 0 <= v <= _MAX_U64:
            return f"{name} must be an integer in [0, 2^64)"
    return None


def sign_tree_head(
    key: BoardKey, log_id: bytes, tree_size: int, timestamp: int, root_hash: bytes
) -> TreeHead:
    error = _head_fields_error(log_id, tree_size, timestamp, root_hash)
    if error:
        raise ValueError(error)
    message = tree_head_message(log_id, tree_size, timestamp, root_hash)
    signature = bytes(pysodium.crypto_sign_detached(message, key.secret))
    return TreeHead(tree_size, timestamp, root_hash, signature)


def verify_tree_head(head: TreeHead, board_public_key: bytes, log_id: bytes) -> None:
    """Check the board's signature on `head` for the log `log_id`."""
    what = f"tree head (size {head.tree_size}, timestamp {head.timestamp})"
    error = _head_fields_error(log_id, head.tree_size, head.timestamp, head.root_hash)
    if error:
        raise InvalidTreeHead(f"{what}: {error}")
    if not isinstance(head.signature, bytes) or len(head.signature) != SIGNATURE_BYTES:
        raise InvalidTreeHead(f"{what}: signature must be {SIGNATURE_BYTES} bytes")
    if not isinstance(board_public_key, bytes) or len(board_public_key) != 32:
        raise InvalidTreeHead(f"{what}: board public key must be 32 bytes")
    message = tree_head_message(log_id, head.tree_size, head.timestamp, head.root_hash)
    try:
        pysodium.crypto_sign_verify_detached(head.signature, message, board_public_key)
    except ValueError:
        raise InvalidTreeHead(f"{what}: the board signature does not verify") from None


# JSON


@dataclass(frozen=True, slots=True)
class InclusionProof:
    leaf_index: int
    tree_size: int
    path: tuple[bytes, ...]


@dataclass(frozen=True, slots=True)
class ConsistencyProof:
    old_size: int
    new_size: int
    path: tuple[bytes, ...]


def _object(obj: object, keys: tuple[str, ...], what: str) -> dict[str, Any]:
    if not isinstance(obj, dict):
        raise InvalidEncoding(f"{what}: expected a JSON object")
    missing = [k for k in keys if k not in obj]
    if missing:
        raise InvalidEncoding(f"{what}: missing field {missing[0]!r}")
    extra = sorted(str(k) for k in obj if k not in keys)
    if extra:
        raise InvalidEncoding(f"{what}: unexpected field {extra[0]!r}")
    return obj


def _uint(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= _MAX_U64:
        raise InvalidEncoding(f"{what}: expected an integer in [0, 2^64)")
    return value


def _path(value: object, what: str) -> tuple[bytes, ...]:
    if not isinstance(value, list):
        raise InvalidEncoding(f"{what}: expected a list of hex hashes")
    return tuple(bytes_from_hex(h, HASH_BYTES, f"{what}[{i}]") for i, h in enumerate(value))


def tree_head_to_json(head: TreeHead) -> dict[str, object]:
    return {
        "tree_size": head.tree_size,
        "timestamp": head.timestamp,
        "root_hash": head.root_hash.hex(),
        "signature": head.signature.hex(),
    }


def tree_head_from_json(obj: object, what: str = "tree_head") -> TreeHead:
    d = _object(obj, ("tree_size", "timestamp", "root_hash", "signature"), what)
    return TreeHead(
        tree_size=_uint(d["tree_size"], f"{what}.tree_size"),
        timestamp=_uint(d["timestamp"], f"{what}.timestamp"),
        root_hash=bytes_from_hex(d["root_hash"], HASH_BYTES, f"{what}.root_hash"),
        signature=bytes_from_hex(d["signature"], SIGNATURE_BYTES, f"{what}.signature"),
    )


def inclusion_proof_to_json(proof: InclusionProof) -> dict[str, object]:
    return {
        "leaf_index": proof.leaf_index,
        "tree_size": proof.tree_size,
        "path": [h.hex() for h in proof.path],
    }


def inclusion_proof_from_json(obj: object, what: str = "inclusion_proof") -> InclusionProof:
    d = _object(obj, ("leaf_index", "tree_size", "path"), what)
    return InclusionProof(
        leaf_index=_uint(d["leaf_index"], f"{what}.leaf_index"),
        tree_size=_uint(d["tree_size"], f"{what}.tree_size"),
        path=_path(d["path"], f"{what}.path"),
    )


def consistency_proof_to_json(proof: ConsistencyProof) -> dict[str, object]:
    return {
        "old_size": proof.old_size,
        "new_size": proof.new_size,
        "path": [h.hex() for h in proof.path],
    }


def consistency_proof_from_json(obj: object, what: str = "consistency_proof") -> ConsistencyProof:
    d = _object(obj, ("old_size", "new_size", "path"), what)
    return ConsistencyProof(
        old_size=_uint(d["old_size"], f"{what}.old_size"),
        new_size=_uint(d["new_size"], f"{what}.new_size"),
        path=_path(d["path"], f"{what}.path"),
    )
