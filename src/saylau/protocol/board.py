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

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pysodium

from saylau.crypto.encoding import bytes_from_hex
from saylau.crypto.errors import (
    InvalidConsistency,
    InvalidEncoding,
    InvalidInclusion,
    InvalidTreeHead,
)
from saylau.crypto.hashing import Index, frame

HASH_BYTES = 32
SIGNATURE_BYTES = 64
TREE_HEAD_TAG = "saylau-v1/board/tree-head"
EMPTY_ROOT = hashlib.sha256(b"").digest()
_MAX_U64 = 2**64 - 1


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def split_point(n: int) -> int:
    """The largest power of two strictly smaller than n (n >= 2)."""
    return 1 << ((n - 1).bit_length() - 1)


def fold_subtree_roots(stack: Sequence[bytes]) -> bytes:
    """MTH from the roots of the perfect subtrees of a tree, largest (leftmost) first."""
    if not stack:
        return EMPTY_ROOT
    root = stack[-1]
    for h in reversed(stack[:-1]):
        root = node_hash(h, root)
    return root


def _check_hash(h: object, what: str) -> None:
    if not isinstance(h, bytes) or len(h) != HASH_BYTES:
        raise ValueError(f"{what} must be {HASH_BYTES} bytes")


class MerkleLog:
    """An in-memory Merkle log that keeps every complete subtree hash.

    `_levels[j][i]` is the hash of the perfect subtree of 2^j leaves starting at leaf i·2^j.
    Appending is amortised O(1) hashing (O(log n) at worst); the root at any size costs
    O(log n) hashes and a proof O(log² n) at worst; memory is about 2n hashes.
    """

    def __init__(self, leaf_hashes: Iterable[bytes] = ()) -> None:
        self._levels: list[list[bytes]] = [[]]
        for h in leaf_hashes:
            self.append_leaf_hash(h)

    @property
    def size(self) -> int:
        return len(self._levels[0])

    @property
    def leaf_hashes(self) -> Sequence[bytes]:
        """The leaf hashes in order (a live view: do not mutate)."""
        return self._levels[0]

    def append(self, data: bytes) -> int:
        """Append a leaf's data; return its index."""
        return self.append_leaf_hash(leaf_hash(data))

    def append_leaf_hash(self, h: bytes) -> int:
        """Append an already hashed leaf; return its index."""
        _check_hash(h, "a leaf hash")
        index = len(self._levels[0])
        self._levels[0].append(h)
        level, i = 0, index
        while i & 1:
            if level + 1 == len(self._levels):
                self._levels.append([])
            below = self._levels[level]
            self._levels[level + 1].append(node_hash(below[i - 1], below[i]))
            level, i = level + 1, i >> 1
        return index

    def _mth(self, start: int, n: int) -> bytes:
        """MTH(D[start:start+n]) for a range that occurs in the RFC recursion (n >= 1)."""
        if n & (n - 1) == 0 and start % n == 0:
            level = n.bit_length() - 1
            return self._levels[level][start >> level]
        k = split_point(n)
        return node_hash(self._mth(start, k), self._mth(start + k, n - k))

    def _size(self, size: int | None, what: str = "size") -> int:
        if size is None:
            return self.size
        if not 0 <= size <= self.size:
            raise ValueError(f"{what} {size} is outside the log's 0..{self.size}")
        return size

    def root(self, size: int | None = None) -> bytes:
        """MTH of the first `size` leaves (default: all)."""
        n = self._size(size)
        return self._mth(0, n) if n else EMPTY_ROOT

    def inclusion_proof(self, index: int, size: int | None = None) -> list[bytes]:
        """PATH(index, D[0:size]) (RFC 9162 2.1.3.1)."""
        n = self._size(size)
        if not 0 <= index < n:
            raise ValueError(f"leaf index {index} is not in a tree of size {n}")
        path, m, start = [], index, 0
        while n > 1:
            k = split_point(n)
            if m < k:
                path.append(self._mth(start + k, n - k))
                n = k
            else:
                path.append(self._mth(start, k))
                m, start, n = m - k, start + k, n - k
        path.reverse()
        return path

    def consistency_proof(self, old_size: int, new_size: int | None = None) -> list[bytes]:
        """PROOF(old_size, D[0:new_size]) (RFC 9162 2.1.4.1); empty if old is 0 or new."""
        n = self._size(new_size, "new size")
        if not 0 <= old_size <= n:
            raise ValueError(f"old size {old_size} is outside 0..{n}")
        if old_size in (0, n):
            return []
        proof: list[bytes] = []
        m, start, complete = old_size, 0, True
        while m != n:
            k = split_point(n)
            if m <= k:
                proof.append(self._mth(start + k, n - k))
                n = k
            else:
                proof.append(self._mth(start, k))
                m, start, n, complete = m - k, start + k, n - k, False
        if not complete:
            proof.append(self._mth(start, m))
        proof.reverse()
        return proof


