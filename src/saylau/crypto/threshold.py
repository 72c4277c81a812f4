"""Threshold decryption: decryption shares with Chaum–Pedersen proofs, and recombination.

Trustee j holds x_j (from dkg.py) with verification key X_j = x_j·G. For a ciphertext
(α, β) it publishes D_j = x_j·α and a Chaum–Pedersen proof that log_G X_j = log_α D_j, under
the context [*context, TAG_DECRYPTION_SHARE, Index(j)] (the caller's context holds the
election fingerprint and the contest/option ids). Any set S of at least t trustees gives
x·α = Σ_{j∈S} λ_j·D_j with the Lagrange coefficients at zero λ_j = Π_{m∈S, m≠j} m/(m − j),
and β − x·α = m·G.

Cost: a share costs 3 scalar multiplications (4 without `verification_key`), verifying one
costs 4, and combining costs one per share (none when λ_j = 1).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from saylau.crypto import group, proofs
from saylau.crypto.elgamal import Ciphertext
from saylau.crypto.errors import InsufficientShares, InvalidProof, InvalidShare
from saylau.crypto.group import IDENTITY, Element, L
from saylau.crypto.hashing import Index, Item
from saylau.crypto.proofs import ChaumPedersenProof
from saylau.crypto.rand import Rng

TAG_DECRYPTION_SHARE = "saylau-v1/tally/decryption-share"


@dataclass(frozen=True, slots=True)
class DecryptionShare:
    trustee: int
    share: Element  # D_j = x_j·α
    proof: ChaumPedersenProof


def _proof_context(context: Sequence[Item], trustee: int) -> list[Item]:
    return [*context, TAG_DECRYPTION_SHARE, Index(trustee)]


def decryption_share(
    trustee: int,
    secret: int,
    alpha: Element,
    context: Sequence[Item],
    rng: Rng,
    *,
    verification_key: Element | None = None,
) -> DecryptionShare:
    """D_j = x_j·α with its proof. Pass X_j as `verification_key` to save computing x_j·G."""
    x_pub = group.base_mul(secret) if verification_key is None else verification_key
    d = group.mul(secret, alpha)
    proof = proofs.prove_chaum_pedersen(
        secret, x_pub, alpha, d, _proof_context(context, trustee), rng
    )
    return DecryptionShare(trustee, d, proof)


def verify_decryption_share(
    share: DecryptionShare, verification_key: Element, alpha: Element, context: Sequence[Item]
) -> None:
    """Check log_G X_j = log_α D_j; raise `InvalidShare` (caused by `InvalidProof`)."""
    try:
        proofs.verify_chaum_pedersen(
            share.proof,
            verification_key,
            alpha,
            share.share,
            _proof_context(context, share.trustee),
        )
    except InvalidProof as e:
        raise InvalidShare(
            f"trustee {share.trustee}: decryption share proof does not verify against X_j "
            "and this ciphertext"
        ) from e


def lagrange_at_zero(j: int, indices: Sequence[int]) -> int:
    """λ_j = Π_{m∈S, m≠j} m/(m − j) mod L, for S = `indices` (distinct, positive)."""
    if len(set(indices)) != len(indices) or min(indices, default=0) < 1:
        raise ValueError("trustee indices must be distinct and positive")
    if j not in indices:
        raise ValueError(f"trustee {j} is not among the indices")
    numerator, denominator = 1, 1
    for m in indices:
        if m != j:
            numerator = numerator * m % L
            denominator = denominator * (m - j) % L
    return numerator * group.inv(denominator) % L


def combine(shares: Mapping[int, Element], t: int) -> Element:
    """x·α = Σ_j λ_j·D_j over exactly the given trustees (at least t of them, verified)."""
    if len(shares) < t:
        raise InsufficientShares(f"{len(shares)} decryption shares given, t = {t} needed")
    indices = sorted(shares)
    acc = IDENTITY
    for j in indices:
        lam = lagrange_at_zero(j, indices)
        acc = group.add(acc, shares[j] if lam == 1 else group.mul(lam, shares[j]))
    return acc


def decrypt_with_shares(ct: Ciphertext, combined: Element) -> Element:
    """m·G = β − x·α."""
    return group.sub(ct.beta, combined)
