"""Helpers that play a dishonest client, server or trustee against a valid record."""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from saylau.crypto import elgamal, group, proofs, signatures
from saylau.crypto.elgamal import Ciphertext
from saylau.crypto.encoding import element_hex, scalar_hex
from saylau.crypto.group import GENERATOR, Element, L
from saylau.crypto.hashing import hash_to_scalar
from saylau.crypto.rand import Rng
from saylau.protocol.ballot import ElectionContext, signed_message, tracking_code
from saylau.protocol.canonical import canonical_json
from saylau.protocol.credentials import SecretCredential
from saylau.protocol.manifest import manifest_from_json


def tampered(doc: Any, path: Sequence[str | int], value: Any) -> Any:
    """A deep copy of the JSON document `doc` with the value at `path` replaced."""
    out = copy.deepcopy(doc)
    target = out
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return out


def value_at(doc: Any, path: Sequence[str | int]) -> Any:
    """The value at `path` in the JSON document `doc`."""
    for key in path:
        doc = doc[key]
    return doc


def load_ctx(rec: Path) -> ElectionContext:
    el = json.loads((rec / "election.json").read_text())
    manifest = manifest_from_json(json.loads((rec / "manifest.json").read_text()))
    return ElectionContext(
        manifest, Element(bytes.fromhex(el["joint_public_key"])), bytes.fromhex(el["fingerprint"])
    )


def leaves(rec: Path) -> list[dict[str, Any]]:
    return [json.loads(x) for x in (rec / "board/leaves.jsonl").read_bytes().splitlines()]


def write_leaves(rec: Path, events: list[dict[str, Any]]) -> None:
    (rec / "board/leaves.jsonl").write_bytes(b"".join(canonical_json(e) + b"\n" for e in events))


def reseal(rec: Path) -> None:
    """Recompute record.json's file digests, as a forger would."""
    idx = json.loads((rec / "record.json").read_text())
    for name in idx["files"]:
        p = rec / name
        if p.exists():
            idx["files"][name] = hashlib.sha256(p.read_bytes()).hexdigest()
    (rec / "record.json").write_bytes(canonical_json(idx))


def resign(
    ctx: ElectionContext, cred: SecretCredential, raw: dict[str, Any], rng: Rng
) -> dict[str, Any]:
    body = {k: v for k, v in raw.items() if k != "signature"}
    sig = signatures.sign(cred.scalar, cred.public, signed_message(body), [ctx.fingerprint], rng)
    return {
        **body,
        "signature": {"challenge": scalar_hex(sig.challenge), "response": scalar_hex(sig.response)},
    }


def proof_json(p: proofs.DisjunctiveProof) -> dict[str, Any]:
    return {
        "challenges": [scalar_hex(c) for c in p.challenges],
        "responses": [scalar_hex(v) for v in p.responses],
    }


def choice_json(ct: Ciphertext, p: proofs.DisjunctiveProof) -> dict[str, Any]:
    return {"alpha": element_hex(ct.alpha), "beta": element_hex(ct.beta), "proof": proof_json(p)}


# --- the Helios weakness: Fiat–Shamir over the commitments only ---------------------------


def _sqrt_mod(a: int, p: int) -> int | None:
    """Tonelli–Shanks square root modulo the prime p, or None if a is not a square."""
    a %= p
    if a == 0:
        return 0
    if pow(a, (p - 1) // 2, p) != 1:
        return None
    q, s = p - 1, 0
    while q % 2 == 0:
        q //= 2
        s += 1
    z = 2
    while pow(z, (p - 1) // 2, p) != p - 1:
        z += 1
    m, c, t, r = s, pow(z, q, p), pow(a, q, p), pow(a, (q + 1) // 2, p)
    while t != 1:
        i, t2 = 0, t
        while t2 != 1:
            t2 = t2 * t2 % p
            i += 1
        b = pow(c, 1 << (m - i - 1), p)
        m, c, t, r = i, b * b % p, t * b * b % p, r * b % p
    return r


def weak_challenge(commitments: list[tuple[Element, Element]]) -> int:
    """What a Helios-style verifier hashes: the commitments alone."""
    items: list[Any] = []
    for a, b in commitments:
        items += [a, b]
    return hash_to_scalar("saylau-v1/proof/disjunctive", items)


def helios_forgery(key: Element, rng: Rng) -> tuple[Ciphertext, proofs.DisjunctiveProof, int]:
    """A 0/1 "proof" for a ciphertext of a value y ∉ {0, 1}, built by choosing the commitments
    first and the statement after the (commitments-only) challenge. Returns (ct, proof, y).

    Commitments A_j = a_j·G, B_j = a_j·K + b_j·G. With α = x·G and β = y·G + x·K the verifier's
    equations need c0 = −b0 / y and c1 = −b1 / (y − 1); c0 + c1 = c gives the quadratic
    c·y² + (b0 + b1 − c)·y − b0 = 0, solvable when its discriminant is a square mod L.
    """
    while True:
        a0, a1, b0, b1 = (rng.scalar() for _ in range(4))
        commitments = [
            (group.base_mul(a0), group.add(group.mul(a0, key), group.base_mul(b0))),
            (group.base_mul(a1), group.add(group.mul(a1, key), group.base_mul(b1))),
        ]
        c = weak_challenge(commitments)
        bq = (b0 + b1 - c) % L
        root = _sqrt_mod(bq * bq + 4 * c * b0, L)
        if root is None:
            continue
        y = (-bq + root) * pow(2 * c, -1, L) % L
        if y in (0, 1):
            continue
        x = rng.scalar()
        c0 = -b0 * pow(y, -1, L) % L
        c1 = -b1 * pow(y - 1, -1, L) % L
        ct = Ciphertext(group.base_mul(x), group.add(group.base_mul(y), group.mul(x, key)))
        proof = proofs.DisjunctiveProof((c0, c1), ((a0 + c0 * x) % L, (a1 + c1 * x) % L))
        return ct, proof, y


def weak_verify(proof: proofs.DisjunctiveProof, key: Element, ct: Ciphertext) -> bool:
    commitments = proofs.disjunctive_commitments(proof, key, ct, (0, 1))
    return sum(proof.challenges) % L == weak_challenge(commitments)


__all__ = ["GENERATOR", "elgamal", "tracking_code"]