def roots_at_sizes(leaf_hashes: Sequence[bytes], sizes: Iterable[int]) -> dict[int, bytes]:
    """MTH of the first s leaves for every requested s, in one pass over the leaves."""
    wanted = sorted(set(sizes))
    if wanted and (wanted[0] < 0 or wanted[-1] > len(leaf_hashes)):
        raise ValueError(f"sizes must lie in 0..{len(leaf_hashes)}, the number of leaves")
    roots: dict[int, bytes] = {}
    stack: list[bytes] = []
    count = 0
    for target in wanted:
        while count < target:
            h = leaf_hashes[count]
            _check_hash(h, f"leaf hash {count}")
            stack.append(h)
            i = count
            while i & 1:
                right = stack.pop()
                stack[-1] = node_hash(stack[-1], right)
                i >>= 1
            count += 1
        roots[target] = fold_subtree_roots(stack)
    return roots


def _inclusion_length(index: int, size: int) -> int:
    n, m, count = size, index, 0
    while n > 1:
        k = split_point(n)
        n, m, count = (k, m, count + 1) if m < k else (n - k, m - k, count + 1)
    return count


def _consistency_length(old_size: int, new_size: int) -> int:
    m, n, count, complete = old_size, new_size, 0, True
    while m != n:
        k = split_point(n)
        if m <= k:
            n = k
        else:
            m, n, complete = m - k, n - k, False
        count += 1
    return count if complete else count + 1


def _check_hashes(
    items: Sequence[tuple[str, object]], error: type[InvalidInclusion | InvalidConsistency]
) -> None:
    for what, h in items:
        if not isinstance(h, bytes) or len(h) != HASH_BYTES:
            raise error(f"{what} is not a {HASH_BYTES}-byte hash")


def verify_inclusion(
    leaf_hash: bytes, index: int, tree_size: int, proof: Sequence[bytes], root: bytes
) -> None:
    """Check that `proof` leads from leaf `index` to `root` of the tree of `tree_size`.

    The proof does not bind the size on its own (leaf 1's proof for size 5 has the same
    shape as for size 6): take `tree_size` and `root` from one verified signed tree head.
    """
    if not 0 <= index < tree_size:
        raise InvalidInclusion(f"leaf index {index} is not in a tree of size {tree_size}")
    _check_hashes(
        [("leaf hash", leaf_hash), ("root", root)]
        + [(f"proof element {i}", p) for i, p in enumerate(proof)],
        InvalidInclusion,
    )
    expected = _inclusion_length(index, tree_size)
    if len(proof) != expected:
        raise InvalidInclusion(
            f"inclusion proof of leaf {index} in size {tree_size} has {len(proof)} hashes,"
            f" expected {expected}"
        )
    fn, sn, r = index, tree_size - 1, leaf_hash
    for p in proof:  # RFC 9162 2.1.3.2
        if sn == 0:
            raise InvalidInclusion("inclusion proof is too long")
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise InvalidInclusion("inclusion proof is too short")
    if r != root:
        raise InvalidInclusion(
            f"leaf {index} with this proof does not hash to the root of size {tree_size}"
        )


def verify_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> None:
    """Check that the tree of `old_size` with `old_root` is a prefix of the `new_size` one.

    As for inclusion, each (size, root) pair must come from one verified signed tree head.
    """
    _check_hashes(
        [("old root", old_root), ("new root", new_root)]
        + [(f"proof element {i}", p) for i, p in enumerate(proof)],
        InvalidConsistency,
    )
    if not 0 <= old_size <= new_size:
        raise InvalidConsistency(f"the log cannot go from size {old_size} to {new_size}")
    if old_size in (0, new_size) and proof:
        raise InvalidConsistency(f"a proof from size {old_size} to {new_size} must be empty")
    if old_size == new_size:
        if old_root != new_root:
            raise InvalidConsistency(f"two different roots for the same size {old_size}")
        return
    if old_size == 0:
        if old_root != EMPTY_ROOT:
            raise InvalidConsistency("the root of the empty tree must be SHA-256 of b''")
        return
    expected = _consistency_length(old_size, new_size)
    if len(proof) != expected:
        raise InvalidConsistency(
            f"consistency proof from size {old_size} to {new_size} has {len(proof)} hashes,"
            f" expected {expected}"
        )
    path = [old_root, *proof] if old_size & (old_size - 1) == 0 else list(proof)
    fn, sn = old_size - 1, new_size - 1  # RFC 9162 2.1.4.2
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            raise InvalidConsistency("consistency proof is too long")
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise InvalidConsistency("consistency proof is too short")
    if fr != old_root:
        raise InvalidConsistency(
            f"the proof does not rebuild the old root: the tree of size {old_size}"
            f" is not a prefix of the tree of size {new_size}"
        )
    if sr != new_root:
        raise InvalidConsistency(f"the proof does not rebuild the root of size {new_size}")


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
