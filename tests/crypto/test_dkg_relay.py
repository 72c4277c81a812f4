"""The two functions a relay needs: check one transport key on arrival, and assemble the
transcript (QUAL and the joint key) from public messages alone."""

from __future__ import annotations

import dataclasses

import pytest

from saylau.crypto import dkg
from saylau.crypto.errors import InvalidDkg
from saylau.crypto.hashing import Index
from saylau.crypto.rand import DeterministicRng


def ctx(n, t):
    return ["saylau-v1/dkg", "relay", Index(n), Index(t)]


def test_check_transport_key():
    rng = DeterministicRng("k")
    _secret, key = dkg.make_transport_key(2, ctx(3, 2), rng)
    dkg.check_transport_key(key, ctx(3, 2))
    with pytest.raises(InvalidDkg, match="trustee 2"):
        dkg.check_transport_key(key, ctx(4, 2))
    with pytest.raises(InvalidDkg):
        dkg.check_transport_key(dataclasses.replace(key, trustee=1), ctx(3, 2))


@pytest.mark.parametrize(
    ("bad", "silent"),
    [(frozenset(), frozenset()), (frozenset({3}), frozenset()), (frozenset(), frozenset({2}))],
)
def test_assemble_gives_the_transcript_run_ceremony_gives(bad, silent):
    transcript, _shares = dkg.run_ceremony(3, 2, ctx(3, 2), DeterministicRng("c"), bad, silent)
    shuffled = dkg.assemble_transcript(
        3,
        2,
        transcript.transport_keys[::-1],
        transcript.deals[::-1],
        transcript.complaints[::-1],
        transcript.extractions[::-1],
        transcript.disclosures[::-1],
        ctx(3, 2),
    )
    assert shuffled == transcript
    dkg.verify_transcript(shuffled, ctx(3, 2))


def test_assemble_refuses_a_dealer_that_cannot_be_rebuilt():
    transcript, _ = dkg.run_ceremony(
        3, 2, ctx(3, 2), DeterministicRng("c"), silent_in_phase2=frozenset({2})
    )
    with pytest.raises(InvalidDkg, match="must be reconstructed"):
        dkg.assemble_transcript(
            3,
            2,
            transcript.transport_keys,
            transcript.deals,
            transcript.complaints,
            transcript.extractions,
            (),
            ctx(3, 2),
        )
