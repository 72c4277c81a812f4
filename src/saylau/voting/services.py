"""The voting domain's interface for the paper app, views, the API and the CLI. Everything
here runs in the caller's transaction and changes nothing when it raises.

The board's functions are the board app's (`saylau.board.services`), named here too for the
voting app's callers::

    open_board, close_board, counted_ballots, counted_ballot_json, board_leaves,
    board_heads, board_public_key, board_rules, board_key, head_at, info, inclusion_proof,
    consistency_proof
    record_paper_vote(election, member_id, precinct, *, now=None) -> int   leaf index

Voters::

    request_code(election, iin, phone, ip, *, now=None) -> ChallengeIssued
    verify_code(election, challenge, code, ip, *, now=None) -> SessionIssued
    session_member(election, token, *, now=None) -> int
    cast_ballot(election, member_id, body, *, now=None) -> CastResult
"""

from __future__ import annotations

from saylau.board.services import (
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
