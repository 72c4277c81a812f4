"""The verifier's per-ballot work, run in worker processes: each worker reads a contiguous
chunk of leaves by byte offset, hashes every leaf, checks every ballot completely, and sums
the valid ones, so the main process (verify.py) only merges the chunks."""

from __future__ import annotations

from dataclasses import dataclass
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
from saylau.protocol.errors import InvalidRecord
from saylau.protocol.failures import Failure, code_of
from saylau.protocol.manifest import manifest_from_json
from saylau.protocol.tally import Aggregator, Sums

_W: dict[str, Any] = {}


def init_worker(
    leaves_path: str, manifest_raw: dict[str, Any], joint_key: bytes, creds: dict[bytes, str]
) -> None:
    manifest = manifest_from_json(manifest_raw)
    _W["path"] = leaves_path
    _W["ctx"] = ElectionContext.make(manifest, Element(joint_key))
    _W["creds"] = creds


@dataclass
class ChunkResult:
    start: int
    leaf_hashes: list[bytes]
    summaries: list[events.LeafSummary | None]
    failures: list[Failure]
    sums: Sums
    counts: dict[str, int]
    valid_ballots: set[int]


def _summary(index: int, ev: Any) -> tuple[events.LeafSummary, dict[str, Any] | None]:
    if not isinstance(ev, dict) or not isinstance(ev.get("type"), str):
        raise InvalidRecord("a leaf must be a JSON object with a 'type'")
    t = ev["type"]
    time_ms = ev.get("time")
    if not isinstance(time_ms, int) or isinstance(time_ms, bool) or time_ms < 0:
        raise InvalidRecord("'time' must be a non-negative integer (milliseconds)")
    if t in ("cast", "revote"):
        expected = {"type", "time", "ballot"} | ({"replaces"} if t == "revote" else set())
        if set(ev) != expected:
            raise InvalidRecord(f"a '{t}' leaf has exactly the fields {sorted(expected)}")
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
        if set(ev) != {"type", "time", "credential", "precinct"}:
            raise InvalidRecord("a 'paper_override' leaf has type, time, credential, precinct")
        if not isinstance(ev["precinct"], str) or not ev["precinct"]:
            raise InvalidRecord("'precinct' must be a non-empty string")
        return events.LeafSummary(index, t, time_ms, credential=str(ev["credential"])), None
    if t == "open":
        if set(ev) != {"type", "time", "election"}:
            raise InvalidRecord("an 'open' leaf has exactly type, time and election")
        return events.LeafSummary(index, t, time_ms, election=str(ev["election"])), None
    if t == "close" and set(ev) != {"type", "time"}:
        raise InvalidRecord("a 'close' leaf has exactly type and time")
    return events.LeafSummary(index, t, time_ms), None


def check_chunk(start: int, spans: list[tuple[int, int]]) -> ChunkResult:
    ctx: ElectionContext = _W["ctx"]
    creds: dict[bytes, str] = _W["creds"]
    agg = Aggregator(ctx.manifest)
    res = ChunkResult(start, [], [], [], {}, {}, set())
    with open(_W["path"], "rb") as f:
        for k, (offset, length) in enumerate(spans):
            index = start + k
            f.seek(offset)
            line = f.read(length)
            res.leaf_hashes.append(board.leaf_hash(line))
            try:
                ev = strict_loads(line)
                summary, raw = _summary(index, ev)
            except (ValueError, InvalidRecord) as e:
                res.summaries.append(None)
                res.failures.append(
                    Failure(
                        "board.leaf", f"leaf {index}", "board.malformed_leaf", {"detail": str(e)}
                    )
                )
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


def reload_ballot(spans: list[tuple[int, int]], index: int) -> Ballot:
    with open(_W["path"], "rb") as f:
        f.seek(spans[index][0])
        return ballot_from_json(strict_loads(f.read(spans[index][1]))["ballot"])
