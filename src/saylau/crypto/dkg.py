"""t-of-n distributed key generation: Gennaro–Jarecki–Krawczyk–Rabin "New-DKG".

Trustees are numbered 1..n; any t of them can decrypt. Phase 1 is Pedersen VSS, whose
commitments hide the dealt secrets perfectly, so the set QUAL of qualified dealers is
fixed before anyone learns anything about the joint key; phase 2 then extracts Feldman
commitments A_i0 = a_i0·G from the dealers in QUAL. A last dealer cannot bias the key: if
it withholds or falsifies its extraction, its committed polynomial is rebuilt from shares.

Messages (each per-trustee function takes only that trustee's secret and public messages):

- `TransportKey` (trustee j): PK_j = sk_j·G with a Schnorr proof of knowledge under the
  context [*context, TAG_TRANSPORT_KEY, Index(j)].
- `Deal` (dealer i): Pedersen commitments C_ik = a_ik·G + b_ik·H (k = 0..t−1) to random
  polynomials f_i, f'_i of degree t−1, and for every other trustee j, in order, the
  hashed-ElGamal encryption of (s_ij, s'_ij) = (f_i(j), f'_i(j)): R = e·G,
  pad = expand_message_xmd(frame([TAG_SHARE_PAD, *context, Index(i), Index(j), R, PK_j,
  e·PK_j]), TAG_SHARE_PAD, 64), ciphertext = (scalar_bytes(s) || scalar_bytes(s')) XOR pad.
  H = hash_to_element(TAG_PEDERSEN_H, b"H"). Signed by the dealer's transport key.
- `ShareDisclosure` (recipient j about dealer i): DH = sk_j·R with a Chaum–Pedersen proof
  that log_G PK_j = log_R DH under [*context, TAG_DISCLOSURE, Index(i), Index(j)]; anyone
  can then decrypt that one share. In phase 1 it is a complaint: the share must satisfy
  s·G + s'·H = Σ_k j^k·C_ik (and be canonical) or the dealer leaves QUAL. In phase 2 it is
  evidence against an extraction and material for reconstruction.
- `Extraction` (dealer i in QUAL): A_ik = a_ik·G and a Schnorr proof of knowledge of a_i0
  under [*context, TAG_EXTRACTION, Index(i)]. Signed by the dealer's transport key.

Signatures (saylau.crypto.signatures, under the ceremony context, by the sender's transport
key) cover digest(TAG_DEAL, [Index(i), Index(#C), C_i0.., Index(#shares), (Index(j), R,
ct)..]) for a deal, and digest(TAG_EXTRACTION, [Index(i), Index(#A), A_i0.., Scalar(c),
Scalar(v)]) for an extraction (c, v: its Schnorr proof). They make every message
attributable: a relay cannot forge a deal or an extraction. A disclosure needs none, its
proof involves sk_j.

Blame: a message whose signature or disclosure proof fails is not attributable to anyone
and makes the transcript invalid (`InvalidDkg`). A signed message that is malformed proves
its dealer at fault (`DealerFault`); a disclosed share that fails its commitment check does
too (`InvalidShare`). QUAL = dealers with a complete deal and no founded complaint. A dealer
in QUAL is reconstructed when its extraction is missing, malformed, has a bad proof, or
fails the Feldman check s_ij·G = Σ_k j^k·A_ik for some validly disclosed share; then its
polynomial is interpolated from the t lowest-numbered disclosed valid shares.

Results: K = Σ_{i∈QUAL} A_i0; x_j = Σ_{i∈QUAL} s_ij; X_j = Σ_k j^k·(Σ_{i∈QUAL} A_ik).
Like every DKG, it assumes the relay is a broadcast channel: a relay that withholds an
honest dealer's extraction makes honest trustees reveal that dealer's polynomial, so
trustees should confirm the transcript among themselves before disclosing in phase 2.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from saylau.crypto import group, proofs, signatures
from saylau.crypto.errors import (
    DealerFault,
    InvalidDkg,
    InvalidProof,
    InvalidScalar,
    InvalidShare,
    InvalidSignature,
)
from saylau.crypto.group import IDENTITY, Element, L, decode_scalar, scalar_bytes
from saylau.crypto.hashing import (
    Index,
    Item,
    Scalar,
    digest,
    expand_message_xmd,
    frame,
    hash_to_element,
)
from saylau.crypto.proofs import ChaumPedersenProof, SchnorrProof
from saylau.crypto.rand import Rng
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


# --- Messages and secrets ---------------------------------------------------------------


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


# --- Polynomials and commitments --------------------------------------------------------


def _evaluate(coefficients: Sequence[int], x: int) -> int:
    acc = 0
    for a in reversed(coefficients):
        acc = (acc * x + a) % L
    return acc


def _interpolate(points: Mapping[int, int]) -> tuple[int, ...]:
    """Coefficients of the polynomial of degree < len(points) through {x: y} (Lagrange)."""
    xs = sorted(points)
    result = [0] * len(xs)
    for m in xs:
        basis, denominator = [1], 1  # Π_{l≠m} (X − l) and Π_{l≠m} (m − l)
        for other in xs:
            if other != m:
                shifted = [0, *basis]
                basis = [(hi - other * lo) % L for hi, lo in zip(shifted, [*basis, 0], strict=True)]
                denominator = denominator * (m - other) % L
        scale = points[m] * group.inv(denominator) % L
        result = [(r + scale * b) % L for r, b in zip(result, basis, strict=True)]
    return tuple(result)


def _commitment_at(commitments: Sequence[Element], j: int) -> Element:
    """Σ_k j^k·C_k by Horner's rule: t − 1 scalar multiplications."""
    acc = commitments[-1]
    for c in reversed(commitments[:-1]):
        acc = group.add(group.mul(j, acc), c)
    return acc


