"""The voting domain's interface for the elections app, the paper app, views, the API and the
CLI. Everything here runs in the caller's transaction and changes nothing when it raises.

Board (decision 0002; call inside the elections app's transitions)::

    open_board(election, *, now=None) -> TreeHead        the `open` leaf (leaf 0)
    close_board(election, *, now=None) -> TreeHead       the `close` leaf + final stored head
    record_paper_vote(election, member_id, precinct, *, now=None) -> int   leaf index

For the tally and the record::

    counted_ballots(election) -> Iterator[Ballot]        last ballot per credential, no paper
    counted_ballot_json(election) -> Iterator[bytes]     the same as canonical JSON
    board_leaves(election) -> Iterator[bytes]            board/leaves.jsonl lines
    board_heads(election) -> Iterator[TreeHead]          board/heads.jsonl lines
    board_public_key(election) -> bytes                  election.json's board_public_key
    board_rules(election) -> protocol.events.BoardRules  the rules applied to the board

Voters::

    request_code(election, iin, phone, ip, *, now=None) -> ChallengeIssued
    verify_code(election, challenge, code, ip, *, now=None) -> SessionIssued
    session_member(election, token, *, now=None) -> int
    cast_ballot(election, member_id, body, *, now=None) -> CastResult
"""

from __future__ import annotations

from saylau.voting.board import (
    board_heads,
    board_key,
    board_leaves,
    board_public_key,
    board_rules,
    close_board,
    consistency_proof,
    counted_ballot_json,
    counted_ballots,
    head_at,
    inclusion_proof,
    info,
    open_board,
)
from saylau.voting.cast import CastResult, cast_ballot, record_paper_vote
from saylau.voting.network import Cluster, clusters, network_of
from saylau.voting.signin import (
    ChallengeIssued,
    SessionIssued,
    end_session,
    request_code,
    session_member,
    verify_code,
)

__all__ = [
    "CastResult",
    "ChallengeIssued",
    "Cluster",
    "SessionIssued",
    "board_heads",
    "board_key",
    "board_leaves",
    "board_public_key",
    "board_rules",
    "cast_ballot",
    "close_board",
    "clusters",
    "consistency_proof",
    "counted_ballot_json",
    "counted_ballots",
    "end_session",
    "head_at",
    "inclusion_proof",
    "info",
    "network_of",
    "open_board",
    "record_paper_vote",
    "request_code",
    "session_member",
    "verify_code",
]
