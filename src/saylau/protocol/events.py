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
from saylau.protocol.failures import Params, render

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


@dataclass(frozen=True, slots=True)
class RuleProblem:
    """A broken board rule: the leaf, a code of saylau.protocol.failures and its parameters."""

    index: int
    code: str
    params: Params

    @property
    def message(self) -> str:
        return render(self.code, self.params)


@dataclass
class BoardRules:
    fingerprint_hex: str
    issues: list[RuleProblem] = field(default_factory=list)
    latest: dict[str, tuple[int, str]] = field(default_factory=dict)  # cred → (leaf, code)
    overridden: dict[str, int] = field(default_factory=dict)
    closed_at: int | None = None
    last_time: int = -1
    seen: int = 0
    ballot_leaves: set[int] = field(default_factory=set)

    @property
    def problems(self) -> list[tuple[int, str]]:
        """(leaf index, English message) of every rule broken so far."""
        return [(p.index, p.message) for p in self.issues]

    def apply(self, leaf: LeafSummary) -> None:
        def bad(code: str, **params: str | int) -> None:
            self.issues.append(RuleProblem(leaf.index, code, params))

        if leaf.index != self.seen:
            bad("rule.order", expected=self.seen)
        self.seen = leaf.index + 1
        if leaf.time < self.last_time:
            bad("rule.time")
        self.last_time = max(self.last_time, leaf.time)
        if self.closed_at is not None:
            bad("rule.after_close", leaf=self.closed_at)
        if leaf.index == 0:
            if leaf.type != "open":
                bad("rule.first_open")
            elif leaf.election != self.fingerprint_hex:
                bad("rule.open_fingerprint")
            return
        if leaf.type == "open":
            bad("rule.open_twice")
        elif leaf.type == "close":
            self.closed_at = leaf.index
        elif leaf.type in ("cast", "revote"):
            cred = leaf.credential or ""
            if cred in self.overridden:
                bad("rule.after_paper", leaf=self.overridden[cred])
            prev = self.latest.get(cred)
            if leaf.type == "cast" and prev is not None:
                bad("rule.second_cast", leaf=prev[0])
            if leaf.type == "revote":
                if prev is None:
                    bad("rule.revote_first")
                elif leaf.replaces != prev[1]:
                    bad("rule.revote_latest")
            self.latest[cred] = (leaf.index, leaf.tracking_code or "")
            self.ballot_leaves.add(leaf.index)
        elif leaf.type == "paper_override":
            cred = leaf.credential or ""
            if cred in self.overridden:
                bad("rule.paper_twice")
            self.overridden[cred] = leaf.index
        else:
            bad("rule.unknown_type", type=repr(leaf.type))

    def finish(self, size: int) -> None:
        if self.closed_at is None:
            self.issues.append(RuleProblem(size, "rule.never_closed", {}))

    def counted(self) -> dict[str, int]:
        """credential hex → leaf index of the ballot that counts."""
        return {c: i for c, (i, _) in self.latest.items() if c not in self.overridden}

    def superseded(self) -> set[int]:
        """Leaf indexes of ballots that do not count (replaced or overridden)."""
        counted = set(self.counted().values())
        return self.ballot_leaves - counted
