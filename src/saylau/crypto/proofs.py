"""Sigma proofs made non-interactive with a strong Fiat–Shamir transform.

Every challenge hashes: a domain tag, the caller's context (election fingerprint, voter's
public credential, contest and option ids — see docs/protocol.md), the whole statement
(public key, ciphertext, the allowed values), and every commitment. Hashing only the
commitments is the published weakness of Helios (Bernhard, Pereira, Warinschi 2012): the
tamper suite holds a proof forged that way, and it is rejected here.

Sign convention: a response is v = w + c·x, and a verifier recomputes a commitment as
v·P − c·Q.

Proof kinds
- `SchnorrProof`: knowledge of x with X = x·G.
- `ChaumPedersenProof`: log_G X = log_A D (decryption shares, credential complaints).
- `DisjunctiveProof`: a ciphertext encrypts one of a list of values (0/1 for an option,
  [min, max] for a contest's weighted number of marks). One branch is Chaum–Pedersen.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from saylau.crypto import group
from saylau.crypto.elgamal import Ciphertext
from saylau.crypto.errors import InvalidProof
from saylau.crypto.group import GENERATOR, Element, L
from saylau.crypto.hashing import Index, Item, hash_to_scalar
from saylau.crypto.rand import Rng

TAG_SCHNORR = "saylau-v1/proof/schnorr"
TAG_CHAUM_PEDERSEN = "saylau-v1/proof/chaum-pedersen"
TAG_DISJUNCTIVE = "saylau-v1/proof/disjunctive"


@dataclass(frozen=True, slots=True)
class SchnorrProof:
    challenge: int
    response: int


@dataclass(frozen=True, slots=True)
class ChaumPedersenProof:
    challenge: int
    response: int


@dataclass(frozen=True, slots=True)
class DisjunctiveProof:
    """One (challenge, response) per allowed value, in the order of the values."""

    challenges: tuple[int, ...]
    responses: tuple[int, ...]


# --- Schnorr proof of knowledge -------------------------------------------------------


def _schnorr_challenge(context: Sequence[Item], public: Element, a: Element) -> int:
    return hash_to_scalar(TAG_SCHNORR, [*context, GENERATOR, public, a])


def prove_schnorr(secret: int, public: Element, context: Sequence[Item], rng: Rng) -> SchnorrProof:
    w = rng.scalar()
    a = group.base_mul(w)
    c = _schnorr_challenge(context, public, a)
    return SchnorrProof(c, (w + c * secret) % L)


def _scalars_in_range(*values: int) -> None:
    if not all(isinstance(v, int) and 0 <= v < L for v in values):
        raise InvalidProof("a challenge or response is not a scalar in [0, L)")


def verify_schnorr(proof: SchnorrProof, public: Element, context: Sequence[Item]) -> None:
    _scalars_in_range(proof.challenge, proof.response)
    a = group.sub(group.base_mul(proof.response), group.mul(proof.challenge, public))
    if _schnorr_challenge(context, public, a) != proof.challenge:
        raise InvalidProof("Schnorr proof of knowledge does not verify")


# --- Chaum–Pedersen equality of discrete logs ------------------------------------------


def _cp_challenge(
    context: Sequence[Item], x: Element, base: Element, d: Element, a: Element, b: Element
) -> int:
    return hash_to_scalar(TAG_CHAUM_PEDERSEN, [*context, GENERATOR, x, base, d, a, b])


def prove_chaum_pedersen(
    secret: int, x: Element, base: Element, d: Element, context: Sequence[Item], rng: Rng
) -> ChaumPedersenProof:
    """Prove log_G(x) = log_base(d) = secret."""
    w = rng.scalar()
    a = group.base_mul(w)
    b = group.mul(w, base)
    c = _cp_challenge(context, x, base, d, a, b)
    return ChaumPedersenProof(c, (w + c * secret) % L)


def verify_chaum_pedersen(
    proof: ChaumPedersenProof, x: Element, base: Element, d: Element, context: Sequence[Item]
) -> None:
    c, v = proof.challenge, proof.response
    _scalars_in_range(c, v)
    a = group.sub(group.base_mul(v), group.mul(c, x))
    b = group.sub(group.mul(v, base), group.mul(c, d))
    if _cp_challenge(context, x, base, d, a, b) != c:
        raise InvalidProof("Chaum–Pedersen proof does not verify")


# --- Disjunctive proof: the ciphertext encrypts one of `values` ------------------------


def _disjunctive_challenge(
    context: Sequence[Item],
    public_key: Element,
    ct: Ciphertext,
    values: Sequence[int],
    commitments: Sequence[tuple[Element, Element]],
) -> int:
    items: list[Item] = [*context, GENERATOR, public_key, ct.alpha, ct.beta, Index(len(values))]
    items += [Index(v) for v in values]
    for a, b in commitments:
        items += [a, b]
    return hash_to_scalar(TAG_DISJUNCTIVE, items)


def prove_disjunctive(
    public_key: Element,
    ct: Ciphertext,
    r: int,
    m: int,
    values: Sequence[int],
    context: Sequence[Item],
    rng: Rng,
) -> DisjunctiveProof:
    """Prove that ct = Enc(m; r) with m one of `values` (without saying which)."""
    if m not in values:
        raise ValueError("the plaintext is not one of the allowed values")
    real = values.index(m)
    n = len(values)
    challenges = [0] * n
    responses = [0] * n
    commitments: list[tuple[Element, Element]] = []
    w = rng.scalar()
    for j, value in enumerate(values):
        if j == real:
            commitments.append((group.base_mul(w), group.mul(w, public_key)))
            continue
        cj, vj = rng.scalar(), rng.scalar()
        challenges[j], responses[j] = cj, vj
        shifted = group.sub(ct.beta, group.base_mul(value))
        a = group.sub(group.base_mul(vj), group.mul(cj, ct.alpha))
        b = group.sub(group.mul(vj, public_key), group.mul(cj, shifted))
        commitments.append((a, b))
    c = _disjunctive_challenge(context, public_key, ct, values, commitments)
    challenges[real] = (c - sum(challenges)) % L
    responses[real] = (w + challenges[real] * r) % L
    return DisjunctiveProof(tuple(challenges), tuple(responses))


def disjunctive_commitments(
    proof: DisjunctiveProof, public_key: Element, ct: Ciphertext, values: Sequence[int]
) -> list[tuple[Element, Element]]:
    """Recompute the prover's commitments from the challenges and responses."""
    commitments = []
    for value, cj, vj in zip(values, proof.challenges, proof.responses, strict=True):
        shifted = group.sub(ct.beta, group.base_mul(value)) if value else ct.beta
        a = group.sub(group.base_mul(vj), group.mul(cj, ct.alpha))
        b = group.sub(group.mul(vj, public_key), group.mul(cj, shifted))
        commitments.append((a, b))
    return commitments


def verify_disjunctive(
    proof: DisjunctiveProof,
    public_key: Element,
    ct: Ciphertext,
    values: Sequence[int],
    context: Sequence[Item],
) -> None:
    if len(proof.challenges) != len(values) or len(proof.responses) != len(values):
        raise InvalidProof("disjunctive proof has the wrong number of branches")
    _scalars_in_range(*proof.challenges, *proof.responses)
    commitments = disjunctive_commitments(proof, public_key, ct, values)
    c = _disjunctive_challenge(context, public_key, ct, values, commitments)
    if sum(proof.challenges) % L != c:
        raise InvalidProof("disjunctive proof does not verify")
