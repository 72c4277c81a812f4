"""The announced results against the verified counts (docs/protocol.md §12.8).

`results.json` must announce exactly what the record counted: the districts the tally
covered, each with exactly the contests of its ballot style and each contest with exactly the
manifest's options, nothing more and nothing less, and every count equal to the verified one.
A made-up option or contest is reported even if every real count is right.
"""

from __future__ import annotations

from typing import Any

from saylau.protocol.failures import Failure
from saylau.protocol.manifest import Manifest
from saylau.protocol.tally import RESULTS_SCHEMA

Counts = dict[str, Any]  # district → {"ballots_counted": n, "contests": {contest → {option → m}}}

CHECK = "results"
TOP_KEYS = {"schema", "districts"}
DISTRICT_KEYS = {"ballots_counted", "contests"}


def same_count(announced: Any, value: int) -> bool:
    """`announced` is the integer `value` (a JSON true is not 1)."""
    return type(announced) is int and announced == value


def _keys(out: list[Failure], obj: dict[str, Any], expected: set[str], item: str) -> None:
    for key in sorted(set(obj) - expected):
        out.append(Failure(CHECK, item, "results.extra_key", {"key": repr(key)}))
    for key in sorted(expected - set(obj)):
        out.append(Failure(CHECK, item, "results.missing_key", {"key": repr(key)}))


def _object(out: list[Failure], value: Any, item: str) -> bool:
    if isinstance(value, dict):
        return True
    out.append(Failure(CHECK, item, "results.not_object"))
    return False


def check_results(announced: Any, counts: Counts, manifest: Manifest) -> list[Failure]:
    """Every failure of §12.8 for the parsed `results.json` against the verified `counts`
    (districts the tally covered; options whose decryption failed have no count)."""
    out: list[Failure] = []
    if not _object(out, announced, "results.json"):
        return out
    if announced.get("schema") != RESULTS_SCHEMA:
        out.append(Failure(CHECK, "results.json", "results.schema"))
    _keys(out, announced, TOP_KEYS, "results.json")
    districts = announced.get("districts", {})
    if not _object(out, districts, "results.json districts"):
        return out
    for d, verified in counts.items():
        item = f"district {d}"
        if d not in districts:
            out.append(Failure(CHECK, item, "results.district_missing"))
            continue
        ad = districts[d]
        if not _object(out, ad, item):
            continue
        _keys(out, ad, DISTRICT_KEYS, item)
        if not same_count(ad.get("ballots_counted"), verified["ballots_counted"]):
            out.append(Failure(CHECK, item, "results.ballots"))
        contests = ad.get("contests", {})
        if _object(out, contests, f"{item} contests"):
            _district(out, d, contests, verified["contests"], manifest)
    for d in sorted(set(districts) - set(counts)):
        out.append(Failure(CHECK, f"district {d}", "results.extra_district"))
    return out


def _district(
    out: list[Failure],
    d: str,
    contests: dict[str, Any],
    verified: dict[str, dict[str, int]],
    manifest: Manifest,
) -> None:
    style = manifest.contests_for(d)
    for contest in style:
        item = f"{d}/{contest.id}"
        options = contests.get(contest.id)
        if options is None:
            out.append(Failure(CHECK, item, "results.contest_missing"))
            continue
        if not _object(out, options, item):
            continue
        counted = verified.get(contest.id, {})
        for opt in contest.options:
            oitem = f"{item}/{opt.id}"
            if opt.id not in options:
                out.append(Failure(CHECK, oitem, "results.option_missing"))
            elif opt.id in counted and not same_count(options[opt.id], counted[opt.id]):
                announced = options[opt.id]
                out.append(
                    Failure(
                        CHECK,
                        oitem,
                        "results.count",
                        {"announced": str(announced), "value": counted[opt.id]},
                    )
                )
        for oid in sorted(set(options) - {o.id for o in contest.options}):
            out.append(Failure(CHECK, f"{item}/{oid}", "results.extra_option"))
    for cid in sorted(set(contests) - {c.id for c in style}):
        out.append(Failure(CHECK, f"{d}/{cid}", "results.extra_contest"))
