"""The key ceremony's transport keys: each trustee's key for receiving its shares and
signing its messages, with a proof of knowledge bound to the ceremony and the trustee."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from saylau.crypto import group, proofs
from saylau.crypto.dkg_messages import TAG_TRANSPORT_KEY, TransportKey, TransportSecret
from saylau.crypto.errors import InvalidDkg, InvalidProof
from saylau.crypto.group import Element
from saylau.crypto.hashing import Index, Item
from saylau.crypto.rand import Rng


def _transport_context(context: Sequence[Item], trustee: int) -> list[Item]:
    return [*context, TAG_TRANSPORT_KEY, Index(trustee)]


def make_transport_key(
    trustee: int, context: Sequence[Item], rng: Rng
) -> tuple[TransportSecret, TransportKey]:
    sk = rng.scalar()
    pk = group.base_mul(sk)
    proof = proofs.prove_schnorr(sk, pk, _transport_context(context, trustee), rng)
    return TransportSecret(trustee, sk, pk), TransportKey(trustee, pk, proof)


def check_transport_keys(
    keys: Sequence[TransportKey], n: int, context: Sequence[Item]
) -> dict[int, Element]:
    """Check the keys of trustees 1..n (in order) and their proofs; return {j: PK_j}."""
    if len(keys) != n or [k.trustee for k in keys] != list(range(1, n + 1)):
        raise InvalidDkg(f"transport keys: expected one for each trustee 1..{n}, in order")
    for key in keys:
        check_transport_key(key, context)
    return {k.trustee: k.public for k in keys}


def check_transport_key(key: TransportKey, context: Sequence[Item]) -> None:
    """One trustee's proof of knowledge of its transport key (a relay checks each on arrival)."""
    try:
        proofs.verify_schnorr(key.proof, key.public, _transport_context(context, key.trustee))
    except InvalidProof:
        raise InvalidDkg(
            f"trustee {key.trustee}: transport key proof of knowledge does not verify"
        ) from None


def public_key(keys: Mapping[int, Element], trustee: int, role: str) -> Element:
    key = keys.get(trustee)
    if key is None:
        raise InvalidDkg(f"{role} {trustee}: not a trustee of this ceremony")
    return key
