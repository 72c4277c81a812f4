"""The tally against the record's counted ballots (docs/protocol.md §12.7).

`check_tally` checks the parsed `tally.json`: its trustee set, then for each district and
contest of the manifest the encrypted sums, every decryption share (one per listed trustee,
each with a valid proof) and the stated counts. It returns the verified counts, which
`results.json` is then held to (verify_results.py).
"""

from __future__ import annotations

from typing import Any

from saylau.crypto import dkg, threshold
from saylau.crypto.dlog import DlogTable
from saylau.crypto.errors import SaylauCryptoError
from saylau.protocol.ballot import ElectionContext
from saylau.protocol.failures import CodedError, Failure, code_of
from saylau.protocol.manifest import Contest
from saylau.protocol.tally import TALLY_SCHEMA, Aggregator, share_context, share_from_json
from saylau.protocol.verify_results import Counts, same_count

CHECKED = (SaylauCryptoError, KeyError, TypeError, ValueError, AttributeError)


def _trustees(out: list[Failure], tally: dict[str, Any], dkg_result: dkg.DkgResult) -> list[int]:
    """The listed trustees (none if the list is no array of integers); a wrong schema or an
    invalid trustee set is reported and the checks go on."""
    if tally.get("schema") != TALLY_SCHEMA:
        out.append(
            Failure("tally", "tally.json", "document.schema", {"schema": repr(TALLY_SCHEMA)})
        )
    trustees = tally.get("trustees")
    if not isinstance(trustees, list) or any(type(j) is not int for j in trustees):
        out.append(Failure("tally", "tally.json", "tally.trustees"))
        return []
    if len(set(trustees)) != len(trustees) or not set(trustees) <= set(
        dkg_result.verification_keys
    ):
        out.append(Failure("tally", "tally.json", "tally.trustees"))
    elif len(trustees) < dkg_result.t:
        out.append(
            Failure(
                "tally",
                "tally.json",
                "tally.too_few",
                {"trustees": len(trustees), "needed": dkg_result.t},
            )
        )
    return trustees


def _by_id(out: list[Failure], items: Any, item: str) -> dict[Any, Any] | None:
    """The objects of a tally array by their `id` (None, and a failure, if it is no array)."""
    if not isinstance(items, list):
        out.append(Failure("tally", item, "tally.not_array"))
        return None
    found: dict[Any, Any] = {}
    for x in items:
        if isinstance(x, dict) and isinstance(x.get("id"), str):
            if x["id"] in found:
                out.append(Failure("tally", f"{item} {x['id']}", "tally.repeated_id"))
            found.setdefault(x["id"], x)
    return found


