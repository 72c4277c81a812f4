"""Encrypted ballots: encrypt on the voter's device, verify anywhere.

A ballot holds, for every contest of the voter's ballot style, one ciphertext per option
with a disjunctive proof that it encrypts 0 or 1, and a range proof that the weighted sum of
the contest's ciphertexts (see manifest.py) encrypts a value in [min_marks, max_marks]. The
whole ballot is signed with the voter's credential. Every proof context starts with the
election fingerprint and the voter's public credential, so a proof cannot be moved to another
election or another ballot. The tracking code is SHA-256 of the ballot's canonical JSON.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from saylau.crypto import elgamal, proofs, signatures
from saylau.crypto.elgamal import Ciphertext
from saylau.crypto.encoding import (
    bytes_from_hex,
    element_form_from_hex,
    element_from_hex,
    element_hex,
    scalar_from_hex,
    scalar_hex,
)
from saylau.crypto.errors import InvalidElement, InvalidEncoding, InvalidProof, InvalidSignature
from saylau.crypto.group import IDENTITY, Element, decode_element
from saylau.crypto.hashing import Index, Item
from saylau.crypto.proofs import DisjunctiveProof
from saylau.crypto.rand import Rng
from saylau.protocol.canonical import canonical_json
from saylau.protocol.credentials import SecretCredential
from saylau.protocol.errors import InvalidBallot
from saylau.protocol.manifest import Contest, Manifest, fingerprint

BALLOT_KEYS = {"election", "district", "credential", "contests", "signature"}


@dataclass(frozen=True, slots=True)
class ElectionContext:
    """What a ballot is checked against: the manifest and the joint key (→ fingerprint)."""

    manifest: Manifest
    joint_public_key: Element
    fingerprint: bytes

    @classmethod
    def make(cls, manifest: Manifest, joint_public_key: Element) -> ElectionContext:
        if joint_public_key == IDENTITY:
            raise InvalidBallot("the joint public key is the identity element")
        return cls(manifest, joint_public_key, fingerprint(manifest, joint_public_key))


@dataclass(frozen=True, slots=True)
class EncryptedChoice:
    ct: Ciphertext
    proof: DisjunctiveProof


@dataclass(frozen=True, slots=True)
class EncryptedContest:
    contest_id: str
    choices: tuple[EncryptedChoice, ...]
    range_proof: DisjunctiveProof


@dataclass(frozen=True, slots=True)
class Ballot:
    election: bytes
    district: str
    credential: Element
    contests: tuple[EncryptedContest, ...]
    signature: signatures.Signature
    raw: dict[str, Any]

    @property
    def tracking_code(self) -> str:
        return tracking_code(self.raw)


def option_context(fp: bytes, credential: Element, contest_id: str, j: int) -> list[Item]:
    return [fp, credential, contest_id, Index(j)]


def range_context(fp: bytes, credential: Element, contest_id: str) -> list[Item]:
    return [fp, credential, contest_id, "total"]


def weighted_total(contest: Contest, cts: list[Ciphertext]) -> Ciphertext:
    """Σ ordinary options + max_marks · (against all), by repeated addition."""
    total = elgamal.ZERO
    for j, ct in enumerate(cts):
        for _ in range(contest.weight(j)):
            total = total + ct
    return total


def tracking_code(raw: Mapping[str, Any]) -> str:
    return tracking_code_of(canonical_json(raw))


def tracking_code_of(canonical: bytes) -> str:
    """The tracking code of a ballot already in canonical JSON (saves serialising twice)."""
    return hashlib.sha256(canonical).hexdigest()


def signed_message(body: Mapping[str, Any]) -> bytes:
    """What the credential signs: SHA-256 of the canonical JSON of the ballot minus signature."""
    return hashlib.sha256(
        canonical_json({k: v for k, v in body.items() if k != "signature"})
    ).digest()


def _proof_json(p: DisjunctiveProof) -> dict[str, Any]:
    return {
        "challenges": [scalar_hex(c) for c in p.challenges],
        "responses": [scalar_hex(v) for v in p.responses],
    }


def encrypt_ballot(
    ctx: ElectionContext,
    district_id: str,
    selections: Mapping[str, list[int]],
    credential: SecretCredential,
    rng: Rng,
) -> Ballot:
    """Encrypt a plaintext selection (contest id → list of 0/1 marks) and sign it."""
    fp, key, cred = ctx.fingerprint, ctx.joint_public_key, credential.public
    contests_json = []
    for contest in ctx.manifest.contests_for(district_id):
        marks = selections.get(contest.id)
        if marks is None:
            raise InvalidBallot(f"no selection for contest {contest.id}")
        contest.check_selection(marks)
        choices, cts, rs = [], [], []
        for j, m in enumerate(marks):
            r = rng.scalar()
            ct = elgamal.encrypt(key, m, r)
            proof = proofs.prove_disjunctive(
                key, ct, r, m, (0, 1), option_context(fp, cred, contest.id, j), rng
            )
            cts.append(ct)
            rs.append(r)
            choices.append(
                {
                    "alpha": element_hex(ct.alpha),
                    "beta": element_hex(ct.beta),
                    "proof": _proof_json(proof),
                }
            )
        total_ct = weighted_total(contest, cts)
        total_r = sum(r * contest.weight(j) for j, r in enumerate(rs))
        total_m = sum(m * contest.weight(j) for j, m in enumerate(marks))
        rp = proofs.prove_disjunctive(
            key,
            total_ct,
            total_r,
            total_m,
            contest.allowed_totals,
            range_context(fp, cred, contest.id),
            rng,
        )
        contests_json.append({"id": contest.id, "choices": choices, "range_proof": _proof_json(rp)})
    body: dict[str, Any] = {
        "election": fp.hex(),
        "district": district_id,
        "credential": element_hex(cred),
        "contests": contests_json,
    }
    sig = signatures.sign(credential.scalar, cred, signed_message(body), [fp], rng)
    body["signature"] = {
        "challenge": scalar_hex(sig.challenge),
        "response": scalar_hex(sig.response),
    }
    return ballot_from_json(body)


# --- parsing: structure and encodings only (no proofs) -------------------------------


def _obj(x: Any, keys: set[str], where: str) -> dict[str, Any]:
    if not isinstance(x, dict):
        raise InvalidBallot(f"{where}: expected an object")
    if set(x) != keys:
        raise InvalidBallot(f"{where}: expected fields {sorted(keys)}, got {sorted(x)}")
    return x


def _lst(x: Any, where: str) -> list[Any]:
    if not isinstance(x, list):
        raise InvalidBallot(f"{where}: expected a list")
    return x


def _proof_from(x: Any, where: str) -> DisjunctiveProof:
    o = _obj(x, {"challenges", "responses"}, where)
    cs = _lst(o["challenges"], f"{where}.challenges")
    vs = _lst(o["responses"], f"{where}.responses")
    if len(cs) != len(vs) or not cs:
        raise InvalidBallot(f"{where}: challenges and responses must be equal, non-empty lists")
    return DisjunctiveProof(
        tuple(scalar_from_hex(c, f"{where}.challenges[{i}]") for i, c in enumerate(cs)),
        tuple(scalar_from_hex(v, f"{where}.responses[{i}]") for i, v in enumerate(vs)),
    )


def ballot_from_json(obj: Any) -> Ballot:
    """Parse a ballot, checking its shape and every scalar and group element encoding.

    Raises InvalidBallot naming the field; encodings are wrapped so the caller sees one type.
    """
    try:
        return _ballot_from_json(obj, element_from_hex)
    except InvalidEncoding as e:
        raise InvalidBallot(f"encoding: {e}") from None


def ballot_to_verify(obj: Any) -> Ballot:
    """`ballot_from_json` for a caller that passes the ballot to `verify_ballot` next: the
    same checks but one, whether each element encoding is a group element, which
    `verify_ballot` finds out itself — every element of a ballot goes through `group.mul`
    there, whose libsodium call decodes it as `decode_element` does (decision 0016). Checking
    before as well would decode each element twice. Until `verify_ballot` has accepted it,
    such a ballot may hold non-elements: `check_elements` names the first."""
    try:
        return _ballot_from_json(obj, element_form_from_hex)
    except InvalidEncoding as e:
        raise InvalidBallot(f"encoding: {e}") from None


def _ballot_from_json(obj: Any, element: Callable[[object, str], Element]) -> Ballot:
    o = _obj(obj, BALLOT_KEYS, "ballot")
    election_bytes = bytes_from_hex(o["election"], 32, "ballot.election")
    district = o["district"]
    if not isinstance(district, str):
        raise InvalidBallot("ballot.district: expected a string")
    credential = element(o["credential"], "ballot.credential")
    contests = []
    for i, c in enumerate(_lst(o["contests"], "ballot.contests")):
        w = f"ballot.contests[{i}]"
        co = _obj(c, {"id", "choices", "range_proof"}, w)
        if not isinstance(co["id"], str):
            raise InvalidBallot(f"{w}.id: expected a string")
        choices = []
        for j, ch in enumerate(_lst(co["choices"], f"{w}.choices")):
            cw = f"{w}.choices[{j}]"
            cho = _obj(ch, {"alpha", "beta", "proof"}, cw)
            ct = Ciphertext(
                element(cho["alpha"], f"{cw}.alpha"), element(cho["beta"], f"{cw}.beta")
            )
            choices.append(EncryptedChoice(ct, _proof_from(cho["proof"], f"{cw}.proof")))
        contests.append(
            EncryptedContest(
                co["id"], tuple(choices), _proof_from(co["range_proof"], f"{w}.range_proof")
            )
        )
    so = _obj(o["signature"], {"challenge", "response"}, "ballot.signature")
    sig = signatures.Signature(
        scalar_from_hex(so["challenge"], "ballot.signature.challenge"),
        scalar_from_hex(so["response"], "ballot.signature.response"),
    )
    return Ballot(election_bytes, district, credential, tuple(contests), sig, o)


def ballot_to_json(ballot: Ballot) -> dict[str, Any]:
    return ballot.raw


# --- verification ---------------------------------------------------------------------


def verify_ballot(
    ctx: ElectionContext, ballot: Ballot, credential_districts: Mapping[Element, str] | None
) -> None:
    """Check a parsed ballot completely; raise InvalidBallot naming the first failed check.

    `credential_districts` maps each published public credential to its district; pass None
    only when the caller has checked the credential itself. A ballot from `ballot_to_verify`
    gets the same answer as from `ballot_from_json`: on any refusal, an element that is not
    one is named first, as `ballot_from_json` names it.
    """
    try:
        _verify_ballot(ctx, ballot, credential_districts)
    except InvalidBallot:
        check_elements(ballot)  # an element that is not one comes first
        raise
    except InvalidEncoding as e:  # InvalidElement, from group.mul, add or sub
        check_elements(ballot)  # names it
        raise InvalidBallot(f"encoding: {e}") from None


def check_elements(ballot: Ballot) -> None:
    """Raise InvalidBallot for the first element that is not one, in `ballot_from_json`'s
    order and words."""
    fields = [("ballot.credential", ballot.credential)]
    for i, contest in enumerate(ballot.contests):
        for j, choice in enumerate(contest.choices):
            where = f"ballot.contests[{i}].choices[{j}]"
            fields += [(f"{where}.alpha", choice.ct.alpha), (f"{where}.beta", choice.ct.beta)]
    for what, value in fields:
        try:
            decode_element(value)
        except InvalidElement as e:
            raise InvalidBallot(f"encoding: {what}: {e}") from None


def _verify_ballot(
    ctx: ElectionContext, ballot: Ballot, credential_districts: Mapping[Element, str] | None
) -> None:
    fp, key, cred = ctx.fingerprint, ctx.joint_public_key, ballot.credential
    if ballot.election != fp:
        raise InvalidBallot(
            "election: the ballot is bound to another election fingerprint", "election"
        )
    if credential_districts is not None:
        listed = credential_districts.get(cred)
        if listed is None:
            raise InvalidBallot("credential: not on the published credential list", "credential")
        if listed != ballot.district:
            raise InvalidBallot(
                f"credential: belongs to district {listed}, not {ballot.district}", "credential"
            )
    try:
        expected = ctx.manifest.contests_for(ballot.district)
    except Exception:
        raise InvalidBallot(f"district: unknown district {ballot.district!r}", "district") from None
    if [c.id for c in expected] != [c.contest_id for c in ballot.contests]:
        raise InvalidBallot("contests: do not match the district's ballot style", "contests")
    for contest, enc in zip(expected, ballot.contests, strict=True):
        if len(enc.choices) != len(contest.options):
            raise InvalidBallot(f"contest {contest.id}: wrong number of options", "contests")
        for j, choice in enumerate(enc.choices):
            try:
                proofs.verify_disjunctive(
                    choice.proof, key, choice.ct, (0, 1), option_context(fp, cred, contest.id, j)
                )
            except InvalidProof:
                raise InvalidBallot(
                    f"contest {contest.id} option {contest.options[j].id}: 0/1 proof fails",
                    "mark_proof",
                ) from None
        total = weighted_total(contest, [ch.ct for ch in enc.choices])
        try:
            proofs.verify_disjunctive(
                enc.range_proof,
                key,
                total,
                contest.allowed_totals,
                range_context(fp, cred, contest.id),
            )
        except InvalidProof:
            raise InvalidBallot(
                f"contest {contest.id}: range proof fails (number of marks outside "
                f"[{contest.min_marks}, {contest.max_marks}] or 'against all' with another mark)",
                "range_proof",
            ) from None
    try:
        signatures.verify(ballot.signature, cred, signed_message(ballot.raw), [fp])
    except InvalidSignature:
        raise InvalidBallot(
            "signature: the credential signature does not verify", "signature"
        ) from None
