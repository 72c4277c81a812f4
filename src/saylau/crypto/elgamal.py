"""Exponential ElGamal over ristretto255.

Enc_K(m; r) = (α, β) = (r·G, m·G + r·K). Ciphertexts add component-wise, so the sum of
encryptions of m_i encrypts Σ m_i. Encrypting 0 gives β = r·K (no G added).
"""

from __future__ import annotations

from dataclasses import dataclass

from saylau.crypto import group
from saylau.crypto.group import IDENTITY, Element


@dataclass(frozen=True, slots=True)
class Ciphertext:
    alpha: Element
    beta: Element

    def __add__(self, other: Ciphertext) -> Ciphertext:
        return Ciphertext(group.add(self.alpha, other.alpha), group.add(self.beta, other.beta))

    def scale(self, k: int) -> Ciphertext:
        """The ciphertext of k·m (same randomness scaled)."""
        return Ciphertext(group.mul(k, self.alpha), group.mul(k, self.beta))


ZERO = Ciphertext(IDENTITY, IDENTITY)


def encode_plaintext(m: int) -> Element:
    """m·G."""
    return group.base_mul(m)


def encrypt(public_key: Element, m: int, r: int) -> Ciphertext:
    alpha = group.base_mul(r)
    beta = group.mul(r, public_key)
    if m:
        beta = group.add(beta, group.base_mul(m))
    return Ciphertext(alpha, beta)


def decrypt_to_element(secret_key: int, ct: Ciphertext) -> Element:
    """m·G from a ciphertext with the whole secret key (tests; trustees use shares)."""
    return group.sub(ct.beta, group.mul(secret_key, ct.alpha))


def negate(ct: Ciphertext) -> Ciphertext:
    """The ciphertext of −m (subtracting it removes a ballot from a sum)."""
    return Ciphertext(group.neg(ct.alpha), group.neg(ct.beta))


def sum_ciphertexts(cts: list[Ciphertext]) -> Ciphertext:
    alpha = group.sum_elements([c.alpha for c in cts])
    beta = group.sum_elements([c.beta for c in cts])
    return Ciphertext(alpha, beta)
