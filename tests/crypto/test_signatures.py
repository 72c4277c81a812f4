"""Schnorr signatures by voters' credentials: they verify, bind message, key and context, and are
domain-separated from the proofs."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from saylau.crypto import group, signatures
from saylau.crypto.errors import InvalidProof, InvalidSignature
from saylau.crypto.group import GENERATOR, IDENTITY, L
from saylau.crypto.hashing import Index, Item
from saylau.crypto.proofs import SchnorrProof, prove_schnorr, verify_schnorr
from saylau.crypto.rand import DeterministicRng
from saylau.crypto.signatures import Signature, sign, verify

rng = DeterministicRng("tests/crypto/signatures")
SECRET = rng.scalar()
PUBLIC = group.base_mul(SECRET)
CONTEXT: list[Item] = [b"\x11" * 32, "district-3"]
MESSAGE = b"ballot digest " + bytes(range(18))


@pytest.fixture
def sig() -> Signature:
    return sign(SECRET, PUBLIC, MESSAGE, CONTEXT, rng)


def test_signature_verifies(sig: Signature):
    verify(sig, PUBLIC, MESSAGE, CONTEXT)
    assert 0 <= sig.challenge < L and 0 <= sig.response < L


@given(st.binary(max_size=200))
@settings(max_examples=30)
def test_any_message_can_be_signed(message: bytes):
    s = sign(SECRET, PUBLIC, message, [], rng)
    verify(s, PUBLIC, message, [])


def test_signing_is_deterministic_given_the_rng():
    a = sign(SECRET, PUBLIC, MESSAGE, CONTEXT, DeterministicRng("seed"))
    b = sign(SECRET, PUBLIC, MESSAGE, CONTEXT, DeterministicRng("seed"))
    c = sign(SECRET, PUBLIC, MESSAGE, CONTEXT, DeterministicRng("other seed"))
    assert a == b != c
    verify(c, PUBLIC, MESSAGE, CONTEXT)


@pytest.mark.parametrize(
    "message",
    [
        MESSAGE[:-1],
        MESSAGE + b"\x00",
        bytes([MESSAGE[0] ^ 1]) + MESSAGE[1:],
        b"",
        MESSAGE.upper(),
    ],
    ids=["truncated", "extended", "bit flipped", "empty", "changed"],
)
def test_changed_message_is_rejected(sig: Signature, message: bytes):
    with pytest.raises(InvalidSignature):
        verify(sig, PUBLIC, message, CONTEXT)


@pytest.mark.parametrize(
    "context",
    [
        [],
        CONTEXT[:1],
        [*CONTEXT, ""],
        CONTEXT[::-1],
        [b"\x22" * 32, "district-3"],
        [*CONTEXT, Index(0)],
    ],
    ids=["empty", "truncated", "appended", "reversed", "other election", "index appended"],
)
def test_changed_context_is_rejected(sig: Signature, context: list[Item]):
    with pytest.raises(InvalidSignature):
        verify(sig, PUBLIC, MESSAGE, context)


def test_message_and_context_do_not_run_into_each_other():
    """Moving bytes between the last context item and the message changes the signature."""
    s = sign(SECRET, PUBLIC, b"ab", ["x"], rng)
    with pytest.raises(InvalidSignature):
        verify(s, PUBLIC, b"b", ["xa"])


@pytest.mark.parametrize(
    "public",
    [group.add(PUBLIC, GENERATOR), group.neg(PUBLIC), GENERATOR, IDENTITY],
    ids=["key + G", "negated key", "generator", "identity"],
)
def test_other_key_is_rejected(sig: Signature, public: bytes):
    with pytest.raises(InvalidSignature):
        verify(sig, public, MESSAGE, CONTEXT)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "tamper",
    [
        lambda s: replace(s, challenge=(s.challenge + 1) % L),
        lambda s: replace(s, response=(s.response + 1) % L),
        lambda s: replace(s, response=(s.response - 1) % L),
        lambda s: Signature(s.response, s.challenge),
        lambda s: Signature(0, 0),
        lambda s: replace(s, challenge=0),
    ],
    ids=["challenge+1", "response+1", "response-1", "swapped", "zero", "zero challenge"],
)
def test_altered_signature_is_rejected(sig: Signature, tamper):
    with pytest.raises(InvalidSignature):
        verify(tamper(sig), PUBLIC, MESSAGE, CONTEXT)


def test_signature_from_another_key_is_rejected():
    x = rng.scalar()
    s = sign(x, group.base_mul(x), MESSAGE, CONTEXT, rng)
    with pytest.raises(InvalidSignature):
        verify(s, PUBLIC, MESSAGE, CONTEXT)


def test_signing_with_the_wrong_secret_does_not_verify():
    s = sign(SECRET + 1, PUBLIC, MESSAGE, CONTEXT, rng)
    with pytest.raises(InvalidSignature):
        verify(s, PUBLIC, MESSAGE, CONTEXT)


def test_proof_of_knowledge_is_not_a_signature():
    """Same key, same context, empty message: the Schnorr proof's challenge is under another
    domain tag and hashes no message, so it does not pass as a signature."""
    proof = prove_schnorr(SECRET, PUBLIC, CONTEXT, rng)
    forged = Signature(proof.challenge, proof.response)
    for message in (b"", MESSAGE):
        with pytest.raises(InvalidSignature):
            verify(forged, PUBLIC, message, CONTEXT)


def test_signature_is_not_a_proof_of_knowledge(sig: Signature):
    with pytest.raises(InvalidProof):
        verify_schnorr(SchnorrProof(sig.challenge, sig.response), PUBLIC, CONTEXT)


def test_tag_is_domain_separated():
    assert signatures.TAG_SIGNATURE.startswith("saylau-v1/")
