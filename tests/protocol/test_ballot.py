from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from saylau.crypto import elgamal, group, proofs
from saylau.crypto.encoding import element_hex, scalar_hex
from saylau.crypto.rand import DeterministicRng
from saylau.protocol import credentials as creds
from saylau.protocol.ballot import (
    ElectionContext,
    ballot_from_json,
    encrypt_ballot,
    option_context,
    verify_ballot,
    weighted_total,
)
from saylau.protocol.errors import InvalidBallot
from saylau.protocol.manifest import InvalidManifest


def _setup(ctx: ElectionContext, rng: DeterministicRng) -> tuple[Any, str, dict[str, list[int]]]:
    cred = creds.generate(ctx.manifest.election_id, rng)
    d = ctx.manifest.districts[0].id
    c1, c2 = ctx.manifest.contests_for(d)
    sel = {c1.id: [0, 1] + [0] * 10, c2.id: [1, 0, 1, 0, 0, 0, 0, 0]}
    return cred, d, sel


def test_encrypt_verify_and_decrypt(
    ctx: ElectionContext, rng: DeterministicRng, secret_key: int
) -> None:
    cred, d, sel = _setup(ctx, rng)
    b = encrypt_ballot(ctx, d, sel, cred, rng)
    parsed = ballot_from_json(json.loads(json.dumps(b.raw)))
    verify_ballot(ctx, parsed, {cred.public: d})
    assert parsed.tracking_code == b.tracking_code
    for enc in parsed.contests:
        marks = [elgamal.decrypt_to_element(secret_key, ch.ct) for ch in enc.choices]
        assert marks == [group.base_mul(m) for m in sel[enc.contest_id]]


def test_plaintext_rules_enforced_before_encrypting(
    ctx: ElectionContext, rng: DeterministicRng
) -> None:
    cred, d, sel = _setup(ctx, rng)
    c1 = ctx.manifest.contests_for(d)[0]
    with pytest.raises(InvalidManifest):
        encrypt_ballot(ctx, d, {**sel, c1.id: [1, 1] + [0] * 10}, cred, rng)


def _forge_contest(
    ctx: ElectionContext,
    cred: Any,
    contest_index: int,
    marks: list[int],
    raw: dict[str, Any],
    rng: DeterministicRng,
) -> dict[str, Any]:
    """A malicious client: valid 0/1 proofs on each option, but a selection that breaks the
    contest rule, with the best range proof it can make (for a value it does not hold)."""
    key, fp = ctx.joint_public_key, ctx.fingerprint
    d = raw["district"]
    contest = ctx.manifest.contests_for(d)[contest_index]
    cts, rs, choices = [], [], []
    for j, m in enumerate(marks):
        r = rng.scalar()
        ct = elgamal.encrypt(key, m, r)
        p = proofs.prove_disjunctive(
            key, ct, r, m, (0, 1), option_context(fp, cred.public, contest.id, j), rng
        )
        cts.append(ct)
        rs.append(r)
        choices.append(
            {
                "alpha": element_hex(ct.alpha),
                "beta": element_hex(ct.beta),
                "proof": {
                    "challenges": [scalar_hex(c) for c in p.challenges],
                    "responses": [scalar_hex(v) for v in p.responses],
                },
            }
        )
    total = weighted_total(contest, cts)
    # claim the top allowed value with randomness that does not match: cannot verify
    fake = proofs.DisjunctiveProof(
        tuple(rng.scalar() for _ in contest.allowed_totals),
        tuple(rng.scalar() for _ in contest.allowed_totals),
    )
    _ = total
    forged = copy.deepcopy(raw)
    forged["contests"][contest_index] = {
        "id": contest.id,
        "choices": choices,
        "range_proof": {
            "challenges": [scalar_hex(c) for c in fake.challenges],
            "responses": [scalar_hex(v) for v in fake.responses],
        },
    }
    return forged


def _resign(
    ctx: ElectionContext, cred: Any, raw: dict[str, Any], rng: DeterministicRng
) -> dict[str, Any]:
    from saylau.crypto import signatures
    from saylau.protocol.ballot import signed_message

    body = {k: v for k, v in raw.items() if k != "signature"}
    sig = signatures.sign(cred.scalar, cred.public, signed_message(body), [ctx.fingerprint], rng)
    return {
        **body,
        "signature": {"challenge": scalar_hex(sig.challenge), "response": scalar_hex(sig.response)},
    }


