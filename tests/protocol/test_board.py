"""Tests for the bulletin board (saylau.protocol.board).

Three independent anchors:
- the Certificate Transparency reference vectors (8 leaves, roots for sizes 0..8, inclusion
  and consistency proofs), copied from transparency-dev/merkle `proof/verify_test.go`
  (the same vectors as certificate-transparency-go and trillian's merkle tests, originally
  from the CT C++ `merkle_tree_test.cc`). There, inclusion leaves are numbered from 1; they
  are converted to 0-based indices here;
- a naive recursive MTH / PATH / PROOF written below straight from RFC 9162 2.1, compared
  against the incremental MerkleLog for every size and pair up to ~64 / 40;
- RFC 8032 test vector 1 for the Ed25519 key derivation from a seed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import partial

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from saylau.crypto.errors import (
    InvalidConsistency,
    InvalidEncoding,
    InvalidInclusion,
    InvalidTreeHead,
    SaylauCryptoError,
)
from saylau.protocol.board import (
    EMPTY_ROOT,
    BoardKey,
    ConsistencyProof,
    InclusionProof,
    MerkleLog,
    TreeHead,
    consistency_proof_from_json,
    consistency_proof_to_json,
    inclusion_proof_from_json,
    inclusion_proof_to_json,
    leaf_hash,
    node_hash,
    roots_at_sizes,
    sign_tree_head,
    tree_head_from_json,
    tree_head_message,
    tree_head_to_json,
    verify_consistency,
    verify_inclusion,
    verify_tree_head,
)

# --- Naive reference, straight from RFC 9162 section 2.1 -------------------------------------


def ref_hash(b: bytes) -> bytes:
    return hashlib.sha256(b).digest()


def ref_k(n: int) -> int:
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def ref_mth(d: Sequence[bytes]) -> bytes:
    """MTH over leaf *data* (2.1.1)."""
    if len(d) == 0:
        return ref_hash(b"")
    if len(d) == 1:
        return ref_hash(b"\x00" + d[0])
    k = ref_k(len(d))
    return ref_hash(b"\x01" + ref_mth(d[:k]) + ref_mth(d[k:]))


def ref_path(m: int, d: Sequence[bytes]) -> list[bytes]:
    """PATH(m, D_n) (2.1.3.1)."""
    if len(d) == 1:
        return []
    k = ref_k(len(d))
    if m < k:
        return [*ref_path(m, d[:k]), ref_mth(d[k:])]
    return [*ref_path(m - k, d[k:]), ref_mth(d[:k])]


def ref_subproof(m: int, d: Sequence[bytes], b: bool) -> list[bytes]:
    """SUBPROOF(m, D_n, b) (2.1.4.1)."""
    n = len(d)
    if m == n:
        return [] if b else [ref_mth(d)]
    k = ref_k(n)
    if m <= k:
        return [*ref_subproof(m, d[:k], b), ref_mth(d[k:])]
    return [*ref_subproof(m - k, d[k:], False), ref_mth(d[:k])]


def ref_proof(m: int, d: Sequence[bytes]) -> list[bytes]:
    return ref_subproof(m, d, True)


def data(i: int) -> bytes:
    return b"ballot-" + i.to_bytes(4, "big")


DATA = [data(i) for i in range(64)]
LOG = MerkleLog()
for _d in DATA:
    LOG.append(_d)


# --- Certificate Transparency reference vectors ----------------------------------------------

CT_LEAVES = [
    bytes.fromhex(h)
    for h in [
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    ]
]
CT_ROOTS = [  # index = tree size
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
CT_INCLUSION = [  # (0-based leaf index, tree size, path)
    (0, 1, []),
    (
        0,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        5,
        8,
        [
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
    (
        1,
        5,
        [
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
]
CT_CONSISTENCY = [  # (old size, new size, proof)
    (1, 1, []),
    (
        1,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        6,
        8,
        [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (
        2,
        5,
        [
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
    (
        6,
        7,
        [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
]


def ct_log() -> MerkleLog:
    log = MerkleLog()
    for i, leaf in enumerate(CT_LEAVES):
        assert log.append(leaf) == i
    return log


def test_primitives() -> None:
    assert EMPTY_ROOT.hex() == CT_ROOTS[0]
    assert leaf_hash(b"").hex() == CT_ROOTS[1]
    assert node_hash(b"a" * 32, b"b" * 32) == ref_hash(b"\x01" + b"a" * 32 + b"b" * 32)


def test_ct_roots() -> None:
    log = ct_log()
    hashes = [leaf_hash(x) for x in CT_LEAVES]
    by_size = roots_at_sizes(hashes, range(9))
    for size, expected in enumerate(CT_ROOTS):
        assert log.root(size).hex() == expected
        assert by_size[size].hex() == expected
        assert ref_mth(CT_LEAVES[:size]).hex() == expected
    assert log.root() == log.root(8)


@pytest.mark.parametrize(("index", "size", "path"), CT_INCLUSION)
def test_ct_inclusion(index: int, size: int, path: list[str]) -> None:
    log = ct_log()
    proof = log.inclusion_proof(index, size)
    assert [p.hex() for p in proof] == path
    verify_inclusion(leaf_hash(CT_LEAVES[index]), index, size, proof, bytes.fromhex(CT_ROOTS[size]))


@pytest.mark.parametrize(("old", "new", "path"), CT_CONSISTENCY)
def test_ct_consistency(old: int, new: int, path: list[str]) -> None:
    log = ct_log()
    proof = log.consistency_proof(old, new)
    assert [p.hex() for p in proof] == path
    verify_consistency(old, new, bytes.fromhex(CT_ROOTS[old]), bytes.fromhex(CT_ROOTS[new]), proof)


# --- Cross-check against the naive reference --------------------------------------------------


def test_roots_match_reference_for_all_sizes() -> None:
    for size in range(65):
        assert LOG.root(size) == ref_mth(DATA[:size]), size
    assert roots_at_sizes(LOG.leaf_hashes, range(65)) == {s: LOG.root(s) for s in range(65)}


def test_incremental_root_matches_reference() -> None:
    log = MerkleLog()
    for i, d in enumerate(DATA):
        log.append(d)
        assert log.size == i + 1
        assert log.root() == ref_mth(DATA[: i + 1])


def test_inclusion_proofs_match_reference() -> None:
    for size in range(1, 41):
        root = LOG.root(size)
        for index in range(size):
            proof = LOG.inclusion_proof(index, size)
            assert proof == ref_path(index, DATA[:size]), (index, size)
            verify_inclusion(LOG.leaf_hashes[index], index, size, proof, root)


def test_consistency_proofs_match_reference() -> None:
    for new in range(1, 41):
        new_root = LOG.root(new)
        for old in range(1, new + 1):
            proof = LOG.consistency_proof(old, new)
            assert proof == ref_proof(old, DATA[:new]), (old, new)
            verify_consistency(old, new, LOG.root(old), new_root, proof)


def test_log_from_leaf_hashes_and_defaults() -> None:
    copy = MerkleLog(LOG.leaf_hashes[:20])
    assert copy.size == 20
    assert copy.root() == LOG.root(20)
    assert copy.inclusion_proof(7) == LOG.inclusion_proof(7, 20)
    assert copy.consistency_proof(9) == LOG.consistency_proof(9, 20)
    assert MerkleLog().root() == EMPTY_ROOT
    assert roots_at_sizes([], [0]) == {0: EMPTY_ROOT}


def test_log_argument_errors() -> None:
    log = MerkleLog(LOG.leaf_hashes[:5])
    with pytest.raises(ValueError):
        log.append_leaf_hash(b"short")
    with pytest.raises(ValueError):
        log.root(6)
    with pytest.raises(ValueError):
        log.inclusion_proof(5, 5)
    with pytest.raises(ValueError):
        log.inclusion_proof(-1, 5)
    with pytest.raises(ValueError):
        log.consistency_proof(6, 5)
    with pytest.raises(ValueError):
        roots_at_sizes(log.leaf_hashes, [6])
    with pytest.raises(ValueError):
        roots_at_sizes(log.leaf_hashes, [-1])


# --- Tampering: inclusion ---------------------------------------------------------------------


def flip(h: bytes, bit: int = 3) -> bytes:
    return bytes([h[0] ^ (1 << bit)]) + h[1:]


def inclusion_tampers(
    leaf: bytes, index: int, size: int, proof: list[bytes], root: bytes
) -> list[tuple[str, Callable[[], None]]]:
    probes: list[tuple[str, bytes, int, int, list[bytes], bytes]] = [
        ("changed leaf", flip(leaf), index, size, proof, root),
        ("index - 1", leaf, index - 1, size, proof, root),
        ("index + 1", leaf, index + 1, size, proof, root),
        ("index ^ 2", leaf, index ^ 2, size, proof, root),
        ("size = index", leaf, index, index, proof, root),
        ("wrong root", leaf, index, size, proof, flip(root)),
        ("empty root", leaf, index, size, proof, EMPTY_ROOT),
        ("trailing hash", leaf, index, size, [*proof, root], root),
        ("preceding hash", leaf, index, size, [root, *proof], root),
        ("short element", leaf, index, size, [*proof[:-1], b"x"] if proof else [b"x"], root),
    ]
    if size > 1:
        other_leaf = LOG.leaf_hashes[(index + 1) % size]
        probes.append(("other leaf", other_leaf, index, size, proof, root))
    # A different tree head: the (size, root) pair of another size.
    for other in {size - 1, size + 1, size * 2, size // 2} - {size}:
        if 1 <= other <= LOG.size:
            probes.append((f"head of size {other}", leaf, index, other, proof, LOG.root(other)))
    for i in range(len(proof)):
        bad = list(proof)
        bad[i] = flip(bad[i])
        probes.append((f"flipped proof[{i}]", leaf, index, size, bad, root))
    if proof:
        probes.append(("dropped last", leaf, index, size, proof[:-1], root))
    if len(proof) > 1:
        probes.append(("swapped pair", leaf, index, size, [proof[1], proof[0], *proof[2:]], root))
    return [(name, partial(verify_inclusion, lf, i, s, p, r)) for name, lf, i, s, p, r in probes]


def test_inclusion_tampering_is_rejected() -> None:
    for size in range(1, 34):
        root = LOG.root(size)
        for index in range(size):
            proof = LOG.inclusion_proof(index, size)
            for name, probe in inclusion_tampers(LOG.leaf_hashes[index], index, size, proof, root):
                with pytest.raises(InvalidInclusion):
                    probe()
                    pytest.fail(f"{name} accepted for leaf {index} of {size}")


def test_inclusion_edge_cases() -> None:
    h = leaf_hash(b"only")
    verify_inclusion(h, 0, 1, [], h)
    for index, size in [(0, 0), (1, 0), (1, 1), (2, 1), (-1, 1)]:
        with pytest.raises(InvalidInclusion, match="not in a tree"):
            verify_inclusion(h, index, size, [], h)
    with pytest.raises(InvalidInclusion, match="expected 0"):
        verify_inclusion(h, 0, 1, [h], h)
    with pytest.raises(InvalidInclusion, match="hash"):
        verify_inclusion(b"", 0, 1, [], h)


def test_ct_inclusion_tampering() -> None:
    log = ct_log()
    for index, size, _ in CT_INCLUSION[1:]:
        proof = log.inclusion_proof(index, size)
        leaf = leaf_hash(CT_LEAVES[index])
        root = log.root(size)
        for wrong_size in (size * 2, size // 2):  # the probes of verify_test.go
            with pytest.raises(InvalidInclusion):
                verify_inclusion(leaf, index, wrong_size, proof, root)


# --- Tampering: consistency -------------------------------------------------------------------


def test_consistency_tampering_is_rejected() -> None:
    for new in range(2, 33):
        new_root = LOG.root(new)
        for old in range(1, new):
            old_root = LOG.root(old)
            proof = LOG.consistency_proof(old, new)
            probes: list[tuple[str, int, int, bytes, bytes, list[bytes]]] = [
                # Another tree head: a (size, root) pair of another size of the same log.
                ("old - 1", old - 1, new, LOG.root(old - 1), new_root, proof),
                ("old + 1", old + 1, new, LOG.root(old + 1), new_root, proof),
                ("new + 1", old, new + 1, old_root, LOG.root(new + 1), proof),
                ("new * 2", old, new * 2, old_root, LOG.root(new * 2), proof),
                ("wrong old root", old, new, flip(old_root), new_root, proof),
                ("wrong new root", old, new, old_root, flip(new_root), proof),
                ("swapped roots", old, new, new_root, old_root, proof),
                ("empty proof", old, new, old_root, new_root, []),
                ("trailing hash", old, new, old_root, new_root, [*proof, new_root]),
                ("preceding hash", old, new, old_root, new_root, [old_root, *proof]),
                ("truncated", old, new, old_root, new_root, proof[:-1]),
            ]
            if old ^ 2 not in (0, old) and old ^ 2 < new:
                probes.append(("old ^ 2", old ^ 2, new, LOG.root(old ^ 2), new_root, proof))
            if new // 2 > old:
                probes.append(("new / 2", old, new // 2, old_root, LOG.root(new // 2), proof))
            for i in range(len(proof)):
                bad = list(proof)
                bad[i] = flip(bad[i], 4)
                probes.append((f"flipped proof[{i}]", old, new, old_root, new_root, bad))
            for name, m, n, r1, r2, p in probes:
                with pytest.raises(InvalidConsistency):
                    verify_consistency(m, n, r1, r2, p)
                    pytest.fail(f"{name} accepted for {old} -> {new}")


def test_consistency_edge_cases() -> None:
    r = LOG.root(5)
    verify_consistency(5, 5, r, r, [])
    verify_consistency(0, 0, EMPTY_ROOT, EMPTY_ROOT, [])
    verify_consistency(0, 5, EMPTY_ROOT, r, [])
    assert LOG.consistency_proof(0, 5) == []
    assert LOG.consistency_proof(5, 5) == []
    with pytest.raises(InvalidConsistency, match="different roots"):
        verify_consistency(5, 5, r, flip(r), [])
    with pytest.raises(InvalidConsistency, match="must be empty"):
        verify_consistency(5, 5, r, r, [r])
    with pytest.raises(InvalidConsistency, match="must be empty"):
        verify_consistency(0, 5, EMPTY_ROOT, r, [r])
    with pytest.raises(InvalidConsistency, match="empty tree"):
        verify_consistency(0, 5, r, r, [])
    with pytest.raises(InvalidConsistency, match="cannot go"):
        verify_consistency(6, 5, LOG.root(6), r, LOG.consistency_proof(5, 6))
    with pytest.raises(InvalidConsistency, match="cannot go"):
        verify_consistency(-1, 5, r, r, [])
    with pytest.raises(InvalidConsistency, match="expected"):
        verify_consistency(3, 5, LOG.root(3), r, [])
    with pytest.raises(InvalidConsistency, match="hash"):
        verify_consistency(3, 5, b"", r, LOG.consistency_proof(3, 5))


# --- A dishonest board ------------------------------------------------------------------------


def test_dropped_leaf_breaks_consistency() -> None:
    honest_old_root = LOG.root(12)
    for dropped in range(12):
        forged = MerkleLog(h for i, h in enumerate(LOG.leaf_hashes[:30]) if i != dropped)
        forged.append(b"filler")  # the forged log grows on
        new = forged.size
        proof = forged.consistency_proof(12, new)
        with pytest.raises(InvalidConsistency):
            verify_consistency(12, new, honest_old_root, forged.root(), proof)
        # ...and the forged log has no root of size 12 matching the honest head.
        assert forged.root(12) != honest_old_root
        # The dropped leaf is not included at its index any more.
        with pytest.raises(InvalidInclusion):
            verify_inclusion(
                LOG.leaf_hashes[dropped],
                dropped,
                new,
                forged.inclusion_proof(dropped, new),
                forged.root(),
            )


def test_reordered_leaves_break_consistency_and_inclusion() -> None:
    honest_old_root = LOG.root(12)
    for i in range(11):
        hashes = list(LOG.leaf_hashes[:30])
        hashes[i], hashes[i + 1] = hashes[i + 1], hashes[i]
        forged = MerkleLog(hashes)
        with pytest.raises(InvalidConsistency):
            verify_consistency(
                12, 30, honest_old_root, forged.root(), forged.consistency_proof(12, 30)
            )
        with pytest.raises(InvalidInclusion):  # the honest receipt for leaf i no longer fits
            verify_inclusion(LOG.leaf_hashes[i], i, 30, LOG.inclusion_proof(i, 30), forged.root())


# --- Signed tree heads ------------------------------------------------------------------------

LOG_ID = hashlib.sha256(b"election fingerprint").digest()
KEY = BoardKey.from_seed(bytes(range(32)))
OTHER_KEY = BoardKey.from_seed(bytes(range(1, 33)))


def test_board_key_matches_rfc8032() -> None:
    seed = bytes.fromhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
    key = BoardKey.from_seed(seed)
    public = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
    assert key.public.hex() == public
    assert key.secret.hex() not in repr(key)
    with pytest.raises(ValueError):
        BoardKey.from_seed(b"short")


def test_tree_head_message_layout() -> None:
    root = LOG.root(7)
    msg = tree_head_message(LOG_ID, 7, 1_700_000_000_123, root)
    tag = b"saylau-v1/board/tree-head"
    expected = (
        (25).to_bytes(4, "big")
        + tag
        + (32).to_bytes(4, "big")
        + LOG_ID
        + (8).to_bytes(4, "big")
        + (7).to_bytes(8, "big")
        + (8).to_bytes(4, "big")
        + (1_700_000_000_123).to_bytes(8, "big")
        + (32).to_bytes(4, "big")
        + root
    )
    assert msg == expected
    assert len(msg) == 125


def test_tree_head_sign_verify_and_tampering() -> None:
    head = sign_tree_head(KEY, LOG_ID, 7, 1_700_000_000_123, LOG.root(7))
    assert head == TreeHead(7, 1_700_000_000_123, LOG.root(7), head.signature)
    verify_tree_head(head, KEY.public, LOG_ID)
    tampered = [
        replace(head, root_hash=LOG.root(6)),
        replace(head, root_hash=flip(head.root_hash)),
        replace(head, tree_size=8),
        replace(head, tree_size=6),
        replace(head, timestamp=head.timestamp + 1),
        replace(head, signature=flip(head.signature)),
        replace(head, signature=head.signature[:-1]),
        replace(head, root_hash=head.root_hash[:-1]),
        replace(head, tree_size=-1),
        replace(head, timestamp=2**64),
        sign_tree_head(OTHER_KEY, LOG_ID, 7, head.timestamp, head.root_hash),
    ]
    for bad in tampered:
        with pytest.raises(InvalidTreeHead):
            verify_tree_head(bad, KEY.public, LOG_ID)
    with pytest.raises(InvalidTreeHead, match="does not verify"):
        verify_tree_head(head, KEY.public, hashlib.sha256(b"another election").digest())
    with pytest.raises(InvalidTreeHead, match="does not verify"):
        verify_tree_head(head, OTHER_KEY.public, LOG_ID)
    with pytest.raises(InvalidTreeHead, match="log id"):
        verify_tree_head(head, KEY.public, LOG_ID[:31])
    with pytest.raises(InvalidTreeHead, match="public key"):
        verify_tree_head(head, KEY.public[:31], LOG_ID)
    with pytest.raises(ValueError):
        sign_tree_head(KEY, LOG_ID, 7, -5, LOG.root(7))
    with pytest.raises(ValueError):
        sign_tree_head(KEY, LOG_ID[:5], 7, 0, LOG.root(7))


def test_signed_heads_checked_against_leaves() -> None:
    """The verifier's use: every signed head's root must be the root of the leaves."""
    heads = [sign_tree_head(KEY, LOG_ID, s, 1000 * s, LOG.root(s)) for s in (0, 1, 9, 33, 64)]
    roots = roots_at_sizes(LOG.leaf_hashes, [h.tree_size for h in heads])
    for h in heads:
        verify_tree_head(h, KEY.public, LOG_ID)
        assert roots[h.tree_size] == h.root_hash
    assert roots_at_sizes([*LOG.leaf_hashes[:8], *LOG.leaf_hashes[9:]], [33])[33] != LOG.root(33)


# --- JSON ---------------------------------------------------------------------------------------


def test_tree_head_json_round_trip() -> None:
    head = sign_tree_head(KEY, LOG_ID, 64, 1_700_000_000_000, LOG.root())
    obj = tree_head_to_json(head)
    assert obj == {
        "tree_size": 64,
        "timestamp": 1_700_000_000_000,
        "root_hash": LOG.root().hex(),
        "signature": head.signature.hex(),
    }
    assert tree_head_from_json(obj) == head


def test_proof_json_round_trips() -> None:
    inc = InclusionProof(3, 10, tuple(LOG.inclusion_proof(3, 10)))
    obj = inclusion_proof_to_json(inc)
    assert obj == {"leaf_index": 3, "tree_size": 10, "path": [p.hex() for p in inc.path]}
    assert inclusion_proof_from_json(obj) == inc
    con = ConsistencyProof(3, 10, tuple(LOG.consistency_proof(3, 10)))
    obj = consistency_proof_to_json(con)
    assert obj == {"old_size": 3, "new_size": 10, "path": [p.hex() for p in con.path]}
    assert consistency_proof_from_json(obj) == con
    assert inclusion_proof_from_json({"leaf_index": 0, "tree_size": 1, "path": []}).path == ()


GOOD_HEAD = {"tree_size": 1, "timestamp": 2, "root_hash": "ab" * 32, "signature": "cd" * 64}
BAD_HEADS: list[tuple[object, str]] = [
    ([], "tree_head: expected a JSON object"),
    ({k: v for k, v in GOOD_HEAD.items() if k != "signature"}, "missing field 'signature'"),
    ({**GOOD_HEAD, "extra": 1}, "unexpected field 'extra'"),
    ({**GOOD_HEAD, "tree_size": True}, "tree_head.tree_size"),
    ({**GOOD_HEAD, "tree_size": -1}, "tree_head.tree_size"),
    ({**GOOD_HEAD, "tree_size": 1.0}, "tree_head.tree_size"),
    ({**GOOD_HEAD, "tree_size": "1"}, "tree_head.tree_size"),
    ({**GOOD_HEAD, "timestamp": 2**64}, "tree_head.timestamp"),
    ({**GOOD_HEAD, "root_hash": "AB" * 32}, "tree_head.root_hash"),
    ({**GOOD_HEAD, "root_hash": "ab" * 31}, "tree_head.root_hash"),
    ({**GOOD_HEAD, "root_hash": "zz" * 32}, "tree_head.root_hash"),
    ({**GOOD_HEAD, "root_hash": None}, "tree_head.root_hash"),
    ({**GOOD_HEAD, "signature": "cd" * 32}, "tree_head.signature"),
]


@pytest.mark.parametrize(("obj", "message"), BAD_HEADS)
def test_tree_head_from_json_rejects(obj: object, message: str) -> None:
    with pytest.raises(InvalidEncoding, match=message.replace("[", r"\[").replace("]", r"\]")):
        tree_head_from_json(obj)


def test_proof_from_json_rejects() -> None:
    good_inc = {"leaf_index": 0, "tree_size": 2, "path": ["00" * 32]}
    good_con = {"old_size": 1, "new_size": 2, "path": ["00" * 32]}
    cases: list[tuple[Callable[[object], object], object, str]] = [
        (inclusion_proof_from_json, {**good_inc, "path": "00" * 32}, r"inclusion_proof\.path"),
        (inclusion_proof_from_json, {**good_inc, "path": ["00" * 31]}, r"path\[0\]"),
        (inclusion_proof_from_json, {**good_inc, "path": ["00" * 32, 5]}, r"path\[1\]"),
        (inclusion_proof_from_json, {**good_inc, "leaf_index": None}, r"\.leaf_index"),
        (inclusion_proof_from_json, {"leaf_index": 0, "path": []}, "tree_size"),
        (consistency_proof_from_json, {**good_con, "old_size": -3}, r"\.old_size"),
        (consistency_proof_from_json, {**good_con, "path": ["0G" * 32]}, r"path\[0\]"),
        (consistency_proof_from_json, {**good_con, "size": 3}, "unexpected field 'size'"),
        (consistency_proof_from_json, "proof", "expected a JSON object"),
    ]
    for decode, obj, message in cases:
        with pytest.raises(InvalidEncoding, match=message):
            decode(obj)


def test_errors_are_saylau_errors() -> None:
    for cls in (InvalidInclusion, InvalidConsistency, InvalidTreeHead):
        assert issubclass(cls, SaylauCryptoError)


# --- Properties -------------------------------------------------------------------------------

BIG = MerkleLog(leaf_hash(i.to_bytes(4, "big")) for i in range(1500))


@st.composite
def index_and_size(draw: st.DrawFn) -> tuple[int, int]:
    size = draw(st.integers(1, BIG.size))
    return draw(st.integers(0, size - 1)), size


@settings(max_examples=300, deadline=None)
@given(index_and_size())
def test_inclusion_property(pair: tuple[int, int]) -> None:
    index, size = pair
    proof = BIG.inclusion_proof(index, size)
    verify_inclusion(BIG.leaf_hashes[index], index, size, proof, BIG.root(size))
    with pytest.raises(InvalidInclusion):
        verify_inclusion(flip(BIG.leaf_hashes[index]), index, size, proof, BIG.root(size))


@settings(max_examples=300, deadline=None)
@given(index_and_size())
def test_consistency_property(pair: tuple[int, int]) -> None:
    old, new = pair[0] + 1, pair[1]
    proof = BIG.consistency_proof(old, new)
    verify_consistency(old, new, BIG.root(old), BIG.root(new), proof)
    if old < new:
        with pytest.raises(InvalidConsistency):
            verify_consistency(old, new, flip(BIG.root(old)), BIG.root(new), proof)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(0, BIG.size), max_size=20))
def test_roots_at_sizes_property(sizes: list[int]) -> None:
    roots = roots_at_sizes(BIG.leaf_hashes, sizes)
    assert roots == {s: BIG.root(s) for s in sizes}


@settings(max_examples=40, deadline=None)
@given(st.lists(st.binary(max_size=8), min_size=1, max_size=120), st.data())
def test_against_reference_property(leaves: list[bytes], draw: st.DataObject) -> None:
    log = MerkleLog()
    for leaf in leaves:
        log.append(leaf)
    n = len(leaves)
    assert log.root() == ref_mth(leaves)
    index = draw.draw(st.integers(0, n - 1))
    assert log.inclusion_proof(index) == ref_path(index, leaves)
    old = draw.draw(st.integers(1, n))
    assert log.consistency_proof(old) == ref_proof(old, leaves)
