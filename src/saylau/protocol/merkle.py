"""The board's Merkle tree (RFC 9162 §2.1): hashes, appends, proofs. Pure: no Django, no I/O.

The one implementation of the tree: the verifier, the in-memory `MerkleLog` and the server's
board (which keeps every complete subtree in its database) all compute through it; the
PostgreSQL append procedure is held to it byte for byte by a property test.

A complete (perfect) subtree is named (level, index): the 2^level leaves from leaf
index·2^level. The *frontier* of a tree is the roots of the perfect subtrees that make it
up, largest first (one per set bit of the size): the new root after an append is a fold of
the frontier, and the inclusion proof of the leaf just appended is the old frontier
reversed. Every range in the RFC's recursion is a run of aligned perfect subtrees, so any
proof is a `plan` of ranges, resolved from stored subtrees (`resolve`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence

HASH_BYTES = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()

Position = tuple[int, int]  # (level, index) of a perfect subtree
Range = tuple[int, int]  # (start, length) of a run of leaves


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


fold = fold_subtree_roots


def check_hash(h: object, what: str) -> None:
    if not isinstance(h, bytes) or len(h) != HASH_BYTES:
        raise ValueError(f"{what} must be {HASH_BYTES} bytes")


# --- the frontier -------------------------------------------------------------------------


def split_frontier(blob: bytes, size: int) -> list[bytes]:
    """The frontier of a tree of `size` leaves from its stored concatenation."""
    hashes = [blob[i : i + HASH_BYTES] for i in range(0, len(blob), HASH_BYTES)]
    if len(blob) % HASH_BYTES or len(hashes) != size.bit_count():
        raise ValueError(f"a frontier of {len(blob)} bytes does not fit a tree of size {size}")
    return hashes


def append(
    frontier: Sequence[bytes], size: int, leaf: bytes
) -> tuple[list[bytes], list[tuple[int, int, bytes]]]:
    """Append the leaf hash `leaf` as leaf `size`: the new frontier and the complete
    subtrees it completes (level, index, hash), level 0 (the leaf itself) first."""
    stack = list(frontier)
    nodes = [(0, size, leaf)]
    current, level, i = leaf, 0, size
    while i & 1:
        current = node_hash(stack.pop(), current)
        level, i = level + 1, i >> 1
        nodes.append((level, i, current))
    stack.append(current)
    return stack, nodes


# --- proofs as plans of ranges ------------------------------------------------------------


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
    return [fold_subtree_roots([nodes[p] for p in pieces(start, n)]) for start, n in ranges]


# --- an in-memory log ---------------------------------------------------------------------


class MerkleLog:
    """An in-memory Merkle log that keeps every complete subtree hash, as the board's
    database does: `_levels[j][i]` is the subtree of 2^j leaves from leaf i·2^j."""

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
        check_hash(h, "a leaf hash")
        index = len(self._levels[0])
        _frontier, nodes = append(self.frontier(), index, h)
        for level, _i, node in nodes:
            if level == len(self._levels):
                self._levels.append([])
            self._levels[level].append(node)
        return index

    def frontier(self, size: int | None = None) -> list[bytes]:
        """The roots of the perfect subtrees of the tree of `size` leaves, largest first."""
        return [self._levels[level][i] for level, i in pieces(0, self._size(size))]

    def _subtrees(self, ranges: Sequence[Range]) -> list[bytes]:
        nodes = {(lv, ix): self._levels[lv][ix] for lv, ix in positions(ranges)}
        return resolve(ranges, nodes)

    def _size(self, size: int | None, what: str = "size") -> int:
        if size is None:
            return self.size
        if not 0 <= size <= self.size:
            raise ValueError(f"{what} {size} is outside the log's 0..{self.size}")
        return size

    def root(self, size: int | None = None) -> bytes:
        """MTH of the first `size` leaves (default: all)."""
        return fold_subtree_roots(self.frontier(size))

    def inclusion_proof(self, index: int, size: int | None = None) -> list[bytes]:
        """PATH(index, D[0:size]) (RFC 9162 2.1.3.1)."""
        return self._subtrees(inclusion_plan(index, self._size(size)))

    def consistency_proof(self, old_size: int, new_size: int | None = None) -> list[bytes]:
        """PROOF(old_size, D[0:new_size]) (RFC 9162 2.1.4.1); empty if old is 0 or new."""
        n = self._size(new_size, "new size")
        if not 0 <= old_size <= n:
            raise ValueError(f"old size {old_size} is outside 0..{n}")
        return self._subtrees(consistency_plan(old_size, n))


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
            check_hash(leaf_hashes[count], f"leaf hash {count}")
            stack, _nodes = append(stack, count, leaf_hashes[count])
            count += 1
        roots[target] = fold_subtree_roots(stack)
    return roots
