"""JSON codec for key-ceremony messages and transcripts (dkg.py, dkg_messages.py).

Scalars and elements are 64 lowercase hex characters, an encrypted share 128; trustee
numbers are JSON integers in 1..MAX_TRUSTEES. Decoding checks every field's type, the exact
set of keys, and every scalar and element, and names the field on failure
(e.g. "dkg.deals[2].commitments[1]"). Shapes:

    transport key  {"trustee", "public", "proof": {"challenge", "response"}}
    deal           {"dealer", "commitments": [C_i0, ...],
                    "shares": [{"recipient", "ephemeral", "ciphertext"}, ...],
                    "signature": {"challenge", "response"}}
    disclosure     {"dealer", "recipient", "dh", "proof": {"challenge", "response"}}
    extraction     {"dealer", "commitments": [A_i0, ...], "proof": {...}, "signature": {...}}
    transcript     {"schema": "saylau-dkg/1", "n", "t", "transport_keys": [...], "deals": [...],
                    "complaints": [...], "qual": [...], "extractions": [...],
                    "disclosures": [...], "joint_public_key"}
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from saylau.crypto.dkg_messages import (
    MAX_TRUSTEES,
    SHARE_CIPHERTEXT_BYTES,
    Deal,
    EncryptedShare,
    Extraction,
    ShareDisclosure,
    Transcript,
    TransportKey,
)
from saylau.crypto.encoding import (
    bytes_from_hex,
    element_from_hex,
    element_hex,
    scalar_from_hex,
    scalar_hex,
)
from saylau.crypto.errors import InvalidEncoding
from saylau.crypto.proofs import ChaumPedersenProof, SchnorrProof
from saylau.crypto.signatures import Signature

TRANSCRIPT_SCHEMA = "saylau-dkg/1"

T = TypeVar("T")


# --- Field readers ------------------------------------------------------------------------


def _object(value: object, keys: set[str], what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InvalidEncoding(f"{what}: expected a JSON object")
    if set(value) != keys:
        raise InvalidEncoding(f"{what}: expected the keys {sorted(keys)}, got {sorted(value)}")
    return value


def _index(value: object, what: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise InvalidEncoding(f"{what}: expected an integer")
    if not 1 <= value <= MAX_TRUSTEES:
        raise InvalidEncoding(f"{what}: expected an integer in 1..{MAX_TRUSTEES}, got {value}")
    return value


def _list(value: object, what: str, item: Callable[[object, str], T]) -> tuple[T, ...]:
    if not isinstance(value, list):
        raise InvalidEncoding(f"{what}: expected a JSON array")
    return tuple(item(v, f"{what}[{k}]") for k, v in enumerate(value))


def _pair(value: object, what: str) -> tuple[int, int]:
    obj = _object(value, {"challenge", "response"}, what)
    return (
        scalar_from_hex(obj["challenge"], f"{what}.challenge"),
        scalar_from_hex(obj["response"], f"{what}.response"),
    )


def _pair_json(challenge: int, response: int) -> dict[str, str]:
    return {"challenge": scalar_hex(challenge), "response": scalar_hex(response)}


# --- Messages -----------------------------------------------------------------------------


def transport_key_to_json(key: TransportKey) -> dict[str, Any]:
    return {
        "trustee": key.trustee,
        "public": element_hex(key.public),
        "proof": _pair_json(key.proof.challenge, key.proof.response),
    }


def transport_key_from_json(value: object, what: str = "transport_key") -> TransportKey:
    obj = _object(value, {"trustee", "public", "proof"}, what)
    return TransportKey(
        _index(obj["trustee"], f"{what}.trustee"),
        element_from_hex(obj["public"], f"{what}.public"),
        SchnorrProof(*_pair(obj["proof"], f"{what}.proof")),
    )


def _share_to_json(s: EncryptedShare) -> dict[str, Any]:
    return {
        "recipient": s.recipient,
        "ephemeral": element_hex(s.ephemeral),
        "ciphertext": s.ciphertext.hex(),
    }


def _share_from_json(value: object, what: str) -> EncryptedShare:
    obj = _object(value, {"recipient", "ephemeral", "ciphertext"}, what)
    return EncryptedShare(
        _index(obj["recipient"], f"{what}.recipient"),
        element_from_hex(obj["ephemeral"], f"{what}.ephemeral"),
        bytes_from_hex(obj["ciphertext"], SHARE_CIPHERTEXT_BYTES, f"{what}.ciphertext"),
    )


def deal_to_json(d: Deal) -> dict[str, Any]:
    return {
        "dealer": d.dealer,
        "commitments": [element_hex(c) for c in d.commitments],
        "shares": [_share_to_json(s) for s in d.shares],
        "signature": _pair_json(d.signature.challenge, d.signature.response),
    }


def deal_from_json(value: object, what: str = "deal") -> Deal:
    obj = _object(value, {"dealer", "commitments", "shares", "signature"}, what)
    return Deal(
        _index(obj["dealer"], f"{what}.dealer"),
        _list(obj["commitments"], f"{what}.commitments", element_from_hex),
        _list(obj["shares"], f"{what}.shares", _share_from_json),
        Signature(*_pair(obj["signature"], f"{what}.signature")),
    )


def disclosure_to_json(c: ShareDisclosure) -> dict[str, Any]:
    return {
        "dealer": c.dealer,
        "recipient": c.recipient,
        "dh": element_hex(c.dh),
        "proof": _pair_json(c.proof.challenge, c.proof.response),
    }


def disclosure_from_json(value: object, what: str = "disclosure") -> ShareDisclosure:
    obj = _object(value, {"dealer", "recipient", "dh", "proof"}, what)
    return ShareDisclosure(
        _index(obj["dealer"], f"{what}.dealer"),
        _index(obj["recipient"], f"{what}.recipient"),
        element_from_hex(obj["dh"], f"{what}.dh"),
        ChaumPedersenProof(*_pair(obj["proof"], f"{what}.proof")),
    )


def extraction_to_json(e: Extraction) -> dict[str, Any]:
    return {
        "dealer": e.dealer,
        "commitments": [element_hex(c) for c in e.commitments],
        "proof": _pair_json(e.proof.challenge, e.proof.response),
        "signature": _pair_json(e.signature.challenge, e.signature.response),
    }


def extraction_from_json(value: object, what: str = "extraction") -> Extraction:
    obj = _object(value, {"dealer", "commitments", "proof", "signature"}, what)
    return Extraction(
        _index(obj["dealer"], f"{what}.dealer"),
        _list(obj["commitments"], f"{what}.commitments", element_from_hex),
        SchnorrProof(*_pair(obj["proof"], f"{what}.proof")),
        Signature(*_pair(obj["signature"], f"{what}.signature")),
    )


# --- Transcript ---------------------------------------------------------------------------

_TRANSCRIPT_KEYS = {
    "schema",
    "n",
    "t",
    "transport_keys",
    "deals",
    "complaints",
    "qual",
    "extractions",
    "disclosures",
    "joint_public_key",
}


def transcript_to_json(tr: Transcript) -> dict[str, Any]:
    return {
        "schema": TRANSCRIPT_SCHEMA,
        "n": tr.n,
        "t": tr.t,
        "transport_keys": [transport_key_to_json(k) for k in tr.transport_keys],
        "deals": [deal_to_json(d) for d in tr.deals],
        "complaints": [disclosure_to_json(c) for c in tr.complaints],
        "qual": list(tr.qual),
        "extractions": [extraction_to_json(e) for e in tr.extractions],
        "disclosures": [disclosure_to_json(c) for c in tr.disclosures],
        "joint_public_key": element_hex(tr.joint_public_key),
    }


def transcript_from_json(value: object, what: str = "dkg") -> Transcript:
    """Decode and validate every field (the protocol checks are `dkg.verify_transcript`)."""
    obj = _object(value, _TRANSCRIPT_KEYS, what)
    if obj["schema"] != TRANSCRIPT_SCHEMA:
        raise InvalidEncoding(f"{what}.schema: expected {TRANSCRIPT_SCHEMA!r}")
    return Transcript(
        n=_index(obj["n"], f"{what}.n"),
        t=_index(obj["t"], f"{what}.t"),
        transport_keys=_list(
            obj["transport_keys"], f"{what}.transport_keys", transport_key_from_json
        ),
        deals=_list(obj["deals"], f"{what}.deals", deal_from_json),
        complaints=_list(obj["complaints"], f"{what}.complaints", disclosure_from_json),
        qual=_list(obj["qual"], f"{what}.qual", _index),
        extractions=_list(obj["extractions"], f"{what}.extractions", extraction_from_json),
        disclosures=_list(obj["disclosures"], f"{what}.disclosures", disclosure_from_json),
        joint_public_key=element_from_hex(obj["joint_public_key"], f"{what}.joint_public_key"),
    )
