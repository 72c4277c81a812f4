"""Threshold decryption: shares, proofs, Lagrange recombination, and tampering."""

from __future__ import annotations

import dataclasses
import functools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from saylau.crypto import dkg, elgamal, group
from saylau.crypto.elgamal import ZERO, Ciphertext
from saylau.crypto.errors import InsufficientShares, InvalidProof, InvalidShare
from saylau.crypto.group import GENERATOR, IDENTITY, Element, L
from saylau.crypto.hashing import Index, Item
from saylau.crypto.rand import DeterministicRng
from saylau.crypto.threshold import (
    DecryptionShare,
    combine,
    decrypt_with_shares,
    decryption_share,
    lagrange_at_zero,
    verify_decryption_share,
)

N, T = 5, 3
SHARE_CTX: list[Item] = [b"fingerprint", "district-1", "contest-1", Index(0)]


@functools.cache
def keys(n: int = N, t: int = T) -> tuple[dkg.DkgResult, dict[int, int]]:
    context: list[Item] = ["saylau-v1/dkg", "election-1", Index(n), Index(t)]
    tr, shares = dkg.run_ceremony(n, t, context, DeterministicRng(f"threshold {n} {t}"))
    return dkg.verify_transcript(tr, context), shares


def encrypt(m: int, r: int) -> Ciphertext:
    return elgamal.encrypt(keys()[0].joint_public_key, m, r)


def shares_for(
    ct: Ciphertext, trustees: list[int], context: list[Item] = SHARE_CTX, seed: str = "shares"
) -> dict[int, DecryptionShare]:
    result, secrets = keys()
    rng = DeterministicRng(seed)
    return {
        j: decryption_share(
            j, secrets[j], ct.alpha, context, rng, verification_key=result.verification_keys[j]
        )
        for j in trustees
    }


def test_lagrange_at_zero_known_values() -> None:
    # Indices {1, 2}: f(0) = 2·f(1) − f(2).
    assert lagrange_at_zero(1, [1, 2]) == 2
    assert lagrange_at_zero(2, [1, 2]) == L - 1
    assert lagrange_at_zero(4, [4]) == 1
    for indices in ([1, 2, 3], [2, 5, 7, 9]):
        assert sum(lagrange_at_zero(j, indices) for j in indices) % L == 1  # constant f


@pytest.mark.parametrize(("j", "indices"), [(3, [1, 2]), (1, [1, 1, 2]), (1, [0, 1])])
def test_lagrange_at_zero_rejects_bad_indices(j: int, indices: list[int]) -> None:
    with pytest.raises(ValueError):
        lagrange_at_zero(j, indices)


@settings(max_examples=30, deadline=None)
@given(
    present=st.sets(st.integers(1, N), min_size=T),
    m=st.integers(0, 10_000),
    r=st.integers(1, L - 1),
)
def test_any_t_or_more_trustees_decrypt(present: set[int], m: int, r: int) -> None:
    result, _ = keys()
    ct = encrypt(m, r)
    shares = shares_for(ct, sorted(present))
    for s in shares.values():
        verify_decryption_share(s, result.verification_keys[s.trustee], ct.alpha, SHARE_CTX)
    combined = combine({j: s.share for j, s in shares.items()}, T)
    assert decrypt_with_shares(ct, combined) == group.base_mul(m)


@settings(max_examples=30, deadline=None)
@given(
    present=st.sets(st.integers(1, N), min_size=1, max_size=T - 1),
    m=st.integers(0, 10_000),
    r=st.integers(1, L - 1),
)
def test_fewer_than_t_trustees_cannot_decrypt(present: set[int], m: int, r: int) -> None:
    ct = encrypt(m, r)
    shares = {j: s.share for j, s in shares_for(ct, sorted(present)).items()}
    with pytest.raises(InsufficientShares, match=f"{len(present)} decryption shares given"):
        combine(shares, T)
    # Interpolating anyway, over too few points, does not give m·G.
    indices = sorted(shares)
    wrong = group.sum_elements(
        [group.mul(lagrange_at_zero(j, indices), shares[j]) for j in indices]
    )
    assert decrypt_with_shares(ct, wrong) != group.base_mul(m)


