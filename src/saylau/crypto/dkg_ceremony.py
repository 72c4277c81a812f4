"""All n trustees of a key ceremony played in one process (`saylau simulate`, the demo,
tests), honest or with chosen faults."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from saylau.crypto.dkg_deal import (
    check_deal,
    deal,
    dealer_share,
    disclose,
    encrypt_share,
    open_share,
    signed_deal,
)
from saylau.crypto.dkg_extract import check_feldman, extract
from saylau.crypto.dkg_judge import derive, pair, qualified, secret_share, to_reconstruct
from saylau.crypto.dkg_messages import (
    Deal,
    DealerSecret,
    Extraction,
    ReceivedShare,
    ShareDisclosure,
    Transcript,
    TransportKey,
    TransportSecret,
    check_parameters,
)
from saylau.crypto.dkg_transport import check_transport_keys, make_transport_key
from saylau.crypto.errors import InvalidShare
from saylau.crypto.group import IDENTITY, Element, L
from saylau.crypto.hashing import Item
from saylau.crypto.rand import Rng


def bad_deal(
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
    shares = (encrypt_share(bad, keys[bad.recipient], context, rng), *d.shares[1:])
    return signed_deal(transport, d.commitments, shares, context, rng)


@dataclass
class _Board:
    """What the trustees played in one process hold and publish, phase by phase."""

    n: int
    t: int
    context: Sequence[Item]
    rng: Rng
    transports: dict[int, TransportSecret] = field(default_factory=dict)
    transport_keys: list[TransportKey] = field(default_factory=list)
    secrets: dict[int, DealerSecret] = field(default_factory=dict)
    deals: list[Deal] = field(default_factory=list)
    received: dict[int, dict[int, ReceivedShare]] = field(default_factory=dict)
    complaints: list[ShareDisclosure] = field(default_factory=list)
    extractions: list[Extraction] = field(default_factory=list)
    disclosures: list[ShareDisclosure] = field(default_factory=list)

    @property
    def trustees(self) -> range:
        return range(1, self.n + 1)


def _phase1(b: _Board, bad_dealers: frozenset[int]) -> tuple[int, ...]:
    """Transport keys, deals (bad dealers send one wrong share), shares opened or disclosed
    as complaints; returns QUAL."""
    for j in b.trustees:
        b.transports[j], key = make_transport_key(j, b.context, b.rng)
        b.transport_keys.append(key)
    keys = check_transport_keys(b.transport_keys, b.n, b.context)
    for i in b.trustees:
        b.secrets[i], d = deal(b.transports[i], b.n, b.t, b.transport_keys, b.context, b.rng)
        if i in bad_dealers:
            d = bad_deal(b.transports[i], b.secrets[i], d, keys, b.context, b.rng)
        b.deals.append(d)
    b.received = {j: {} for j in b.trustees}
    for d in b.deals:
        check_deal(d, b.n, b.t, keys, b.context)
        for j in b.trustees:
            if j != d.dealer:
                try:
                    b.received[j][d.dealer] = open_share(b.transports[j], d, b.context)
                except InvalidShare:
                    b.complaints.append(disclose(b.transports[j], d, b.context, b.rng))
    return qualified(b.n, b.t, b.transport_keys, b.deals, b.complaints, b.context)


def _phase2(b: _Board, qual: tuple[int, ...], silent: frozenset[int]) -> None:
    """Extractions of the dealers in QUAL (silent trustees send nothing), disclosures of the
    shares that fail their Feldman check, then of every share of a dealer to rebuild."""
    b.extractions = [
        extract(b.transports[i], b.secrets[i], b.context, b.rng) for i in qual if i not in silent
    ]
    disclosed = {(c.dealer, c.recipient) for c in b.complaints}

    def disclose_late(i: int, j: int) -> None:
        if j != i and j not in silent and (i, j) not in disclosed:
            disclosed.add((i, j))
            b.disclosures.append(disclose(b.transports[j], b.deals[i - 1], b.context, b.rng))

    for e in b.extractions:
        for j in b.trustees:
            share = b.received[j].get(e.dealer)
            if share is None:
                continue
            try:
                check_feldman(share, e)
            except InvalidShare:
                disclose_late(e.dealer, j)
    board = (
        b.transport_keys,
        b.deals,
        b.complaints,
        b.extractions,
        sorted(b.disclosures, key=pair),
    )
    for i in to_reconstruct(b.n, b.t, *board, b.context):
        for j in b.trustees:
            disclose_late(i, j)


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
    check_parameters(n, t)
    b = _Board(n, t, context, rng)
    qual = _phase1(b, bad_dealers)
    _phase2(b, qual, silent_in_phase2)
    public = (tuple(b.transport_keys), tuple(b.deals), tuple(b.complaints), qual)
    partial = Transcript(
        n, t, *public, tuple(b.extractions), tuple(sorted(b.disclosures, key=pair)), IDENTITY
    )
    result = derive(partial, context)
    transcript = dataclasses.replace(partial, joint_public_key=result.joint_public_key)
    shares = {j: secret_share(j, result, b.secrets[j], b.received[j]) for j in b.trustees}
    return transcript, shares