def _check_parameters(n: int, t: int) -> None:
    if not 1 <= t <= n <= MAX_TRUSTEES:
        raise InvalidDkg(f"dkg parameters: need 1 ≤ t ≤ n ≤ {MAX_TRUSTEES}, got n={n}, t={t}")


# --- Transport keys -----------------------------------------------------------------------


def _transport_context(context: Sequence[Item], trustee: int) -> list[Item]:
    return [*context, TAG_TRANSPORT_KEY, Index(trustee)]


def make_transport_key(
    trustee: int, context: Sequence[Item], rng: Rng
) -> tuple[TransportSecret, TransportKey]:
    sk = rng.scalar()
    pk = group.base_mul(sk)
    proof = proofs.prove_schnorr(sk, pk, _transport_context(context, trustee), rng)
    return TransportSecret(trustee, sk, pk), TransportKey(trustee, pk, proof)


def check_transport_keys(
    keys: Sequence[TransportKey], n: int, context: Sequence[Item]
) -> dict[int, Element]:
    """Check the keys of trustees 1..n (in order) and their proofs; return {j: PK_j}."""
    if len(keys) != n or [k.trustee for k in keys] != list(range(1, n + 1)):
        raise InvalidDkg(f"transport keys: expected one for each trustee 1..{n}, in order")
    for key in keys:
        check_transport_key(key, context)
    return {k.trustee: k.public for k in keys}


def check_transport_key(key: TransportKey, context: Sequence[Item]) -> None:
    """One trustee's proof of knowledge of its transport key (a relay checks each on arrival)."""
    try:
        proofs.verify_schnorr(key.proof, key.public, _transport_context(context, key.trustee))
    except InvalidProof:
        raise InvalidDkg(
            f"trustee {key.trustee}: transport key proof of knowledge does not verify"
        ) from None


def _public_key(keys: Mapping[int, Element], trustee: int, role: str) -> Element:
    key = keys.get(trustee)
    if key is None:
        raise InvalidDkg(f"{role} {trustee}: not a trustee of this ceremony")
    return key


# --- Phase 1: deal, open, disclose, judge -------------------------------------------------


def dealer_share(secret: DealerSecret, recipient: int) -> ReceivedShare:
    """(f_i(j), f'_i(j)): the share dealer i sends to trustee j (or keeps, for j = i)."""
    value = _evaluate(secret.coefficients, recipient)
    return ReceivedShare(secret.dealer, recipient, value, _evaluate(secret.blinding, recipient))


def _share_pad(
    context: Sequence[Item], dealer: int, recipient: int, r: Element, pk: Element, dh: Element
) -> bytes:
    msg = frame([TAG_SHARE_PAD, *context, Index(dealer), Index(recipient), r, pk, dh])
    return expand_message_xmd(msg, TAG_SHARE_PAD.encode("ascii"), SHARE_CIPHERTEXT_BYTES)


