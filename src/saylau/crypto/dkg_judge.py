"""Judging a key ceremony from its public messages alone: QUAL, the dealers to rebuild,
the joint key and every trustee's verification key; and a trustee's secret share."""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from saylau.crypto import group
from saylau.crypto.dkg_deal import (
    check_deal_shape,
    check_deal_signature,
    dealer_share,
    judge_disclosure,
)
from saylau.crypto.dkg_extract import (
    check_extraction_body,
    check_extraction_signature,
    check_feldman,
)
from saylau.crypto.dkg_messages import (
    Deal,
    DealerSecret,
    DkgResult,
    Extraction,
    ReceivedShare,
    ShareDisclosure,
    Transcript,
    TransportKey,
    check_parameters,
)
from saylau.crypto.dkg_transport import check_transport_keys
from saylau.crypto.errors import DealerFault, InvalidDkg, InvalidShare
from saylau.crypto.group import IDENTITY, Element, L
from saylau.crypto.hashing import Item
from saylau.crypto.polynomial import commitment_at, interpolate


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
    check_parameters(n, t)
    keys = check_transport_keys(transport_keys, n, context)
    _check_order([(d.dealer,) for d in deals], "deals")
    by_dealer = {d.dealer: d for d in deals}
    complete = set()
    for d in deals:
        check_deal_signature(d, keys, context)
        try:
            check_deal_shape(d, n, t)
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
        check_extraction_signature(e, p1.keys, context)
    for c in disclosures:
        if c.dealer not in p1.qual:
            raise InvalidDkg(f"dkg.disclosures: dealer {c.dealer} is not in QUAL")
    # QUAL is fixed: a phase-2 disclosure of a share failing Pedersen is only ignored.
    late, _ = _judge_all(disclosures, "disclosures", p1.deals, p1.keys, context)
    shares = {**p1.shares, **late}
    accepted: dict[int, tuple[Element, ...]] = {}
    for e in extractions:
        try:
            check_extraction_body(e, t, context)
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
    return tuple(group.base_mul(a) for a in interpolate(chosen))


def derive(tr: Transcript, context: Sequence[Item]) -> DkgResult:
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
    keys = {j: commitment_at(combined, j) for j in range(1, tr.n + 1)}
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
    ordered_complaints = tuple(sorted(complaints, key=pair))
    qual = qualified(n, t, keys, ordered_deals, ordered_complaints, context)
    partial = Transcript(
        n,
        t,
        keys,
        ordered_deals,
        ordered_complaints,
        qual,
        tuple(sorted(extractions, key=lambda e: e.dealer)),
        tuple(sorted(disclosures, key=pair)),
        IDENTITY,
    )
    result = derive(partial, context)
    return dataclasses.replace(partial, joint_public_key=result.joint_public_key)


def verify_transcript(tr: Transcript, context: Sequence[Item]) -> DkgResult:
    """Re-check a whole ceremony; raise `InvalidDkg` naming the trustee and the check."""
    result = derive(tr, context)
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


def pair(c: ShareDisclosure) -> tuple[int, int]:
    return (c.dealer, c.recipient)
