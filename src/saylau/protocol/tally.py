"""Homomorphic tally: sum the counted ballots per district and contest, decrypt the sums with
any t trustees' decryption shares, and read the counts off a bounded discrete-log table.

Decryption-share proofs use the context [fingerprint, district id, contest id, Index(option)].
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from saylau.crypto import elgamal, threshold
from saylau.crypto.dlog import DlogTable
from saylau.crypto.elgamal import ZERO, Ciphertext
from saylau.crypto.encoding import element_from_hex, element_hex, scalar_from_hex, scalar_hex
from saylau.crypto.hashing import Index, Item
from saylau.crypto.proofs import ChaumPedersenProof
from saylau.crypto.rand import Rng
from saylau.protocol.ballot import Ballot
from saylau.protocol.errors import InvalidRecord
from saylau.protocol.manifest import Manifest

TALLY_SCHEMA = "saylau-tally/1"
RESULTS_SCHEMA = "saylau-results/1"

Sums = dict[str, dict[str, list[Ciphertext]]]  # district → contest → per-option ciphertext


def share_context(fp: bytes, district: str, contest: str, option: int) -> list[Item]:
    return [fp, district, contest, Index(option)]


@dataclass
class Aggregator:
    """Running encrypted sums; mergeable, so chunks can be summed in separate processes."""

    manifest: Manifest
    sums: Sums = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for d in self.manifest.districts:
            self.sums.setdefault(
                d.id, {c.id: [ZERO] * len(c.options) for c in self.manifest.contests_for(d.id)}
            )
            self.counts.setdefault(d.id, 0)

    def add(self, ballot: Ballot, sign: int = 1) -> None:
        per_contest = self.sums[ballot.district]
        for enc in ballot.contests:
            acc = per_contest[enc.contest_id]
            for j, choice in enumerate(enc.choices):
                ct = choice.ct if sign > 0 else elgamal.negate(choice.ct)
                acc[j] = acc[j] + ct
        self.counts[ballot.district] += sign

    def merge(self, other_sums: Sums, other_counts: Mapping[str, int]) -> None:
        for d, contests in other_sums.items():
            for cid, cts in contests.items():
                acc = self.sums[d][cid]
                for j, ct in enumerate(cts):
                    acc[j] = acc[j] + ct
            self.counts[d] += other_counts[d]


def aggregate(manifest: Manifest, ballots: Iterable[Ballot]) -> Aggregator:
    agg = Aggregator(manifest)
    for b in ballots:
        agg.add(b)
    return agg


def sums_to_json(sums: Sums) -> dict[str, Any]:
    return {
        d: {
            c: [[element_hex(ct.alpha), element_hex(ct.beta)] for ct in cts]
            for c, cts in cs.items()
        }
        for d, cs in sums.items()
    }


def sums_from_json(obj: Mapping[str, Any]) -> Sums:
    return {
        d: {
            c: [Ciphertext(element_from_hex(a), element_from_hex(b)) for a, b in cts]
            for c, cts in cs.items()
        }
        for d, cs in obj.items()
    }


SharesFor = Callable[[str, str, int, Ciphertext], list[threshold.DecryptionShare]]


def tally_document(
    manifest: Manifest,
    sums: Sums,
    counts: Mapping[str, int],
    trustees: list[int],
    threshold_t: int,
    shares_for: SharesFor,
) -> dict[str, Any]:
    """Combine the decryption shares of `trustees` for every option sum, read each count off
    a dlog table bounded by the district's number of ballots, and return the tally document.
    `shares_for(district, contest, option index, ciphertext)` supplies the shares."""
    districts = []
    for d in manifest.districts:
        table = DlogTable(counts[d.id])
        contests = []
        for contest in manifest.contests_for(d.id):
            options = []
            for j, ct in enumerate(sums[d.id][contest.id]):
                shares = shares_for(d.id, contest.id, j, ct)
                combined = threshold.combine({s.trustee: s.share for s in shares}, threshold_t)
                count = table.log(threshold.decrypt_with_shares(ct, combined))
                options.append(
                    {
                        "id": contest.options[j].id,
                        "alpha": element_hex(ct.alpha),
                        "beta": element_hex(ct.beta),
                        "shares": [share_to_json(s) for s in shares],
                        "count": count,
                    }
                )
            contests.append({"id": contest.id, "options": options})
        districts.append({"id": d.id, "ballots_counted": counts[d.id], "contests": contests})
    return {"schema": TALLY_SCHEMA, "trustees": trustees, "districts": districts}


def decrypt_tally(
    fp: bytes,
    manifest: Manifest,
    agg: Aggregator,
    trustee_secrets: Mapping[int, int],
    threshold_t: int,
    rng: Rng,
) -> dict[str, Any]:
    """Decryption by the present trustees (in one process, as `saylau simulate` plays them)
    and the tally document with every share, proof and count."""
    present = sorted(trustee_secrets)
    if len(present) < threshold_t:
        raise ValueError(f"{len(present)} trustees present, {threshold_t} needed")
    use = present[:threshold_t]

    def shares_for(district: str, contest: str, j: int, ct: Ciphertext) -> list[Any]:
        ctx = share_context(fp, district, contest, j)
        return [threshold.decryption_share(t, trustee_secrets[t], ct.alpha, ctx, rng) for t in use]

    return tally_document(manifest, agg.sums, agg.counts, use, threshold_t, shares_for)


def share_to_json(s: threshold.DecryptionShare) -> dict[str, Any]:
    return {
        "trustee": s.trustee,
        "share": element_hex(s.share),
        "proof": {
            "challenge": scalar_hex(s.proof.challenge),
            "response": scalar_hex(s.proof.response),
        },
    }


def share_from_json(obj: Any, where: str) -> threshold.DecryptionShare:
    if not isinstance(obj, dict) or set(obj) != {"trustee", "share", "proof"}:
        raise InvalidRecord(f"{where}: expected trustee, share and proof")
    p = obj["proof"]
    if not isinstance(p, dict) or set(p) != {"challenge", "response"}:
        raise InvalidRecord(f"{where}.proof: expected challenge and response")
    if not isinstance(obj["trustee"], int) or isinstance(obj["trustee"], bool):
        raise InvalidRecord(f"{where}.trustee: expected an integer")
    return threshold.DecryptionShare(
        obj["trustee"],
        element_from_hex(obj["share"], f"{where}.share"),
        ChaumPedersenProof(
            scalar_from_hex(p["challenge"], f"{where}.proof.challenge"),
            scalar_from_hex(p["response"], f"{where}.proof.response"),
        ),
    )


def results_from_tally(tally: Mapping[str, Any]) -> dict[str, Any]:
    """The announced results: counts per district, contest and option."""
    return {
        "schema": RESULTS_SCHEMA,
        "districts": {
            d["id"]: {
                "ballots_counted": d["ballots_counted"],
                "contests": {
                    c["id"]: {o["id"]: o["count"] for o in c["options"]} for c in d["contests"]
                },
            }
            for d in tally["districts"]
        },
    }