def _xor(a: bytes, b: bytes) -> bytes:
    return bytes(x ^ y for x, y in zip(a, b, strict=True))


def _encrypt_share(
    share: ReceivedShare, recipient_key: Element, context: Sequence[Item], rng: Rng
) -> EncryptedShare:
    e = rng.scalar()
    r = group.base_mul(e)
    pad = _share_pad(
        context, share.dealer, share.recipient, r, recipient_key, group.mul(e, recipient_key)
    )
    plain = scalar_bytes(share.value) + scalar_bytes(share.blinding)
    return EncryptedShare(share.recipient, r, _xor(plain, pad))


def _deal_message(
    dealer: int, commitments: Sequence[Element], shares: Sequence[EncryptedShare]
) -> bytes:
    items: list[Item] = [Index(dealer), Index(len(commitments)), *commitments, Index(len(shares))]
    for s in shares:
        items += [Index(s.recipient), s.ephemeral, s.ciphertext]
    return digest(TAG_DEAL, items)


def _signed_deal(
    transport: TransportSecret,
    commitments: tuple[Element, ...],
    shares: tuple[EncryptedShare, ...],
    context: Sequence[Item],
    rng: Rng,
) -> Deal:
    message = _deal_message(transport.trustee, commitments, shares)
    sig = signatures.sign(transport.secret, transport.public, message, context, rng)
    return Deal(transport.trustee, commitments, shares, sig)


def deal(
    transport: TransportSecret,
    n: int,
    t: int,
    transport_keys: Sequence[TransportKey],
    context: Sequence[Item],
    rng: Rng,
) -> tuple[DealerSecret, Deal]:
    """Phase 1 for dealer i = transport.trustee: commit to f_i, f'_i and encrypt the shares."""
    _check_parameters(n, t)
    keys = check_transport_keys(transport_keys, n, context)
    i = transport.trustee
    if keys.get(i) != transport.public:
        raise InvalidDkg(f"dealer {i}: own transport key is not the published one")
    secret = DealerSecret(
        i, tuple(rng.scalar() for _ in range(t)), tuple(rng.scalar() for _ in range(t))
    )
    commitments = tuple(
        group.add(group.base_mul(a), group.mul(b, PEDERSEN_H))
        for a, b in zip(secret.coefficients, secret.blinding, strict=True)
    )
    shares = tuple(
        _encrypt_share(dealer_share(secret, j), keys[j], context, rng)
        for j in range(1, n + 1)
        if j != i
    )
    return secret, _signed_deal(transport, commitments, shares, context, rng)


def _check_deal_signature(d: Deal, keys: Mapping[int, Element], context: Sequence[Item]) -> None:
    pk = _public_key(keys, d.dealer, "dealer")
    try:
        signatures.verify(
            d.signature, pk, _deal_message(d.dealer, d.commitments, d.shares), context
        )
    except InvalidSignature:
        raise InvalidDkg(f"dealer {d.dealer}: deal signature does not verify") from None


def _check_deal_shape(d: Deal, n: int, t: int) -> None:
    if len(d.commitments) != t:
        raise DealerFault(
            f"dealer {d.dealer}: deal has {len(d.commitments)} Pedersen commitments, t = {t}"
        )
    expected = [j for j in range(1, n + 1) if j != d.dealer]
    if [s.recipient for s in d.shares] != expected:
        raise DealerFault(
            f"dealer {d.dealer}: deal must hold one share per other trustee, in order"
        )
    for s in d.shares:
        if len(s.ciphertext) != SHARE_CIPHERTEXT_BYTES:
            raise DealerFault(
                f"dealer {d.dealer}: encrypted share for trustee {s.recipient} "
                f"is not {SHARE_CIPHERTEXT_BYTES} bytes"
            )


def check_deal(
    d: Deal, n: int, t: int, transport_keys: Mapping[int, Element], context: Sequence[Item]
) -> None:
    """Public checks of a deal: signature (`InvalidDkg`), completeness (`DealerFault`)."""
    _check_deal_signature(d, transport_keys, context)
    _check_deal_shape(d, n, t)


def _find_share(d: Deal, recipient: int) -> EncryptedShare:
    for s in d.shares:
        if s.recipient == recipient:
            return s
    raise InvalidDkg(f"dealer {d.dealer}: the deal holds no share for trustee {recipient}")


