"""The board's Merkle arithmetic over stored complete subtrees. Pure: no Django, no I/O.

A complete (perfect) subtree is named (level, index): the 2^level leaves starting at leaf
index·2^level. The database keeps every one of them as leaves are appended (`append`), and
the *frontier*: the roots of the perfect subtrees that make up the whole tree, largest first
(one per set bit of the size). From those:

- the new root after an append is a fold of the frontier (no read);
- the inclusion proof of the leaf just appended is the old frontier, reversed (no read);
- any other inclusion or consistency proof names the perfect subtrees it needs
  (`inclusion_plan`, `consistency_plan`), which are read in one query and folded
  (`resolve`). Every range in the RFC 9162 recursion starts at a multiple of a power of two
  at least its length, so it splits into aligned perfect subtrees.

The results equal `saylau.protocol.board.MerkleLog`'s byte for byte (tests/voting check it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from saylau.protocol.board import HASH_BYTES, node_hash, split_point
from saylau.protocol.board import fold_subtree_roots as fold

__all__ = [
    "Position",
    "Range",
    "append",
    "consistency_plan",
    "fold",
    "inclusion_plan",
    "pieces",
    "positions",
    "resolve",
    "split_frontier",
]

Position = tuple[int, int]  # (level, index)
Range = tuple[int, int]  # (start, length)


def split_frontier(blob: bytes, size: int) -> list[bytes]:
    hashes = [blob[i : i + HASH_BYTES] for i in range(0, len(blob), HASH_BYTES)]
    if len(blob) % HASH_BYTES or len(hashes) != size.bit_count():
        raise ValueError(f"a frontier of {len(blob)} bytes does not fit a tree of size {size}")
    return hashes


def append(
    frontier: Sequence[bytes], size: int, leaf_hash: bytes
) -> tuple[list[bytes], list[tuple[int, int, bytes]]]:
    """Append leaf `size`: the new frontier and the complete subtrees it completes
    (level, index, hash), level 0 (the leaf itself) first."""
    stack = list(frontier)
    nodes = [(0, size, leaf_hash)]
    current, level, i = leaf_hash, 0, size
    while i & 1:
        current = node_hash(stack.pop(), current)
        level, i = level + 1, i >> 1
        nodes.append((level, i, current))
    stack.append(current)
    return stack, nodes


def pieces(start: int, n: int) -> list[Position]:
    """The aligned perfect subtrees that make up leaves [start, start+n), largest first."""
    out = []
    for bit in range(n.bit_length() - 1, -1, -1):
        if n >> bit & 1:
            if start % (1 << bit):
                raise ValueError(f"range ({start}, {n}) is not aligned")
            out.append((bit, start >> bit))
            start += 1 << bit
    return out


def inclusion_plan(index: int, size: int) -> list[Range]:
    """The ranges whose MTH make up PATH(index, D[0:size]), in proof order (leaf upwards)."""
    if not 0 <= index < size:
        raise ValueError(f"leaf index {index} is not in a tree of size {size}")
    path: list[Range] = []
    m, start, n = index, 0, size
    while n > 1:
        k = split_point(n)
        if m < k:
            path.append((start + k, n - k))
            n = k
        else:
            path.append((start, k))
            m, start, n = m - k, start + k, n - k
    path.reverse()
    return path


def consistency_plan(old_size: int, new_size: int) -> list[Range]:
    """The ranges whose MTH make up PROOF(old_size, D[0:new_size]) (RFC 9162 2.1.4.1)."""
    if not 0 <= old_size <= new_size:
        raise ValueError(f"no consistency proof from size {old_size} to {new_size}")
    if old_size in (0, new_size):
        return []
    proof: list[Range] = []
    m, start, n, complete = old_size, 0, new_size, True
    while m != n:
        k = split_point(n)
        if m <= k:
            proof.append((start + k, n - k))
            n = k
        else:
            proof.append((start, k))
            m, start, n, complete = m - k, start + k, n - k, False
    if not complete:
        proof.append((start, m))
    proof.reverse()
    return proof


def positions(ranges: Sequence[Range]) -> set[Position]:
    return {p for start, n in ranges for p in pieces(start, n)}


def resolve(ranges: Sequence[Range], nodes: Mapping[Position, bytes]) -> list[bytes]:
    """The MTH of each range from the stored perfect subtrees (KeyError if one is missing)."""
    return [fold([nodes[p] for p in pieces(start, n)]) for start, n in ranges]
