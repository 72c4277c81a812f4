"""Property tests: the decrypted tally equals the plaintext count, for random elections and
any set of absent trustees that leaves at least t."""

from __future__ import annotations

import itertools
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saylau.crypto import dkg
from saylau.crypto.rand import DeterministicRng
from saylau.protocol import credentials as creds
from saylau.protocol.ballot import ElectionContext, encrypt_ballot
from saylau.protocol.keyceremony import dkg_context
from saylau.protocol.manifest import manifest_from_json
from saylau.protocol.tally import aggregate, decrypt_tally
from saylau.simulate.manifest_gen import make_manifest
from saylau.simulate.workers import choose_marks

N, T = 4, 2
CEREMONY = dkg.run_ceremony(N, T, dkg_context("prop", N, T), DeterministicRng("prop-dkg"))
RESULT = dkg.verify_transcript(CEREMONY[0], dkg_context("prop", N, T))
MANIFEST = manifest_from_json(make_manifest("prop", 2))
CTX = ElectionContext.make(MANIFEST, RESULT.joint_public_key)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 2**32),
    voters=st.integers(0, 6),
    present=st.sampled_from(
        [c for k in range(T, N + 1) for c in itertools.combinations(range(1, N + 1), k)]
    ),
)
def test_decrypted_tally_equals_plaintext_count(
    seed: int, voters: int, present: tuple[int, ...]
) -> None:
    rnd = random.Random(seed)
    rng = DeterministicRng(f"prop-{seed}")
    ballots, expected = [], {}
    for d in MANIFEST.districts:
        expected[d.id] = {c.id: [0] * len(c.options) for c in MANIFEST.contests_for(d.id)}
    for _ in range(voters):
        d = rnd.choice(MANIFEST.districts).id
        sel = {c.id: choose_marks(c, rnd) for c in MANIFEST.contests_for(d)}
        for cid, marks in sel.items():
            expected[d][cid] = [a + b for a, b in zip(expected[d][cid], marks, strict=True)]
        ballots.append(encrypt_ballot(CTX, d, sel, creds.generate("prop", rng), rng))
    agg = aggregate(MANIFEST, ballots)
    secrets = {j: CEREMONY[1][j] for j in present}
    tally = decrypt_tally(CTX.fingerprint, MANIFEST, agg, secrets, T, rng)
    got = {
        d["id"]: {c["id"]: [o["count"] for o in c["options"]] for c in d["contests"]}
        for d in tally["districts"]
    }
    assert got == expected


def test_too_few_trustees_cannot_decrypt() -> None:
    agg = aggregate(MANIFEST, [])
    with pytest.raises(ValueError, match="needed"):
        decrypt_tally(CTX.fingerprint, MANIFEST, agg, {1: CEREMONY[1][1]}, T, DeterministicRng("x"))
