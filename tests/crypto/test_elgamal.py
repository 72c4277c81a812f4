"""Exponential ElGamal: shape of a ciphertext, decryption, and the additive homomorphism."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from saylau.crypto import elgamal, group
from saylau.crypto.elgamal import ZERO, Ciphertext
from saylau.crypto.group import IDENTITY, L
from saylau.crypto.rand import DeterministicRng

_rng = DeterministicRng("tests/crypto/elgamal")
SECRET = _rng.scalar()
KEY = group.base_mul(SECRET)

plaintexts = st.integers(min_value=0, max_value=1000)
randomness = st.integers(min_value=0, max_value=L - 1)


def test_ciphertext_shape():
    r = 123456789
    ct = elgamal.encrypt(KEY, 5, r)
    assert ct.alpha == group.base_mul(r)
    assert ct.beta == group.add(group.base_mul(5), group.mul(r, KEY))


def test_encrypting_zero_adds_no_generator():
    r = 987654321
    assert elgamal.encrypt(KEY, 0, r) == Ciphertext(group.base_mul(r), group.mul(r, KEY))


def test_identity_edge_cases():
    # r = 0 (never used in practice) and m = 0 give the identity where expected
    assert elgamal.encrypt(KEY, 0, 0) == ZERO == Ciphertext(IDENTITY, IDENTITY)
    assert elgamal.encrypt(KEY, 3, 0) == Ciphertext(IDENTITY, group.base_mul(3))
    assert elgamal.encrypt(KEY, 3, L) == elgamal.encrypt(KEY, 3, 0)
    # an identity key is degenerate but must not crash libsodium
    assert elgamal.encrypt(IDENTITY, 2, 7) == Ciphertext(group.base_mul(7), group.base_mul(2))


def test_encode_plaintext():
    assert elgamal.encode_plaintext(0) == IDENTITY
    assert elgamal.encode_plaintext(1) == group.GENERATOR
    assert elgamal.encode_plaintext(4) == group.base_mul(4)


@given(plaintexts, randomness)
@settings(max_examples=50)
def test_decryption(m: int, r: int):
    ct = elgamal.encrypt(KEY, m, r)
    assert elgamal.decrypt_to_element(SECRET, ct) == group.base_mul(m)


@given(plaintexts, randomness)
@settings(max_examples=25)
def test_wrong_key_does_not_decrypt(m: int, r: int):
    ct = elgamal.encrypt(KEY, m, r)
    if r % L:
        assert elgamal.decrypt_to_element(SECRET + 1, ct) != group.base_mul(m)


@given(plaintexts, plaintexts, randomness, randomness)
@settings(max_examples=50)
def test_addition_is_homomorphic(m1: int, m2: int, r1: int, r2: int):
    c1, c2 = elgamal.encrypt(KEY, m1, r1), elgamal.encrypt(KEY, m2, r2)
    assert c1 + c2 == elgamal.encrypt(KEY, m1 + m2, r1 + r2)
    assert c1 + c2 == c2 + c1
    assert elgamal.decrypt_to_element(SECRET, c1 + c2) == group.base_mul(m1 + m2)


@given(st.lists(st.tuples(st.integers(0, 1), randomness), max_size=12))
@settings(max_examples=30)
def test_sum_of_ciphertexts_is_the_tally(votes: list[tuple[int, int]]):
    cts = [elgamal.encrypt(KEY, m, r) for m, r in votes]
    total = elgamal.sum_ciphertexts(cts)
    assert total == elgamal.encrypt(KEY, sum(m for m, _ in votes), sum(r for _, r in votes))
    acc = ZERO
    for ct in cts:
        acc = acc + ct
    assert acc == total


def test_empty_sum_and_zero_are_neutral():
    ct = elgamal.encrypt(KEY, 1, 42)
    assert elgamal.sum_ciphertexts([]) == ZERO
    assert ct + ZERO == ct == ZERO + ct


@given(plaintexts, randomness, st.integers(min_value=0, max_value=50))
@settings(max_examples=40)
def test_scale_is_homomorphic(m: int, r: int, k: int):
    ct = elgamal.encrypt(KEY, m, r)
    assert ct.scale(k) == elgamal.encrypt(KEY, k * m, k * r)


def test_scale_by_zero_and_by_minus_one():
    ct = elgamal.encrypt(KEY, 3, 99)
    assert ct.scale(0) == ZERO
    assert ct.scale(L - 1) + ct == ZERO
    assert ct.scale(-1) == ct.scale(L - 1)


def test_re_encryption_differs_but_decrypts_the_same():
    c1, c2 = elgamal.encrypt(KEY, 1, 11), elgamal.encrypt(KEY, 1, 12)
    assert c1 != c2
    assert elgamal.decrypt_to_element(SECRET, c1) == elgamal.decrypt_to_element(SECRET, c2)
