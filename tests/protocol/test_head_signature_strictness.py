"""The exact Ed25519 strictness of signed tree heads (docs/protocol.md §9.5): signatures that
a lax RFC 8032 verifier would accept are refused."""

from __future__ import annotations

import hashlib

import pytest

from saylau.crypto.errors import InvalidTreeHead
from saylau.protocol import board

ELL = 2**252 + 27742317777372353535851937790883648493
LOG_ID = hashlib.sha256(b"log").digest()
ROOT = hashlib.sha256(b"root").digest()


def test_an_honest_head_verifies() -> None:
    key = board.BoardKey.from_seed(bytes(range(32)))
    head = board.sign_tree_head(key, LOG_ID, 3, 1000, ROOT)
    board.verify_tree_head(head, key.public, LOG_ID)


def test_non_canonical_s_is_refused() -> None:
    key = board.BoardKey.from_seed(bytes(range(32)))
    head = board.sign_tree_head(key, LOG_ID, 3, 1000, ROOT)
    s = int.from_bytes(head.signature[32:], "little")
    lax = head.signature[:32] + (s + ELL).to_bytes(32, "little")  # [S+ℓ]B = [S]B
    forged = board.TreeHead(head.tree_size, head.timestamp, head.root_hash, lax)
    with pytest.raises(InvalidTreeHead):
        board.verify_tree_head(forged, key.public, LOG_ID)


def test_small_order_key_and_r_are_refused() -> None:
    # A = R = the neutral point, S = 0: [0]B − [k]A = R for every message, so a verifier
    # without the small-order checks accepts this "signature" on anything.
    neutral = (1).to_bytes(32, "little")
    forged = board.TreeHead(3, 1000, ROOT, neutral + bytes(32))
    with pytest.raises(InvalidTreeHead):
        board.verify_tree_head(forged, neutral, LOG_ID)