def _open(
    d: Deal, enc: EncryptedShare, recipient_key: Element, dh: Element, context: Sequence[Item]
) -> ReceivedShare:
    """Decrypt one share with DH = sk_j·R and check it against the Pedersen commitments."""
    i, j = d.dealer, enc.recipient
    plain = _xor(enc.ciphertext, _share_pad(context, i, j, enc.ephemeral, recipient_key, dh))
    try:
        share = ReceivedShare(i, j, decode_scalar(plain[:32]), decode_scalar(plain[32:]))
    except InvalidScalar:
        raise InvalidShare(
            f"dealer {i}: share for trustee {j} is not a canonical scalar pair"
        ) from None
    lhs = group.add(group.base_mul(share.value), group.mul(share.blinding, PEDERSEN_H))
    if lhs != _commitment_at(d.commitments, j):
        raise InvalidShare(f"dealer {i}: share for trustee {j} fails the Pedersen check")
    return share


def open_share(recipient: TransportSecret, d: Deal, context: Sequence[Item]) -> ReceivedShare:
    """Trustee j decrypts and checks its share of a deal that passed `check_deal`.

    Raises `InvalidShare` when the share is bad: then publish `disclose(...)` as a complaint.
    """
    enc = _find_share(d, recipient.trustee)
    return _open(d, enc, recipient.public, group.mul(recipient.secret, enc.ephemeral), context)


def _disclosure_context(context: Sequence[Item], dealer: int, recipient: int) -> list[Item]:
    return [*context, TAG_DISCLOSURE, Index(dealer), Index(recipient)]


def disclose(
    recipient: TransportSecret, d: Deal, context: Sequence[Item], rng: Rng
) -> ShareDisclosure:
    """Trustee j reveals DH = sk_j·R for its share of `d`, so that anyone can decrypt it."""
    j = recipient.trustee
    enc = _find_share(d, j)
    dh = group.mul(recipient.secret, enc.ephemeral)
    proof = proofs.prove_chaum_pedersen(
        recipient.secret,
        recipient.public,
        enc.ephemeral,
        dh,
        _disclosure_context(context, d.dealer, j),
        rng,
    )
    return ShareDisclosure(d.dealer, j, dh, proof)


def judge_disclosure(
    disclosure: ShareDisclosure,
    d: Deal,
    transport_keys: Mapping[int, Element],
    context: Sequence[Item],
) -> ReceivedShare:
    """Verify a disclosure and return the share it reveals.

    Raises `InvalidDkg` if the disclosure itself is invalid, `InvalidShare` if the revealed
    share fails the Pedersen check (the complaint is founded: the dealer is at fault).
    """
    i, j = disclosure.dealer, disclosure.recipient
    if d.dealer != i:
        raise InvalidDkg(f"disclosure ({i}→{j}): judged against the deal of dealer {d.dealer}")
    pk = _public_key(transport_keys, j, "recipient")
    enc = _find_share(d, j)
    try:
        proofs.verify_chaum_pedersen(
            disclosure.proof, pk, enc.ephemeral, disclosure.dh, _disclosure_context(context, i, j)
        )
    except InvalidProof:
        raise InvalidDkg(
            f"trustee {j}: disclosure of dealer {i}'s share has an invalid Chaum–Pedersen proof"
        ) from None
    return _open(d, enc, pk, disclosure.dh, context)


# --- Phase 2: extract, check --------------------------------------------------------------


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