def test_single_trustee_and_t_equal_one() -> None:
    for n, t in ((1, 1), (3, 1)):
        result, secrets = keys(n, t)
        ct = elgamal.encrypt(result.joint_public_key, 7, 99)
        for j in range(1, n + 1):
            s = decryption_share(j, secrets[j], ct.alpha, SHARE_CTX, DeterministicRng("t1"))
            verify_decryption_share(s, result.verification_keys[j], ct.alpha, SHARE_CTX)
            assert decrypt_with_shares(ct, combine({j: s.share}, t)) == group.base_mul(7)


def test_share_of_the_zero_ciphertext() -> None:
    """An empty district sums to (identity, identity); it must decrypt to 0."""
    result, _ = keys()
    shares = shares_for(ZERO, [1, 2, 3])
    for s in shares.values():
        assert s.share == IDENTITY
        verify_decryption_share(s, result.verification_keys[s.trustee], ZERO.alpha, SHARE_CTX)
    assert (
        decrypt_with_shares(ZERO, combine({j: s.share for j, s in shares.items()}, T)) == IDENTITY
    )


def test_verification_key_is_optional() -> None:
    result, secrets = keys()
    ct = encrypt(3, 1234)
    s = decryption_share(2, secrets[2], ct.alpha, SHARE_CTX, DeterministicRng("x"))
    verify_decryption_share(s, result.verification_keys[2], ct.alpha, SHARE_CTX)


# --- Tampering ---------------------------------------------------------------------------


def rejected(
    share: DecryptionShare, key: Element, alpha: Element, context: list[Item] = SHARE_CTX
) -> None:
    with pytest.raises(InvalidShare, match=f"trustee {share.trustee}: decryption share") as e:
        verify_decryption_share(share, key, alpha, context)
    assert isinstance(e.value.__cause__, InvalidProof)


def test_wrong_decryption_share_is_rejected() -> None:
    result, _ = keys()
    ct = encrypt(5, 555)
    s = shares_for(ct, [1])[1]
    x1 = result.verification_keys[1]
    rejected(dataclasses.replace(s, share=group.add(s.share, GENERATOR)), x1, ct.alpha)
    rejected(dataclasses.replace(s, share=IDENTITY), x1, ct.alpha)
    rejected(
        dataclasses.replace(
            s, proof=dataclasses.replace(s.proof, response=(s.proof.response + 1) % L)
        ),
        x1,
        ct.alpha,
    )
    # A share checked against another trustee's key, or relabelled as another trustee's.
    rejected(s, result.verification_keys[2], ct.alpha)
    moved = dataclasses.replace(s, trustee=2)
    rejected(moved, result.verification_keys[2], ct.alpha)


def test_share_and_proof_copied_to_another_ciphertext_is_rejected() -> None:
    result, secrets = keys()
    ct1, ct2 = encrypt(1, 1111), encrypt(1, 2222)
    s = shares_for(ct1, [3])[3]
    rejected(s, result.verification_keys[3], ct2.alpha)
    # Even with the right share value for ct2, the proof made for ct1 does not carry over.
    right_value = group.mul(secrets[3], ct2.alpha)
    rejected(dataclasses.replace(s, share=right_value), result.verification_keys[3], ct2.alpha)


def test_proof_made_with_a_different_context_is_rejected() -> None:
    result, _ = keys()
    ct = encrypt(2, 4321)
    other: list[Item] = [b"fingerprint", "district-1", "contest-1", Index(1)]
    s = shares_for(ct, [4], context=other)[4]
    rejected(s, result.verification_keys[4], ct.alpha, SHARE_CTX)
    verify_decryption_share(s, result.verification_keys[4], ct.alpha, other)


def test_wrong_share_gives_wrong_plaintext() -> None:
    """Why shares must be verified before combining: one bad share corrupts the result."""
    ct = encrypt(9, 999)
    shares = {j: s.share for j, s in shares_for(ct, [1, 2, 3]).items()}
    shares[2] = group.add(shares[2], GENERATOR)
    assert decrypt_with_shares(ct, combine(shares, T)) != group.base_mul(9)