class _Tally:
    def __init__(self, ctx: ElectionContext, agg: Aggregator, dkg_result: dkg.DkgResult) -> None:
        self.ctx, self.agg, self.dkg = ctx, agg, dkg_result
        self.trustees: list[int] = []
        self.failures: list[Failure] = []
        self.counts: Counts = {}

    def fail(self, check: str, item: str, code: str, **params: str | int) -> None:
        self.failures.append(Failure(check, item, code, params))

    def run(self, tally: Any) -> None:
        if not isinstance(tally, dict):
            self.fail("tally", "tally.json", "record.not_object", name="tally.json")
            return
        self.trustees = _trustees(self.failures, tally, self.dkg)
        by_id = _by_id(self.failures, tally.get("districts"), "tally.json districts")
        if by_id is None:
            return
        manifest = self.ctx.manifest
        for d in manifest.districts:
            if d.id not in by_id:
                self.fail("tally", f"district {d.id}", "tally.district_missing")
                continue
            self._district(d.id, by_id[d.id])
        for extra in sorted(set(by_id) - {d.id for d in manifest.districts}):
            self.fail("tally", f"district {extra}", "tally.extra")

    def _district(self, d: str, dc: dict[str, Any]) -> None:
        n_counted = self.agg.counts[d]
        if not same_count(dc.get("ballots_counted"), n_counted):
            self.fail(
                "tally.aggregate",
                f"district {d}",
                "tally.ballots_claimed",
                claimed=str(dc.get("ballots_counted")),
                counted=n_counted,
            )
        self.counts[d] = {"ballots_counted": n_counted, "contests": {}}
        by_id = _by_id(self.failures, dc.get("contests"), f"district {d} contests")
        if by_id is None:
            return
        table = DlogTable(n_counted)
        style = self.ctx.manifest.contests_for(d)
        for contest in style:
            cc = by_id.get(contest.id)
            options = cc.get("options") if cc is not None else None
            if not isinstance(options, list) or len(options) != len(contest.options):
                self.fail("tally", f"{d}/{contest.id}", "tally.options")
                continue
            self.counts[d]["contests"][contest.id] = self._contest(d, contest, options, table)
        for extra in sorted(set(by_id) - {c.id for c in style}):
            self.fail("tally", f"{d}/{extra}", "tally.extra")

    def _contest(
        self, d: str, contest: Contest, options: list[Any], table: DlogTable
    ) -> dict[str, int]:
        out: dict[str, int] = {}
        for j, (opt, doc) in enumerate(zip(contest.options, options, strict=True)):
            item = f"{d}/{contest.id}/{opt.id}"
            try:
                value = self._option(d, contest, j, doc, table, item)
            except CHECKED as e:
                self.failures.append(Failure("tally.decryption", item, *code_of(e)))
                continue
            if value is not None:
                out[opt.id] = value
        return out

    def _option(
        self, d: str, contest: Contest, j: int, doc: Any, table: DlogTable, item: str
    ) -> int | None:
        expected_id = contest.options[j].id
        if not isinstance(doc, dict) or doc.get("id") != expected_id:
            found = doc.get("id") if isinstance(doc, dict) else None
            raise CodedError(
                "tally.option_id", index=j, expected=repr(expected_id), found=repr(found)
            )
        ct = self.agg.sums[d][contest.id][j]
        if (doc.get("alpha"), doc.get("beta")) != (ct.alpha.hex(), ct.beta.hex()):
            self.fail("tally.aggregate", item, "tally.sum")
        shares = doc.get("shares")
        if not isinstance(shares, list):
            raise CodedError("tally.not_array")
        verified = {}
        share_ctx = share_context(self.ctx.fingerprint, d, contest.id, j)
        for k, s in enumerate(shares):
            share = share_from_json(s, f"{item}.shares[{k}]")
            vk = self.dkg.verification_keys.get(share.trustee)
            if vk is None or share.trustee not in self.trustees:
                raise CodedError("tally.share_trustee", trustee=share.trustee)
            if share.trustee in verified:
                raise CodedError("tally.share_twice", trustee=share.trustee)
            try:
                threshold.verify_decryption_share(share, vk, ct.alpha, share_ctx)
            except SaylauCryptoError as e:
                self.failures.append(
                    Failure("tally.decryption", f"{item} trustee {share.trustee}", *code_of(e))
                )
                return None
            verified[share.trustee] = share.share
        if set(verified) != set(self.trustees):
            raise CodedError("tally.share_set")
        combined = threshold.combine(verified, self.dkg.t)
        value = table.log(threshold.decrypt_with_shares(ct, combined))
        if not same_count(doc.get("count"), value):
            self.fail(
                "tally.count", item, "tally.count", claimed=str(doc.get("count")), value=value
            )
        return value


def check_tally(
    tally: Any, ctx: ElectionContext, agg: Aggregator, dkg_result: dkg.DkgResult
) -> tuple[Counts, list[Failure]]:
    """The verified counts per district, contest and option (an option whose decryption
    fails has none) and every failure of §12.7 for the parsed `tally.json`."""
    t = _Tally(ctx, agg, dkg_result)
    t.run(tally)
    return t.counts, t.failures
