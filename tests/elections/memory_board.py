"""A bulletin board kept in memory and built with the protocol's own functions (events.py,
board.py), standing in for the voting app's board in the elections tests (see
saylau.elections.board: SAYLAU_BOARD_SOURCE). It plays the server's board role only."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from saylau.elections import services
from saylau.protocol import board, events
from saylau.protocol.ballot import Ballot, ballot_from_json
from saylau.protocol.canonical import canonical_json

HEAD_EVERY = 4


def ms(moment: dt.datetime) -> int:
    return int(moment.timestamp() * 1000)


@dataclass
class Log:
    key: board.BoardKey
    fingerprint: bytes
    leaves: list[bytes] = field(default_factory=list)
    heads: list[board.TreeHead] = field(default_factory=list)
    merkle: board.MerkleLog = field(default_factory=board.MerkleLog)
    latest: dict[str, str] = field(default_factory=dict)  # credential → tracking code
    overridden: set[str] = field(default_factory=set)
    last_time: int = 0
    closed: bool = False

    def append(self, leaf: bytes, at: int) -> int:
        self.leaves.append(leaf)
        self.merkle.append(leaf)
        self.last_time = at
        if self.merkle.size % HEAD_EVERY == 0:
            self.sign(at)
        return self.merkle.size - 1

    def sign(self, at: int) -> None:
        if self.heads and self.heads[-1].tree_size == self.merkle.size:
            return
        root = self.merkle.root()
        self.heads.append(
            board.sign_tree_head(self.key, self.fingerprint, self.merkle.size, at, root)
        )

    def time(self, now: dt.datetime | None) -> int:
        return max(self.last_time, ms(now or dt.datetime.now(dt.UTC)))


class MemoryBoard:
    logs: dict[str, Log] = {}

    @classmethod
    def reset(cls) -> None:
        cls.logs.clear()

    @classmethod
    def log(cls, election) -> Log:
        return cls.logs[election.slug]

    def open_board(self, election, *, now):
        fp = bytes.fromhex(election.fingerprint)
        log = Log(services.board_key(election), fp)
        self.logs[election.slug] = log
        at = log.time(now)
        log.append(events.leaf_bytes(events.open_event(fp, at)), at)

    def close_board(self, election, *, now):
        log = self.log(election)
        at = log.time(now)
        log.append(events.leaf_bytes(events.close_event(at)), at)
        log.sign(at)
        log.closed = True

    @classmethod
    def cast(cls, election, ballot: Ballot, now: dt.datetime | None = None) -> int:
        """Append a ballot (the caller verified it); cast or revote as the rule says."""
        log = cls.log(election)
        if log.closed:
            raise AssertionError("the board is closed")
        at = log.time(now)
        credential = ballot.credential.hex()
        blob = canonical_json(ballot.raw)
        index = log.append(events.ballot_leaf_bytes(blob, at, log.latest.get(credential)), at)
        log.latest[credential] = ballot.tracking_code
        return index

    @classmethod
    def paper_vote(cls, election, credential_hex: str, now: dt.datetime | None = None) -> None:
        log = cls.log(election)
        at = log.time(now)
        log.append(events.leaf_bytes(events.paper_override_event(credential_hex, "p-1", at)), at)
        log.overridden.add(credential_hex)

    def counted_ballots(self, election):
        log = self.log(election)
        counted = {code for cred, code in log.latest.items() if cred not in log.overridden}
        for leaf in log.leaves:
            event = json.loads(leaf)
            ballot = event.get("ballot")
            if ballot is not None:
                parsed = ballot_from_json(ballot)
                if parsed.tracking_code in counted:
                    yield parsed

    def board_leaves(self, election):
        return list(self.log(election).leaves)

    def board_heads(self, election):
        return list(self.log(election).heads)

    def published_receipts(self, election):
        return ()
