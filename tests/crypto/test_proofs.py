"""Sigma proofs: completeness, rejection of every tampering, and the Helios weak Fiat–Shamir
attack (Bernhard, Pereira, Warinschi 2012) that the strong transform must stop."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from saylau.crypto import elgamal, group
from saylau.crypto.elgamal import Ciphertext
from saylau.crypto.errors import InvalidProof
from saylau.crypto.group import GENERATOR, IDENTITY, Element, L
from saylau.crypto.hashing import Index, Item, hash_to_scalar
from saylau.crypto.proofs import (
    TAG_DISJUNCTIVE,
    ChaumPedersenProof,
    DisjunctiveProof,
    SchnorrProof,
    disjunctive_commitments,
    prove_chaum_pedersen,
    prove_disjunctive,
    prove_schnorr,
    verify_chaum_pedersen,
    verify_disjunctive,
    verify_schnorr,
)
from saylau.crypto.rand import DeterministicRng

rng = DeterministicRng("tests/crypto/proofs")
SECRET = rng.scalar()
KEY = group.base_mul(SECRET)  # the election key; tests know its secret to decrypt
FINGERPRINT = b"\x11" * 32
CREDENTIAL = group.base_mul(rng.scalar())


def ballot_context(option: int = 0, credential: Element = CREDENTIAL) -> list[Item]:
    return [FINGERPRINT, credential, "contest-1", Index(option)]


# --- Schnorr --------------------------------------------------------------------------------


@pytest.fixture
def schnorr() -> tuple[int, Element, list[Item], SchnorrProof]:
    x = rng.scalar()
    public = group.base_mul(x)
    ctx: list[Item] = [FINGERPRINT, "trustee", Index(1)]
    return x, public, ctx, prove_schnorr(x, public, ctx, rng)


def test_schnorr_verifies(schnorr):
    _, public, ctx, proof = schnorr
    verify_schnorr(proof, public, ctx)


def test_schnorr_of_the_zero_key():
    proof = prove_schnorr(0, IDENTITY, [], rng)
    verify_schnorr(proof, IDENTITY, [])
    with pytest.raises(InvalidProof):
        verify_schnorr(proof, GENERATOR, [])


@pytest.mark.parametrize(
    "tamper",
    [
        lambda p, pub, ctx: (replace(p, challenge=(p.challenge + 1) % L), pub, ctx),
        lambda p, pub, ctx: (replace(p, response=(p.response + 1) % L), pub, ctx),
        lambda p, pub, ctx: (SchnorrProof(p.response, p.challenge), pub, ctx),
        lambda p, pub, ctx: (p, group.add(pub, GENERATOR), ctx),
        lambda p, pub, ctx: (p, group.neg(pub), ctx),
        lambda p, pub, ctx: (p, pub, [*ctx, "extra"]),
        lambda p, pub, ctx: (p, pub, ctx[:-1]),
        lambda p, pub, ctx: (p, pub, [*ctx[:-1], Index(2)]),
        lambda p, pub, ctx: (p, pub, ctx[::-1]),
        lambda p, pub, ctx: (p, pub, []),
    ],
    ids=[
        "challenge+1",
        "response+1",
        "swapped",
        "other key",
        "negated key",
        "context appended",
        "context truncated",
        "other trustee index",
        "context reversed",
        "no context",
    ],
)
def test_schnorr_tampering_is_rejected(schnorr, tamper: Callable):
    _, public, ctx, proof = schnorr
    with pytest.raises(InvalidProof):
        verify_schnorr(*tamper(proof, public, ctx))


def test_schnorr_proof_copied_to_another_key_is_rejected(schnorr):
    _, _, ctx, proof = schnorr
    y = rng.scalar()
    with pytest.raises(InvalidProof):
        verify_schnorr(proof, group.base_mul(y), ctx)


# --- Chaum–Pedersen -------------------------------------------------------------------------


@pytest.fixture
def share() -> tuple[Element, Element, Element, list[Item], ChaumPedersenProof]:
    """A decryption share d = x·α of a tally ciphertext, with its proof."""
    x = rng.scalar()
    public = group.base_mul(x)
    alpha = group.base_mul(rng.scalar())
    d = group.mul(x, alpha)
    ctx: list[Item] = [FINGERPRINT, "decryption-share", Index(3)]
    return public, alpha, d, ctx, prove_chaum_pedersen(x, public, alpha, d, ctx, rng)


def test_chaum_pedersen_verifies(share):
    verify_chaum_pedersen(share[4], *share[:4])


def test_chaum_pedersen_with_identity_base():
    x = rng.scalar()
    public = group.base_mul(x)
    proof = prove_chaum_pedersen(x, public, IDENTITY, IDENTITY, [], rng)
    verify_chaum_pedersen(proof, public, IDENTITY, IDENTITY, [])
    with pytest.raises(InvalidProof):
        verify_chaum_pedersen(proof, public, IDENTITY, GENERATOR, [])


@pytest.mark.parametrize(
    "tamper",
    [
        lambda p, x, b, d, ctx: (replace(p, challenge=(p.challenge + 1) % L), x, b, d, ctx),
        lambda p, x, b, d, ctx: (replace(p, response=(p.response + 1) % L), x, b, d, ctx),
        lambda p, x, b, d, ctx: (p, x, b, group.add(d, GENERATOR), ctx),
        lambda p, x, b, d, ctx: (p, x, group.add(b, GENERATOR), d, ctx),
        lambda p, x, b, d, ctx: (p, group.add(x, GENERATOR), b, d, ctx),
        lambda p, x, b, d, ctx: (p, d, b, x, ctx),
        lambda p, x, b, d, ctx: (p, x, d, b, ctx),
        lambda p, x, b, d, ctx: (p, x, b, d, [*ctx[:-1], Index(4)]),
        lambda p, x, b, d, ctx: (p, x, b, d, []),
    ],
    ids=[
        "challenge+1",
        "response+1",
        "wrong share",
        "other ciphertext",
        "other trustee key",
        "x and d swapped",
        "base and d swapped",
        "other trustee index",
        "no context",
    ],
)
def test_chaum_pedersen_tampering_is_rejected(share, tamper: Callable):
    public, alpha, d, ctx, proof = share
    with pytest.raises(InvalidProof):
        verify_chaum_pedersen(*tamper(proof, public, alpha, d, ctx))


def test_chaum_pedersen_for_a_false_statement_is_rejected():
    """A share computed with the wrong key cannot be proven with the right one."""
    x = rng.scalar()
    public = group.base_mul(x)
    alpha = group.base_mul(rng.scalar())
    wrong = group.mul(x + 1, alpha)
    proof = prove_chaum_pedersen(x, public, alpha, wrong, [], rng)
    with pytest.raises(InvalidProof):
        verify_chaum_pedersen(proof, public, alpha, wrong, [])


# --- disjunctive ----------------------------------------------------------------------------


def make_ballot(m: int, values: list[int], ctx: list[Item] | None = None):
    r = rng.scalar()
    ct = elgamal.encrypt(KEY, m, r)
    ctx = ballot_context() if ctx is None else ctx
    return ct, values, ctx, prove_disjunctive(KEY, ct, r, m, values, ctx, rng)


@pytest.mark.parametrize("m", [0, 1])
def test_zero_one_proof_verifies(m: int):
    ct, values, ctx, proof = make_ballot(m, [0, 1])
    verify_disjunctive(proof, KEY, ct, values, ctx)


@pytest.mark.parametrize("m", [0, 1, 2, 3])
def test_range_proof_verifies(m: int):
    ct, values, ctx, proof = make_ballot(m, [0, 1, 2, 3])
    verify_disjunctive(proof, KEY, ct, values, ctx)
    assert len(proof.challenges) == len(proof.responses) == 4


def test_values_not_starting_at_zero():
    ct, values, ctx, proof = make_ballot(2, [1, 2])
    verify_disjunctive(proof, KEY, ct, values, ctx)


def test_single_value_is_a_plain_chaum_pedersen():
    ct, values, ctx, proof = make_ballot(1, [1])
    verify_disjunctive(proof, KEY, ct, values, ctx)


@given(st.integers(0, 3), st.integers(1, L - 1))
@settings(max_examples=10, deadline=None)
def test_range_proof_verifies_for_any_randomness(m: int, r: int):
    ct = elgamal.encrypt(KEY, m, r)
    proof = prove_disjunctive(KEY, ct, r, m, [0, 1, 2, 3], [], rng)
    verify_disjunctive(proof, KEY, ct, [0, 1, 2, 3], [])


def test_prover_refuses_a_value_outside_the_list():
    ct = elgamal.encrypt(KEY, 2, 5)
    with pytest.raises(ValueError):
        prove_disjunctive(KEY, ct, 5, 2, [0, 1], [], rng)


def test_honest_prover_cannot_prove_a_false_statement():
    """Claiming m = 1 for an encryption of 2 (the prover lies about m) does not verify."""
    r = rng.scalar()
    ct = elgamal.encrypt(KEY, 2, r)
    proof = prove_disjunctive(KEY, ct, r, 1, [0, 1], [], rng)
    with pytest.raises(InvalidProof):
        verify_disjunctive(proof, KEY, ct, [0, 1], [])


def _swap(p: DisjunctiveProof) -> DisjunctiveProof:
    return DisjunctiveProof(p.challenges[::-1], p.responses[::-1])


def _shift_challenge(p: DisjunctiveProof) -> DisjunctiveProof:
    c = list(p.challenges)
    c[0], c[1] = (c[0] + 1) % L, (c[1] - 1) % L  # the sum is unchanged
    return DisjunctiveProof(tuple(c), p.responses)


def _bump(seq: tuple[int, ...], i: int) -> tuple[int, ...]:
    return tuple((v + 1) % L if j == i else v for j, v in enumerate(seq))


def _on_ct(f: Callable[[Ciphertext], Ciphertext]) -> Callable:
    return lambda p, ct, vs, ctx: (p, f(ct), vs, ctx)


def _on_proof(f: Callable[[DisjunctiveProof], DisjunctiveProof]) -> Callable:
    return lambda p, ct, vs, ctx: (f(p), ct, vs, ctx)


def _on_values(new: list[int]) -> Callable:
    return lambda p, ct, vs, ctx: (p, ct, new, ctx)


def _on_ctx(f: Callable[[list[Item]], list[Item]]) -> Callable:
    return lambda p, ct, vs, ctx: (p, ct, vs, f(ctx))


DISJ_TAMPERINGS: dict[str, Callable] = {
    "beta + G": _on_ct(lambda ct: Ciphertext(ct.alpha, group.add(ct.beta, GENERATOR))),
    "beta - G": _on_ct(lambda ct: Ciphertext(ct.alpha, group.sub(ct.beta, GENERATOR))),
    "alpha + G": _on_ct(lambda ct: Ciphertext(group.add(ct.alpha, GENERATOR), ct.beta)),
    "alpha, beta swapped": _on_ct(lambda ct: Ciphertext(ct.beta, ct.alpha)),
    "ciphertext doubled": _on_ct(lambda ct: ct + ct),
    "branches swapped": _on_proof(_swap),
    "challenges swapped only": _on_proof(lambda p: replace(p, challenges=p.challenges[::-1])),
    "challenge moved between branches": _on_proof(_shift_challenge),
    "challenge 0 + 1": _on_proof(lambda p: replace(p, challenges=_bump(p.challenges, 0))),
    "challenge 1 + 1": _on_proof(lambda p: replace(p, challenges=_bump(p.challenges, 1))),
    "response 0 + 1": _on_proof(lambda p: replace(p, responses=_bump(p.responses, 0))),
    "response 1 + 1": _on_proof(lambda p: replace(p, responses=_bump(p.responses, 1))),
    "branch dropped": _on_proof(lambda p: DisjunctiveProof(p.challenges[:1], p.responses[:1])),
    "response dropped": _on_proof(lambda p: replace(p, responses=p.responses[:1])),
    "branch added": _on_proof(lambda p: DisjunctiveProof((*p.challenges, 0), (*p.responses, 0))),
    "values [1, 2]": _on_values([1, 2]),
    "values [1, 0]": _on_values([1, 0]),
    "values [0, 1, 2]": _on_values([0, 1, 2]),
    "other voter credential": _on_ctx(lambda ctx: ballot_context(0, GENERATOR)),
    "other option": _on_ctx(lambda ctx: ballot_context(1)),
    "other contest": _on_ctx(lambda ctx: [*ctx[:2], "contest-2", ctx[3]]),
    "other election": _on_ctx(lambda ctx: [b"\x22" * 32, *ctx[1:]]),
    "context appended": _on_ctx(lambda ctx: [*ctx, ""]),
    "no context": _on_ctx(lambda ctx: []),
}


@pytest.mark.parametrize("m", [0, 1])
@pytest.mark.parametrize("name", list(DISJ_TAMPERINGS))
def test_disjunctive_tampering_is_rejected(name: str, m: int):
    ct, values, ctx, proof = make_ballot(m, [0, 1])
    verify_disjunctive(proof, KEY, ct, values, ctx)
    with pytest.raises(InvalidProof):
        p, c, vs, cx = DISJ_TAMPERINGS[name](proof, ct, values, ctx)
        verify_disjunctive(p, KEY, c, vs, cx)


def test_disjunctive_against_another_key_is_rejected():
    ct, values, ctx, proof = make_ballot(1, [0, 1])
    with pytest.raises(InvalidProof):
        verify_disjunctive(proof, group.base_mul(rng.scalar()), ct, values, ctx)


def test_proof_copied_to_another_ciphertext_is_rejected():
    """Copying a ballot's proof onto another ciphertext (same voter, same option) fails,
    whatever the two plaintexts are."""
    for m_from, m_to in [(0, 0), (0, 1), (1, 0), (1, 1)]:
        _, values, ctx, proof = make_ballot(m_from, [0, 1])
        other, _, _, _ = make_ballot(m_to, [0, 1])
        with pytest.raises(InvalidProof):
            verify_disjunctive(proof, KEY, other, values, ctx)


def test_ballot_copied_by_another_voter_is_rejected():
    """Replaying someone else's (ciphertext, proof) under one's own credential fails: the
    credential is in the hash (the ballot-copying attack on Helios)."""
    ct, values, _ctx, proof = make_ballot(1, [0, 1])
    mine = group.base_mul(rng.scalar())
    with pytest.raises(InvalidProof):
        verify_disjunctive(proof, KEY, ct, values, ballot_context(0, mine))


@pytest.mark.parametrize("m", [0, 1, 2, 3])
def test_range_proof_tampering_is_rejected(m: int):
    ct, values, ctx, proof = make_ballot(m, [0, 1, 2, 3])
    bad = [
        (_swap(proof), ct, values, ctx),
        (_shift_challenge(proof), ct, values, ctx),
        (replace(proof, responses=_bump(proof.responses, 3)), ct, values, ctx),
        (proof, Ciphertext(ct.alpha, group.add(ct.beta, GENERATOR)), values, ctx),
        (proof, ct, [0, 1, 2], ctx),
        (proof, ct, [0, 1, 2, 4], ctx),
        (proof, ct, [1, 2, 3, 4], ctx),
        (proof, ct, values, [*ctx, Index(0)]),
    ]
    for p, c, vs, cx in bad:
        with pytest.raises(InvalidProof):
            verify_disjunctive(p, KEY, c, vs, cx)


def test_range_proof_does_not_cover_a_value_outside_the_range():
    """An encryption of 4 cannot carry a 0..3 proof, even by splicing honest branches."""
    r = rng.scalar()
    ct = elgamal.encrypt(KEY, 4, r)
    for claimed in range(4):
        proof = prove_disjunctive(KEY, ct, r, claimed, [0, 1, 2, 3], [], rng)
        with pytest.raises(InvalidProof):
            verify_disjunctive(proof, KEY, ct, [0, 1, 2, 3], [])


# --- the Helios attack ----------------------------------------------------------------------


def weak_challenge(commitments: list[tuple[Element, Element]]) -> int:
    """Helios' weak Fiat–Shamir: the challenge hashes the commitments and nothing else."""
    return hash_to_scalar(TAG_DISJUNCTIVE, [e for pair in commitments for e in pair])


