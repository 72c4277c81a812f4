"""Checking Merkle proofs (RFC 9162 2.1.3.2 and 2.1.4.2), after checking that each proof has
exactly the length its sizes imply. Pure: no Django, no I/O. The shapes are in
`saylau.protocol.board`'s docstring (the spec text) and docs/protocol.md."""

from __future__ import annotations

from collections.abc import Sequence

from saylau.crypto.errors import InvalidConsistency, InvalidInclusion
from saylau.protocol.merkle import EMPTY_ROOT, HASH_BYTES, node_hash, split_point


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
