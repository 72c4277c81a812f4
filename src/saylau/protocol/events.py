"""Bulletin-board events and the rules that decide which ballot counts.

Each leaf of the board log is the canonical JSON of one event:

- {"type": "open", "time": ms, "election": fingerprint}           — always leaf 0
- {"type": "cast", "time": ms, "ballot": {...}}                   — a credential's first ballot
- {"type": "revote", "time": ms, "replaces": code, "ballot": {...}} — replaces the credential's
  latest ballot, whose tracking code it names
- {"type": "paper_override", "time": ms, "credential": hex, "precinct": id}
  — the voter voted on paper; none of this credential's online ballots count
- {"type": "close", "time": ms}                                    — the last leaf

Times never decrease. The last ballot per credential counts, unless a paper override names the
credential. `BoardRules` applies events in order and reports each broken rule by leaf index.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from saylau.protocol.canonical import canonical_json

EVENT_TYPES = ("open", "cast", "revote", "paper_override", "close")


def open_event(fingerprint: bytes, time_ms: int) -> dict[str, Any]:
    return {"type": "open", "time": time_ms, "election": fingerprint.hex()}


def cast_event(ballot_raw: dict[str, Any], time_ms: int) -> dict[str, Any]:
    return {"type": "cast", "time": time_ms, "ballot": ballot_raw}


def revote_event(ballot_raw: dict[str, Any], replaces: str, time_ms: int) -> dict[str, Any]:
    return {"type": "revote", "time": time_ms, "replaces": replaces, "ballot": ballot_raw}


def paper_override_event(credential_hex: str, precinct: str, time_ms: int) -> dict[str, Any]:
    return {
        "type": "paper_override",
        "time": time_ms,
        "credential": credential_hex,
        "precinct": precinct,
    }


def close_event(time_ms: int) -> dict[str, Any]:
    return {"type": "close", "time": time_ms}


def leaf_bytes(event: dict[str, Any]) -> bytes:
    return canonical_json(event)


def ballot_leaf_bytes(ballot_json: bytes, time_ms: int, replaces: str | None = None) -> bytes:
    """canonical_json of a cast (or, with `replaces`, revote) event, built from the ballot's
    canonical JSON without parsing it again (keys in canonical order: ballot, replaces, time,
    type)."""
    if replaces is None:
        return b'{"ballot":%s,"time":%d,"type":"cast"}' % (ballot_json, time_ms)
    return b'{"ballot":%s,"replaces":%s,"time":%d,"type":"revote"}' % (
        ballot_json,
        canonical_json(replaces),
        time_ms,
    )


@dataclass(frozen=True, slots=True)
class LeafSummary:
    """What the rules need from one leaf (the ballot itself is checked elsewhere)."""

    index: int
    type: str
    time: int
    credential: str | None = None  # hex, for cast / revote / paper_override
    tracking_code: str | None = None  # for cast / revote
    replaces: str | None = None
    election: str | None = None  # for open


@dataclass
class BoardRules:
    fingerprint_hex: str
    problems: list[tuple[int, str]] = field(default_factory=list)
    latest: dict[str, tuple[int, str]] = field(default_factory=dict)  # cred → (leaf, code)
    overridden: dict[str, int] = field(default_factory=dict)
    closed_at: int | None = None
    last_time: int = -1
    seen: int = 0
    ballot_leaves: set[int] = field(default_factory=set)

    def apply(self, leaf: LeafSummary) -> None:
        def bad(msg: str) -> None:
            self.problems.append((leaf.index, msg))

        if leaf.index != self.seen:
            bad(f"leaf out of order: expected index {self.seen}")
        self.seen = leaf.index + 1
        if leaf.time < self.last_time:
            bad("time goes backwards")
        self.last_time = max(self.last_time, leaf.time)
        if self.closed_at is not None:
            bad(f"event after the close at leaf {self.closed_at}")
        if leaf.index == 0:
            if leaf.type != "open":
                bad("the first leaf must open the election")
            elif leaf.election != self.fingerprint_hex:
                bad("the open event names another election fingerprint")
            return
        if leaf.type == "open":
            bad("the election is opened twice")
        elif leaf.type == "close":
            self.closed_at = leaf.index
        elif leaf.type in ("cast", "revote"):
            cred = leaf.credential or ""
            if cred in self.overridden:
                bad(f"online ballot after the paper override at leaf {self.overridden[cred]}")
            prev = self.latest.get(cred)
            if leaf.type == "cast" and prev is not None:
                bad(
                    f"second 'cast' for a credential that voted at leaf {prev[0]} "
                    "(must be 'revote')"
                )
            if leaf.type == "revote":
                if prev is None:
                    bad("'revote' for a credential with no earlier ballot")
                elif leaf.replaces != prev[1]:
                    bad("'revote' does not name the credential's latest ballot")
            self.latest[cred] = (leaf.index, leaf.tracking_code or "")
            self.ballot_leaves.add(leaf.index)
        elif leaf.type == "paper_override":
            cred = leaf.credential or ""
            if cred in self.overridden:
                bad("second paper override for one credential")
            self.overridden[cred] = leaf.index
        else:
            bad(f"unknown event type {leaf.type!r}")

    def finish(self, size: int) -> None:
        if self.closed_at is None:
            self.problems.append((size, "the board was never closed"))

    def counted(self) -> dict[str, int]:
        """credential hex → leaf index of the ballot that counts."""
        return {c: i for c, (i, _) in self.latest.items() if c not in self.overridden}

    def superseded(self) -> set[int]:
        """Leaf indexes of ballots that do not count (replaced or overridden)."""
        counted = set(self.counted().values())
        return self.ballot_leaves - counted