def verify_weak(proof: DisjunctiveProof, key: Element, ct: Ciphertext, values: list[int]) -> None:
    """A verifier with the weak transform (what Helios did before 2012)."""
    commitments = disjunctive_commitments(proof, key, ct, values)
    if sum(proof.challenges) % L != weak_challenge(commitments):
        raise InvalidProof("weak verification failed")


def forge_for_two() -> tuple[Element, Ciphertext, DisjunctiveProof, int]:
    """Forge a 0/1 proof for an encryption of 2, choosing the statement after the challenge.

    Commit first to a_j = s_j·G, b_j = u_j·G. Get c = H(a0, b0, a1, b1). Only now fix the key
    K = κ·G and the ciphertext (ρ·G, 2·G + ρ·K). The verifier recomputes
      a_j = v_j·G − c_j·α,   b_j = v_j·K − c_j·(β − j·G),
    so with v_j = s_j + c_j·ρ we need u_j = s_j·κ − c_j·(2 − j), i.e.
      c0 = (s0·κ − u0)/2,   c1 = s1·κ − u1,
    and c0 + c1 = c fixes κ = (c + u0/2 + u1)/(s0/2 + s1). (Bernhard–Pereira–Warinschi 2012:
    a statement that is not hashed can be chosen after the challenge; here the key too, as a
    corrupt trustee whose own key proof was also weak could.)
    """
    r = DeterministicRng("tests/crypto/proofs/helios")
    s0, s1, u0, u1, rho = (r.scalar() for _ in range(5))
    commitments = [
        (group.base_mul(s0), group.base_mul(u0)),
        (group.base_mul(s1), group.base_mul(u1)),
    ]
    c = weak_challenge(commitments)
    half = group.inv(2)
    kappa = (c + u0 * half + u1) * group.inv(s0 * half + s1) % L
    key = group.base_mul(kappa)
    c0, c1 = (s0 * kappa - u0) * half % L, (s1 * kappa - u1) % L
    assert (c0 + c1) % L == c
    ct = elgamal.encrypt(key, 2, rho)
    proof = DisjunctiveProof((c0, c1), ((s0 + c0 * rho) % L, (s1 + c1 * rho) % L))
    return key, ct, proof, kappa