def _signed_extraction(
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
    return _signed_extraction(transport, commitments, proof, context, rng)


def _check_extraction_signature(
    e: Extraction, keys: Mapping[int, Element], context: Sequence[Item]
) -> None:
    pk = _public_key(keys, e.dealer, "dealer")
    try:
        signatures.verify(
            e.signature, pk, _extraction_message(e.dealer, e.commitments, e.proof), context
        )
    except InvalidSignature:
        raise InvalidDkg(f"dealer {e.dealer}: extraction signature does not verify") from None


def _check_extraction_body(e: Extraction, t: int, context: Sequence[Item]) -> None:
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
    _check_extraction_signature(e, transport_keys, context)
    _check_extraction_body(e, t, context)


def check_feldman(share: ReceivedShare, e: Extraction) -> None:
    """Recipient's check s_ij·G = Σ_k j^k·A_ik; raises `InvalidShare` (then disclose)."""
    if share.dealer != e.dealer:
        raise ValueError("the share and the extraction come from different dealers")
    if group.base_mul(share.value) != _commitment_at(e.commitments, share.recipient):
        raise InvalidShare(
            f"dealer {e.dealer}: trustee {share.recipient}'s share fails the Feldman check"
        )


# --- Judging the public board -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Phase1:
    keys: dict[int, Element]
    deals: dict[int, Deal]
    qual: tuple[int, ...]
    shares: dict[tuple[int, int], ReceivedShare]  # disclosed shares that pass Pedersen


def _check_order(keys: Sequence[tuple[int, ...]], what: str) -> None:
    if any(a >= b for a, b in itertools.pairwise(keys)):
        raise InvalidDkg(f"dkg.{what}: entries must be unique and in increasing order")


def _judge_all(
    disclosures: Sequence[ShareDisclosure],
    what: str,
    deals: Mapping[int, Deal],
    keys: Mapping[int, Element],
    context: Sequence[Item],
) -> tuple[dict[tuple[int, int], ReceivedShare], set[int]]:
    """The valid shares disclosed, and the dealers against whom a disclosure is founded."""
    _check_order([(c.dealer, c.recipient) for c in disclosures], what)
    valid: dict[tuple[int, int], ReceivedShare] = {}
    founded: set[int] = set()
    for k, c in enumerate(disclosures):
        d = deals.get(c.dealer)
        if d is None:
            raise InvalidDkg(f"dkg.{what}[{k}]: dealer {c.dealer} has no deal")
        try:
            valid[(c.dealer, c.recipient)] = judge_disclosure(c, d, keys, context)
        except InvalidShare:
            founded.add(c.dealer)
        except InvalidDkg as e:
            raise InvalidDkg(f"dkg.{what}[{k}]: {e}") from None
    return valid, founded


def _judge_phase1(
    n: int,
    t: int,
    transport_keys: Sequence[TransportKey],
    deals: Sequence[Deal],
    complaints: Sequence[ShareDisclosure],
    context: Sequence[Item],
) -> _Phase1:
    _check_parameters(n, t)
    keys = check_transport_keys(transport_keys, n, context)
    _check_order([(d.dealer,) for d in deals], "deals")
    by_dealer = {d.dealer: d for d in deals}
    complete = set()
    for d in deals:
        _check_deal_signature(d, keys, context)
        try:
            _check_deal_shape(d, n, t)
        except DealerFault:
            continue
        complete.add(d.dealer)
    shares, founded = _judge_all(complaints, "complaints", by_dealer, keys, context)
    return _Phase1(keys, by_dealer, tuple(sorted(complete - founded)), shares)


def qualified(
    n: int,
    t: int,
    transport_keys: Sequence[TransportKey],
    deals: Sequence[Deal],
    complaints: Sequence[ShareDisclosure],
    context: Sequence[Item],
) -> tuple[int, ...]:
    """QUAL: dealers with a complete, signed deal and no founded complaint."""
    return _judge_phase1(n, t, transport_keys, deals, complaints, context).qual


def _judge_phase2(
    p1: _Phase1,
    t: int,
    extractions: Sequence[Extraction],
    disclosures: Sequence[ShareDisclosure],
    context: Sequence[Item],
) -> tuple[dict[int, tuple[Element, ...]], dict[tuple[int, int], ReceivedShare]]:
    """Accepted Feldman commitments per dealer in QUAL, and every valid disclosed share."""
    _check_order([(e.dealer,) for e in extractions], "extractions")
    for e in extractions:
        if e.dealer not in p1.qual:
            raise InvalidDkg(f"dkg.extractions: dealer {e.dealer} is not in QUAL")
        _check_extraction_signature(e, p1.keys, context)
    for c in disclosures:
        if c.dealer not in p1.qual:
            raise InvalidDkg(f"dkg.disclosures: dealer {c.dealer} is not in QUAL")
    # QUAL is fixed: a phase-2 disclosure of a share failing Pedersen is only ignored.
    late, _ = _judge_all(disclosures, "disclosures", p1.deals, p1.keys, context)
    shares = {**p1.shares, **late}
    accepted: dict[int, tuple[Element, ...]] = {}
    for e in extractions:
        try:
            _check_extraction_body(e, t, context)
            for (dealer, _j), share in shares.items():
                if dealer == e.dealer:
                    check_feldman(share, e)
        except (DealerFault, InvalidShare):
            continue
        accepted[e.dealer] = e.commitments
    return accepted, shares


def to_reconstruct(
    n: int,
    t: int,
    transport_keys: Sequence[TransportKey],
    deals: Sequence[Deal],
    complaints: Sequence[ShareDisclosure],
    extractions: Sequence[Extraction],
    disclosures: Sequence[ShareDisclosure],
    context: Sequence[Item],
) -> tuple[int, ...]:
    """Dealers in QUAL whose shares every trustee must now disclose (bad or no extraction)."""
    p1 = _judge_phase1(n, t, transport_keys, deals, complaints, context)
    accepted, _ = _judge_phase2(p1, t, extractions, disclosures, context)
    return tuple(i for i in p1.qual if i not in accepted)


def _reconstruct(
    dealer: int, shares: Mapping[tuple[int, int], ReceivedShare], t: int
) -> tuple[Element, ...]:
    points = {j: s.value for (i, j), s in sorted(shares.items()) if i == dealer}
    if len(points) < t:
        raise InvalidDkg(
            f"dealer {dealer}: must be reconstructed, but only {len(points)} valid "
            f"shares are disclosed and t = {t} are needed"
        )
    chosen = {j: points[j] for j in sorted(points)[:t]}
    return tuple(group.base_mul(a) for a in _interpolate(chosen))


def _derive(tr: Transcript, context: Sequence[Item]) -> DkgResult:
    """Everything `verify_transcript` checks except the stated joint key."""
    p1 = _judge_phase1(tr.n, tr.t, tr.transport_keys, tr.deals, tr.complaints, context)
    if tr.qual != p1.qual:
        raise InvalidDkg(
            f"dkg.qual: the transcript says {list(tr.qual)}, but its deals and "
            f"complaints give {list(p1.qual)}"
        )
    if not p1.qual:
        raise InvalidDkg("dkg.qual: no dealer qualified")
    feldman, shares = _judge_phase2(p1, tr.t, tr.extractions, tr.disclosures, context)
    reconstructed = tuple(i for i in p1.qual if i not in feldman)
    for i in reconstructed:
        feldman[i] = _reconstruct(i, shares, tr.t)
    combined = [group.sum_elements([feldman[i][k] for i in p1.qual]) for k in range(tr.t)]
    keys = {j: _commitment_at(combined, j) for j in range(1, tr.n + 1)}
    return DkgResult(tr.t, p1.qual, combined[0], keys, reconstructed)


def assemble_transcript(
    n: int,
    t: int,
    transport_keys: Sequence[TransportKey],
    deals: Sequence[Deal],
    complaints: Sequence[ShareDisclosure],
    extractions: Sequence[Extraction],
    disclosures: Sequence[ShareDisclosure],
    context: Sequence[Item],
) -> Transcript:
    """The transcript of a ceremony whose messages went through a relay, with QUAL and the
    joint key derived from the public messages alone (a relay holds no secret). Messages
    are put in canonical order; raises `InvalidDkg` when they do not make a valid ceremony
    (e.g. a dealer to rebuild has fewer than t valid disclosed shares)."""
    keys = tuple(sorted(transport_keys, key=lambda k: k.trustee))
    ordered_deals = tuple(sorted(deals, key=lambda d: d.dealer))
    ordered_complaints = tuple(sorted(complaints, key=_pair))
    qual = qualified(n, t, keys, ordered_deals, ordered_complaints, context)
    partial = Transcript(
        n,
        t,
        keys,
        ordered_deals,
        ordered_complaints,
        qual,
        tuple(sorted(extractions, key=lambda e: e.dealer)),
        tuple(sorted(disclosures, key=_pair)),
        IDENTITY,
    )
    result = _derive(partial, context)
    return dataclasses.replace(partial, joint_public_key=result.joint_public_key)


def verify_transcript(tr: Transcript, context: Sequence[Item]) -> DkgResult:
    """Re-check a whole ceremony; raise `InvalidDkg` naming the trustee and the check."""
    result = _derive(tr, context)
    if result.joint_public_key != tr.joint_public_key:
        raise InvalidDkg("dkg.joint_public_key: not Σ A_i0 over the dealers in QUAL")
    return result


def secret_share(
    trustee: int,
    result: DkgResult,
    own: DealerSecret | None,
    received: Mapping[int, ReceivedShare],
) -> int:
    """x_j = Σ_{i∈QUAL} s_ij, checked against X_j = x_j·G."""
    x = 0
    for i in result.qual:
        if i == trustee:
            if own is None or own.dealer != trustee:
                raise ValueError(f"trustee {trustee} is in QUAL: pass its own dealer secret")
            x += dealer_share(own, trustee).value
        elif i in received:
            x += received[i].value
        else:
            raise InvalidDkg(f"trustee {trustee}: holds no share from dealer {i} in QUAL")
    x %= L
    if group.base_mul(x) != result.verification_keys[trustee]:
        raise InvalidDkg(f"trustee {trustee}: secret share does not match verification key X_j")
    return x


# --- All trustees in one process ----------------------------------------------------------


def _cheat(
    transport: TransportSecret,
    secret: DealerSecret,
    d: Deal,
    keys: Mapping[int, Element],
    context: Sequence[Item],
    rng: Rng,
) -> Deal:
    """The deal with the first other trustee's share replaced by a wrong one (re-signed)."""
    if not d.shares:
        raise ValueError(f"dealer {d.dealer} has nobody to send a bad share to")
    good = dealer_share(secret, d.shares[0].recipient)
    bad = dataclasses.replace(good, value=(good.value + 1) % L)
    shares = (_encrypt_share(bad, keys[bad.recipient], context, rng), *d.shares[1:])
    return _signed_deal(transport, d.commitments, shares, context, rng)


def run_ceremony(
    n: int,
    t: int,
    context: Sequence[Item],
    rng: Rng,
    bad_dealers: frozenset[int] = frozenset(),
    silent_in_phase2: frozenset[int] = frozenset(),
) -> tuple[Transcript, dict[int, int]]:
    """Play all n trustees (for `saylau simulate` and tests); return the transcript and
    every trustee's secret share x_j. Bad dealers send one wrong share; silent trustees send
    nothing in phase 2 (no extraction, no disclosure)."""
    _check_parameters(n, t)
    trustees = range(1, n + 1)
    transports: dict[int, TransportSecret] = {}
    transport_keys: list[TransportKey] = []
    for j in trustees:
        transports[j], key = make_transport_key(j, context, rng)
        transport_keys.append(key)
    keys = check_transport_keys(transport_keys, n, context)

    secrets: dict[int, DealerSecret] = {}
    deals: list[Deal] = []
    for i in trustees:
        secrets[i], d = deal(transports[i], n, t, transport_keys, context, rng)
        if i in bad_dealers:
            d = _cheat(transports[i], secrets[i], d, keys, context, rng)
        deals.append(d)

    received: dict[int, dict[int, ReceivedShare]] = {j: {} for j in trustees}
    complaints: list[ShareDisclosure] = []
    for d in deals:
        check_deal(d, n, t, keys, context)
        for j in trustees:
            if j != d.dealer:
                try:
                    received[j][d.dealer] = open_share(transports[j], d, context)
                except InvalidShare:
                    complaints.append(disclose(transports[j], d, context, rng))
    qual = qualified(n, t, transport_keys, deals, complaints, context)

    extractions = [
        extract(transports[i], secrets[i], context, rng) for i in qual if i not in silent_in_phase2
    ]
    disclosed = {(c.dealer, c.recipient) for c in complaints}
    disclosures: list[ShareDisclosure] = []

    def disclose_late(i: int, j: int) -> None:
        if j != i and j not in silent_in_phase2 and (i, j) not in disclosed:
            disclosed.add((i, j))
            disclosures.append(disclose(transports[j], deals[i - 1], context, rng))

    for e in extractions:
        for j in trustees:
            share = received[j].get(e.dealer)
            if share is None:
                continue
            try:
                check_feldman(share, e)
            except InvalidShare:
                disclose_late(e.dealer, j)
    board = (transport_keys, deals, complaints, extractions, sorted(disclosures, key=_pair))
    for i in to_reconstruct(n, t, *board, context):
        for j in trustees:
            disclose_late(i, j)

    public = (tuple(transport_keys), tuple(deals), tuple(complaints), qual, tuple(extractions))
    partial = Transcript(n, t, *public, tuple(sorted(disclosures, key=_pair)), IDENTITY)
    result = _derive(partial, context)
    transcript = dataclasses.replace(partial, joint_public_key=result.joint_public_key)
    shares = {j: secret_share(j, result, secrets[j], received[j]) for j in trustees}
    return transcript, shares


def _pair(c: ShareDisclosure) -> tuple[int, int]:
    return (c.dealer, c.recipient)
