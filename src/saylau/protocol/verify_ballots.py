"""The per-ballot work of the verifier and of a trustee's board check, pure: `ChunkChecker`
takes a contiguous chunk of leaf bytes, hashes every leaf, checks every ballot completely,
and sums the valid ones; `check_leaves` has a LeafSource run it over every chunk (in this
process or a pool: the source decides), merges the chunks, applies the board rules and
takes out the ballots that do not count, so every ballot is parsed once. Used by verify.py
(a record's leaves) and by tally_check.py (the leaves a trustee downloads)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from saylau.crypto.errors import SaylauCryptoError
from saylau.crypto.group import Element
from saylau.protocol import board, events
from saylau.protocol.ballot import (
    Ballot,
    ElectionContext,
    ballot_from_json,
    tracking_code,
    verify_ballot,
)
from saylau.protocol.canonical import strict_loads
from saylau.protocol.credentials import CredentialList
from saylau.protocol.errors import InvalidRecord
from saylau.protocol.failures import CodedError, Failure, code_of
from saylau.protocol.leaves import LeafSource
from saylau.protocol.manifest import manifest_from_json
from saylau.protocol.tally import Aggregator, Sums

ProgressFn = Callable[[str, int, int], None]  # (stage, completed so far, total)


@dataclass
class ChunkResult:
    start: int
    leaf_hashes: list[bytes]
    summaries: list[events.LeafSummary | None]
    failures: list[Failure]
    sums: Sums
    counts: dict[str, int]
    valid_ballots: set[int]


LEAF_KEYS = {
    "open": {"election"},
    "cast": {"ballot"},
    "revote": {"ballot", "replaces"},
    "paper_override": {"credential", "precinct"},
    "close": set(),
}


def _summary(index: int, ev: Any) -> tuple[events.LeafSummary, dict[str, Any] | None]:
    if not isinstance(ev, dict) or not isinstance(ev.get("type"), str):
        raise CodedError("leaf.not_object")
    t = ev["type"]
    time_ms = ev.get("time")
    if not isinstance(time_ms, int) or isinstance(time_ms, bool) or time_ms < 0:
        raise CodedError("leaf.time")
    if t not in LEAF_KEYS:
        return events.LeafSummary(index, t, time_ms), None  # breaks the rules (§9.2)
    expected = {"type", "time"} | LEAF_KEYS[t]
    if set(ev) != expected:
        raise CodedError("leaf.keys", type=repr(t), keys=", ".join(sorted(expected)))
    for key in ("election", "credential", "precinct"):
        if key in ev and (not isinstance(ev[key], str) or not ev[key]):
            raise CodedError("leaf.string", key=repr(key))
    if t in ("cast", "revote"):
        raw = ev["ballot"]
        cred = raw.get("credential") if isinstance(raw, dict) else None
        return (
            events.LeafSummary(
                index,
                t,
                time_ms,
                cred if isinstance(cred, str) else "",
                tracking_code(raw),
                ev.get("replaces"),
            ),
            raw,
        )
    if t == "paper_override":
        return events.LeafSummary(index, t, time_ms, credential=ev["credential"]), None
    if t == "open":
        return events.LeafSummary(index, t, time_ms, election=ev["election"]), None
    return events.LeafSummary(index, t, time_ms), None


def check_chunk(
    ctx: ElectionContext, creds: dict[bytes, str], start: int, lines: Iterable[bytes]
) -> ChunkResult:
    """Hash, parse and check the leaves `lines`, the first of which is leaf `start`, and sum
    their valid ballots (`creds`: encoded public credential → district)."""
    agg = Aggregator(ctx.manifest)
    res = ChunkResult(start, [], [], [], {}, {}, set())
    for index, line in enumerate(lines, start):
        res.leaf_hashes.append(board.leaf_hash(line))
        try:
            ev = strict_loads(line, f"leaf {index}")
            summary, raw = _summary(index, ev)
        except (ValueError, InvalidRecord) as e:
            res.summaries.append(None)
            res.failures.append(Failure("board.leaf", f"leaf {index}", *code_of(e)))
            continue
        res.summaries.append(summary)
        if raw is None:
            continue
        code = summary.tracking_code or ""
        try:
            ballot = ballot_from_json(raw)
            verify_ballot(ctx, ballot, creds)  # type: ignore[arg-type]
        except (SaylauCryptoError, KeyError, TypeError, ValueError, AttributeError) as e:
            res.failures.append(Failure("ballot", f"leaf {index} ({code[:16]})", *code_of(e)))
            continue
        agg.add(ballot)
        res.valid_ballots.add(index)
    res.sums, res.counts = agg.sums, agg.counts
    return res


class ChunkChecker:
    """check_chunk for one election, as a picklable callable: a worker process receives the
    manifest, the joint key and the credentials once and builds the context on first use."""

    def __init__(
        self, manifest_raw: dict[str, Any], joint_key: bytes, creds: dict[bytes, str]
    ) -> None:
        self.manifest_raw = manifest_raw
        self.joint_key = joint_key
        self.creds = creds
        self._ctx: ElectionContext | None = None

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "_ctx": None}

    def context(self) -> ElectionContext:
        if self._ctx is None:
            manifest = manifest_from_json(self.manifest_raw)
            self._ctx = ElectionContext.make(manifest, Element(self.joint_key))
        return self._ctx

    def __call__(self, start: int, lines: Iterable[bytes]) -> ChunkResult:
        return check_chunk(self.context(), self.creds, start, lines)


def reload_ballot(leaves: LeafSource, index: int) -> Ballot:
    return ballot_from_json(strict_loads(leaves.leaf(index))["ballot"])


def credential_districts(creds: CredentialList) -> dict[bytes, str]:
    """Encoded public credential → its district (the first listing, if one is repeated)."""
    out: dict[bytes, str] = {}
    for d, lst in creds.districts.items():
        for c in lst:
            out.setdefault(bytes(c), d)
    return out


@dataclass
class LeavesCheck:
    """The leaves checked: their hashes in order, every failure (`board.leaf`, `ballot`,
    `board.rule`), the rules applied, and the sums over the counted valid ballots."""

    aggregator: Aggregator
    rules: events.BoardRules
    leaf_hashes: list[bytes] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    valid_ballots: set[int] = field(default_factory=set)


def check_leaves(
    leaves: LeafSource,
    ctx: ElectionContext,
    creds: CredentialList,
    *,
    chunk: int = 200,
    progress: ProgressFn | None = None,
) -> LeavesCheck:
    """Check every leaf of `leaves` (§12.4 of docs/protocol.md), chunk by chunk as the
    source runs them: hash it, parse it, check every ballot completely against `ctx` and the
    credential list, apply the board rules (§9.2) in order, and sum the counted ballots that
    pass (§10.1). Never raises on bad leaves: see `failures`."""
    report = progress or (lambda stage, done, total: None)
    rules = events.BoardRules(ctx.fingerprint.hex())
    out = LeavesCheck(Aggregator(ctx.manifest), rules)
    cred_map = credential_districts(creds)
    checker = ChunkChecker(ctx.manifest.raw, bytes(ctx.joint_public_key), cred_map)
    total = leaves.count
    report("ballots", 0, total)
    done = 0
    results: list[ChunkResult] = []
    for result in leaves.map_chunks(checker, chunk):
        results.append(result)
        done += len(result.leaf_hashes)
        report("ballots", done, total)
    cred_hex = {c.hex() for c in cred_map}
    for r in results:
        out.leaf_hashes += r.leaf_hashes
        out.failures += r.failures
        out.aggregator.merge(r.sums, r.counts)
        out.valid_ballots |= r.valid_ballots
        for summary in r.summaries:
            if summary is None:
                continue
            rules.apply(summary)
            if summary.type == "paper_override" and summary.credential not in cred_hex:
                out.failures.append(
                    Failure("board.rule", f"leaf {summary.index}", "board.unknown_credential")
                )
    rules.finish(total)
    for problem in rules.issues:
        out.failures.append(
            Failure("board.rule", f"leaf {problem.index}", problem.code, dict(problem.params))
        )
    for index in sorted(rules.superseded() & out.valid_ballots):
        out.aggregator.add(reload_ballot(leaves, index), sign=-1)
    return out