def forge_with_the_election_key() -> tuple[Ciphertext, DisjunctiveProof]:
    """With the honest election key K fixed, the ciphertext alone chosen after the challenge:
    a0 = s0·G, b0 = t0·K, a1 = s1·G, b1 = s1·K; c = H(commitments); c0 = c, c1 = 0;
    d = (s0 − t0)/c; ciphertext (ρ·G, (ρ + d)·K). It encrypts d·x: not 0, not 1, and unknown
    to the forger, which is enough to make the tally undecryptable or wrong."""
    r = DeterministicRng("tests/crypto/proofs/helios-fixed-key")
    s0, t0, s1, rho = (r.scalar() for _ in range(4))
    c = weak_challenge(
        [(group.base_mul(s0), group.mul(t0, KEY)), (group.base_mul(s1), group.mul(s1, KEY))]
    )
    d = (s0 - t0) * group.inv(c) % L
    ct = Ciphertext(group.base_mul(rho), group.mul(rho + d, KEY))
    proof = DisjunctiveProof((c, 0), ((s0 + c * rho) % L, s1))
    return ct, proof


def test_helios_forgery_for_an_encryption_of_two():
    key, ct, proof, kappa = forge_for_two()
    # the ciphertext really encrypts 2 under the key ...
    assert elgamal.decrypt_to_element(kappa, ct) == group.base_mul(2)
    # ... the forgery passes the commitments-only verifier ...
    verify_weak(proof, key, ct, [0, 1])
    # ... and the strong transform rejects it, with or without a context
    for ctx in ([], ballot_context()):
        with pytest.raises(InvalidProof):
            verify_disjunctive(proof, key, ct, [0, 1], ctx)


def test_helios_forgery_with_the_election_key():
    ct, proof = forge_with_the_election_key()
    m_element = elgamal.decrypt_to_element(SECRET, ct)
    assert m_element not in (IDENTITY, GENERATOR)  # neither 0 nor 1
    verify_weak(proof, KEY, ct, [0, 1])
    for ctx in ([], ballot_context()):
        with pytest.raises(InvalidProof):
            verify_disjunctive(proof, KEY, ct, [0, 1], ctx)


def test_honest_proofs_fail_the_weak_verifier():
    """Sanity check of the weak verifier: it is a different hash, not a looser one."""
    ct, values, _ctx, proof = make_ballot(1, [0, 1])
    with pytest.raises(InvalidProof):
        verify_weak(proof, KEY, ct, values)


# --- scalars outside [0, L) -----------------------------------------------------------------


def test_unreduced_scalars_are_rejected():
    x = rng.scalar()
    public = group.base_mul(x)
    proof = prove_schnorr(x, public, [], rng)
    with pytest.raises(InvalidProof):
        verify_schnorr(replace(proof, response=proof.response + L), public, [])
