"""Phase 2 of the key ceremony: a dealer in QUAL publishes Feldman commitments to its
polynomial with a proof of knowledge of its secret; each recipient checks its share
against them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from saylau.crypto import group, proofs, signatures
from saylau.crypto.dkg_messages import (
    TAG_EXTRACTION,
    DealerSecret,
    Extraction,
    ReceivedShare,
    TransportSecret,
)
from saylau.crypto.dkg_transport import public_key
from saylau.crypto.errors import (
    DealerFault,
    InvalidDkg,
    InvalidProof,
    InvalidShare,
    InvalidSignature,
)
from saylau.crypto.group import Element
from saylau.crypto.hashing import Index, Item, Scalar, digest
from saylau.crypto.polynomial import commitment_at
from saylau.crypto.proofs import SchnorrProof
from saylau.crypto.rand import Rng


def _extraction_context(context: Sequence[Item], dealer: int) -> list[Item]:
    return [*context, TAG_EXTRACTION, Index(dealer)]


def _extraction_message(dealer: int, commitments: Sequence[Element], proof: SchnorrProof) -> bytes:
    items: list[Item] = [
        Index(dealer),
        Index(len(commitments)),
        *commitments,
        Scalar(proof.challenge),
        Scalar(proof.response),
    ]
    return digest(TAG_EXTRACTION, items)


def signed_extraction(
    transport: TransportSecret,
    commitments: tuple[Element, ...],
    proof: SchnorrProof,
    context: Sequence[Item],
    rng: Rng,
) -> Extraction:
    message = _extraction_message(transport.trustee, commitments, proof)
    sig = signatures.sign(transport.secret, transport.public, message, context, rng)
    return Extraction(transport.trustee, commitments, proof, sig)


def extract(
    transport: TransportSecret, secret: DealerSecret, context: Sequence[Item], rng: Rng
) -> Extraction:
    """Phase 2 for a dealer in QUAL: Feldman commitments and a proof of knowledge of a_i0."""
    if transport.trustee != secret.dealer:
        raise ValueError("the transport key and the dealer secret belong to different trustees")
    commitments = tuple(group.base_mul(a) for a in secret.coefficients)
    proof = proofs.prove_schnorr(
        secret.coefficients[0], commitments[0], _extraction_context(context, secret.dealer), rng
    )
    return signed_extraction(transport, commitments, proof, context, rng)


def check_extraction_signature(
    e: Extraction, keys: Mapping[int, Element], context: Sequence[Item]
) -> None:
    pk = public_key(keys, e.dealer, "dealer")
    try:
        signatures.verify(
            e.signature, pk, _extraction_message(e.dealer, e.commitments, e.proof), context
        )
    except InvalidSignature:
        raise InvalidDkg(f"dealer {e.dealer}: extraction signature does not verify") from None


def check_extraction_body(e: Extraction, t: int, context: Sequence[Item]) -> None:
    if len(e.commitments) != t:
        raise DealerFault(
            f"dealer {e.dealer}: extraction has {len(e.commitments)} Feldman commitments, t = {t}"
        )
    try:
        proofs.verify_schnorr(e.proof, e.commitments[0], _extraction_context(context, e.dealer))
    except InvalidProof:
        raise DealerFault(
            f"dealer {e.dealer}: proof of knowledge of a_{e.dealer},0 does not verify"
        ) from None


def check_extraction(
    e: Extraction, t: int, transport_keys: Mapping[int, Element], context: Sequence[Item]
) -> None:
    """Public checks: signature (`InvalidDkg`), length and proof (`DealerFault`)."""
    check_extraction_signature(e, transport_keys, context)
    check_extraction_body(e, t, context)


def check_feldman(share: ReceivedShare, e: Extraction) -> None:
    """Recipient's check s_ij·G = Σ_k j^k·A_ik; raises `InvalidShare` (then disclose)."""
    if share.dealer != e.dealer:
        raise ValueError("the share and the extraction come from different dealers")
    if group.base_mul(share.value) != commitment_at(e.commitments, share.recipient):
        raise InvalidShare(
            f"dealer {e.dealer}: trustee {share.recipient}'s share fails the Feldman check"
        )
