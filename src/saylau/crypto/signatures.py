"""Schnorr signatures over ristretto255, used by voters' credentials to sign ballots.

sign: w random, a = w·G, c = H(tag, context, G, X, message, a), s = w + c·x; the signature
is (c, s). verify: a' = s·G − c·X and check c = H(tag, context, G, X, message, a').
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from saylau.crypto import group
from saylau.crypto.errors import InvalidSignature
from saylau.crypto.group import GENERATOR, IDENTITY, Element, L
from saylau.crypto.hashing import Item, hash_to_scalar
from saylau.crypto.rand import Rng

TAG_SIGNATURE = "saylau-v1/signature"


@dataclass(frozen=True, slots=True)
class Signature:
    challenge: int
    response: int


def _challenge(context: Sequence[Item], public: Element, message: bytes, a: Element) -> int:
    return hash_to_scalar(TAG_SIGNATURE, [*context, GENERATOR, public, message, a])


def sign(
    secret: int, public: Element, message: bytes, context: Sequence[Item], rng: Rng
) -> Signature:
    w = rng.scalar()
    a = group.base_mul(w)
    c = _challenge(context, public, message, a)
    return Signature(c, (w + c * secret) % L)


def verify(sig: Signature, public: Element, message: bytes, context: Sequence[Item]) -> None:
    if public == IDENTITY:
        raise InvalidSignature("the identity element is not a valid public key")
    if not all(isinstance(v, int) and 0 <= v < L for v in (sig.challenge, sig.response)):
        raise InvalidSignature("a signature scalar is not in [0, L)")
    a = group.sub(group.base_mul(sig.response), group.mul(sig.challenge, public))
    if _challenge(context, public, message, a) != sig.challenge:
        raise InvalidSignature("credential signature does not verify")
