"""The key ceremony's messages, secrets and outcome (the protocol: saylau.crypto.dkg), its
domain tags and bounds."""

from __future__ import annotations

from dataclasses import dataclass

from saylau.crypto.errors import InvalidDkg
from saylau.crypto.group import Element
from saylau.crypto.hashing import hash_to_element
from saylau.crypto.proofs import ChaumPedersenProof, SchnorrProof
from saylau.crypto.signatures import Signature

TAG_PEDERSEN_H = "saylau-v1/generator/pedersen-h"
TAG_TRANSPORT_KEY = "saylau-v1/dkg/transport-key"
TAG_SHARE_PAD = "saylau-v1/dkg/share-pad"
TAG_DEAL = "saylau-v1/dkg/deal"
TAG_DISCLOSURE = "saylau-v1/dkg/disclosure"
TAG_EXTRACTION = "saylau-v1/dkg/extraction"

#: The second Pedersen generator; nobody knows log_G H.
PEDERSEN_H = hash_to_element(TAG_PEDERSEN_H, b"H")
SHARE_CIPHERTEXT_BYTES = 64
#: A bound on n, so that a hostile transcript cannot ask for absurd work.
MAX_TRUSTEES = 1000


@dataclass(frozen=True, slots=True)
class TransportSecret:
    trustee: int
    secret: int
    public: Element


@dataclass(frozen=True, slots=True)
class TransportKey:
    trustee: int
    public: Element
    proof: SchnorrProof


@dataclass(frozen=True, slots=True)
class EncryptedShare:
    recipient: int
    ephemeral: Element  # R = e·G
    ciphertext: bytes  # 64 bytes: (s || s') XOR pad


@dataclass(frozen=True, slots=True)
class Deal:
    dealer: int
    commitments: tuple[Element, ...]  # Pedersen C_ik, k = 0..t−1
    shares: tuple[EncryptedShare, ...]  # one per other trustee, by increasing recipient
    signature: Signature


@dataclass(frozen=True, slots=True)
class DealerSecret:
    dealer: int
    coefficients: tuple[int, ...]  # a_ik (f_i)
    blinding: tuple[int, ...]  # b_ik (f'_i)


@dataclass(frozen=True, slots=True)
class ReceivedShare:
    dealer: int
    recipient: int
    value: int  # s_ij = f_i(j)
    blinding: int  # s'_ij = f'_i(j)


@dataclass(frozen=True, slots=True)
class ShareDisclosure:
    dealer: int
    recipient: int
    dh: Element  # sk_recipient·R
    proof: ChaumPedersenProof


@dataclass(frozen=True, slots=True)
class Extraction:
    dealer: int
    commitments: tuple[Element, ...]  # Feldman A_ik = a_ik·G
    proof: SchnorrProof  # knowledge of a_i0
    signature: Signature


@dataclass(frozen=True, slots=True)
class Transcript:
    """Every public message of a ceremony, in canonical order, and its outcome."""

    n: int
    t: int
    transport_keys: tuple[TransportKey, ...]  # trustees 1..n
    deals: tuple[Deal, ...]  # by increasing dealer
    complaints: tuple[ShareDisclosure, ...]  # phase 1, by increasing (dealer, recipient)
    qual: tuple[int, ...]  # increasing
    extractions: tuple[Extraction, ...]  # by increasing dealer, dealers in QUAL only
    disclosures: tuple[ShareDisclosure, ...]  # phase 2, by increasing (dealer, recipient)
    joint_public_key: Element


@dataclass(frozen=True, slots=True)
class DkgResult:
    t: int
    qual: tuple[int, ...]
    joint_public_key: Element
    verification_keys: dict[int, Element]  # X_j for j = 1..n
    reconstructed: tuple[int, ...]  # dealers in QUAL whose polynomial was rebuilt


def check_parameters(n: int, t: int) -> None:
    if not 1 <= t <= n <= MAX_TRUSTEES:
        raise InvalidDkg(f"dkg parameters: need 1 ≤ t ≤ n ≤ {MAX_TRUSTEES}, got n={n}, t={t}")
