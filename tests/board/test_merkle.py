"""The stored-subtree arithmetic (protocol.merkle) equals MerkleLog and the RFC 9162 recursion."""

from __future__ import annotations

import hashlib

import pytest

from saylau.protocol import board, merkle


def leaf(i: int) -> bytes:
    return board.leaf_hash(hashlib.sha256(str(i).encode()).digest())


def build(n: int):
    frontier: list[bytes] = []
    nodes: dict[tuple[int, int], bytes] = {}
    roots = []
    last_paths = []
    for i in range(n):
        last_paths.append(list(reversed(frontier)))
        frontier, new = merkle.append(frontier, i, leaf(i))
        for level, index, h in new:
            assert (level, index) not in nodes
            nodes[(level, index)] = h
        roots.append(merkle.fold(frontier))
    return frontier, nodes, roots, last_paths


N = 70


def mth(hashes: list[bytes]) -> bytes:
    """RFC 9162's MTH over leaf hashes, by its recursion (independent of protocol.merkle)."""
    if len(hashes) == 1:
        return hashes[0]
    k = 1 << ((len(hashes) - 1).bit_length() - 1)
    return hashlib.sha256(b"\x01" + mth(hashes[:k]) + mth(hashes[k:])).digest()


@pytest.fixture(scope="module")
def built():
    log = board.MerkleLog(leaf(i) for i in range(N))
    return log, *build(N)


def test_roots_and_frontier_match_the_reference(built):
    log, frontier, _nodes, roots, _ = built
    for size in range(1, N + 1):
        assert roots[size - 1] == log.root(size)
    assert len(frontier) == N.bit_count()
    assert merkle.split_frontier(b"".join(frontier), N) == frontier
    assert merkle.fold([]) == board.EMPTY_ROOT


def test_every_complete_subtree_is_stored(built):
    _log, _, nodes, _, _ = built
    for level in range(N.bit_length()):
        for index in range(N >> level):
            start = index << level
            assert nodes[(level, index)] == mth(
                [leaf(i) for i in range(start, start + (1 << level))]
            )


def test_the_appended_leafs_proof_is_the_old_frontier(built):
    log, _, _, _, last_paths = built
    for index in range(N):
        assert last_paths[index] == log.inclusion_proof(index, index + 1)


def test_inclusion_proofs_from_stored_subtrees(built):
    log, _, nodes, _, _ = built
    for size in range(1, N + 1):
        for index in range(size):
            plan = merkle.inclusion_plan(index, size)
            assert merkle.resolve(plan, nodes) == log.inclusion_proof(index, size)


def test_consistency_proofs_from_stored_subtrees(built):
    log, _, nodes, roots, _ = built
    for new in range(1, N + 1):
        for old in range(0, new + 1):
            proof = merkle.resolve(merkle.consistency_plan(old, new), nodes)
            assert proof == log.consistency_proof(old, new)
            if old:
                board.verify_consistency(old, new, roots[old - 1], roots[new - 1], proof)


def test_bad_arguments():
    with pytest.raises(ValueError):
        merkle.inclusion_plan(3, 3)
    with pytest.raises(ValueError):
        merkle.consistency_plan(4, 3)
    with pytest.raises(ValueError):
        merkle.split_frontier(b"\x00" * 32, 3)
    with pytest.raises(ValueError):
        merkle.pieces(1, 2)