@pytest.mark.parametrize(
    ("contest_index", "marks"),
    [
        (0, [1, 1] + [0] * 10),
        (0, [0] * 12),
        (1, [1, 0, 0, 0, 0, 0, 0, 1]),
        (1, [1, 1, 1, 1, 0, 0, 0, 0]),
    ],
    ids=["two-marks-in-vote-for-1", "blank-vote-for-1", "against-all-plus-candidate", "four-of-3"],
)
def test_contest_rule_violations_are_rejected(
    ctx: ElectionContext, rng: DeterministicRng, contest_index: int, marks: list[int]
) -> None:
    cred, d, sel = _setup(ctx, rng)
    b = encrypt_ballot(ctx, d, sel, cred, rng)
    forged = _resign(ctx, cred, _forge_contest(ctx, cred, contest_index, marks, b.raw, rng), rng)
    with pytest.raises(InvalidBallot, match="range proof fails"):
        verify_ballot(ctx, ballot_from_json(forged), {cred.public: d})


def _mutated(raw: dict[str, Any], fn: Any) -> dict[str, Any]:
    out = copy.deepcopy(raw)
    fn(out)
    return out


def test_tampering_is_rejected(ctx: ElectionContext, rng: DeterministicRng) -> None:
    cred, d, sel = _setup(ctx, rng)
    other = creds.generate(ctx.manifest.election_id, rng)
    b = encrypt_ballot(ctx, d, sel, cred, rng)
    b2 = encrypt_ballot(ctx, d, sel, other, rng)
    creds_map = {cred.public: d, other.public: d}
    g = element_hex(group.GENERATOR)

    def swap_alpha(o: dict[str, Any]) -> None:
        ch = o["contests"][0]["choices"]
        ch[0]["alpha"], ch[1]["alpha"] = ch[1]["alpha"], ch[0]["alpha"]

    cases = {
        "altered ciphertext": (
            lambda o: o["contests"][0]["choices"][0].update(beta=g),
            "0/1 proof",
        ),
        "proof copied from another ballot": (
            lambda o: o["contests"][0]["choices"][0].update(b2.raw["contests"][0]["choices"][0]),
            "0/1 proof",
        ),
        "swapped ciphertexts": (swap_alpha, "0/1 proof"),
        "other election": (lambda o: o.update(election="00" * 32), "another election"),
        "wrong district": (lambda o: o.update(district=ctx.manifest.districts[1].id), "district"),
        "signature altered": (
            lambda o: o["signature"].update(response=b2.raw["signature"]["response"]),
            "signature",
        ),
        "credential swapped": (lambda o: o.update(credential=b2.raw["credential"]), "proof"),
    }
    for name, (fn, message) in cases.items():
        with pytest.raises(InvalidBallot, match=message):
            verify_ballot(ctx, ballot_from_json(_mutated(b.raw, fn)), creds_map)
        assert name


def test_credential_not_on_the_list(ctx: ElectionContext, rng: DeterministicRng) -> None:
    cred, d, sel = _setup(ctx, rng)
    b = encrypt_ballot(ctx, d, sel, cred, rng)
    with pytest.raises(InvalidBallot, match="not on the published credential list"):
        verify_ballot(ctx, b, {})


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda o: o["contests"][0]["choices"][0].update(alpha="ff" * 32), "alpha"),
        (lambda o: o["contests"][0]["choices"][0].update(alpha="00" * 31), "alpha"),
        (lambda o: o["signature"].update(challenge="ff" * 32), "not reduced"),
        (lambda o: o.pop("signature"), "expected fields"),
        (lambda o: o.update(extra=1), "expected fields"),
        (lambda o: o["contests"][0].update(choices="x"), "expected a list"),
    ],
)
def test_malformed_ballots_name_the_field(
    ctx: ElectionContext, rng: DeterministicRng, mutate: Any, message: str
) -> None:
    cred, d, sel = _setup(ctx, rng)
    b = encrypt_ballot(ctx, d, sel, cred, rng)
    with pytest.raises(InvalidBallot, match=message):
        ballot_from_json(_mutated(b.raw, mutate))


def test_non_canonical_point_is_rejected(ctx: ElectionContext, rng: DeterministicRng) -> None:
    cred, d, sel = _setup(ctx, rng)
    b = encrypt_ballot(ctx, d, sel, cred, rng)
    # p + alpha encoding (a field element ≥ p is non-canonical)
    p = 2**255 - 19
    alpha = int.from_bytes(bytes.fromhex(b.raw["contests"][0]["choices"][0]["alpha"]), "little")
    if alpha + p < 2**256:
        bad = (alpha + p).to_bytes(32, "little").hex()
    else:
        bad = (p + 1).to_bytes(32, "little").hex()
    with pytest.raises(InvalidBallot, match="canonical"):
        ballot_from_json(
            _mutated(b.raw, lambda o: o["contests"][0]["choices"][0].update(alpha=bad))
        )
