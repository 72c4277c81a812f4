"""The board domain's interface for the apps above it (elections, voting), the API and the
CLI. The transitions (`open_board`, `close_board`) run in the caller's transaction.

    open_board(election, *, now=None) -> TreeHead       the `open` leaf (leaf 0)
    close_board(election, *, now=None) -> TreeHead      the `close` leaf + final stored head
    append_paper_vote(election, credential, precinct, *, now=None) -> int   leaf index
    counted_ballots / counted_ballot_json(election)     the ballots that count
    board_leaves / board_heads / board_rules / board_public_key(election)   for the record
    info / head_at / inclusion_proof / consistency_proof / leaves / leaf_lines   for the API
"""

from __future__ import annotations

from saylau.board.keys import (
    board_key,
    board_public_key,
    ensure_board_key,
    log_id,
    sign_head,
    to_ms,
)
from saylau.board.lifecycle import (
    append_paper_vote,
    close_board,
    open_board,
    open_state,
    voting_closed,
    voting_not_open,
)
from saylau.board.procedure import make_durable
from saylau.board.read import (
    BoardInfo,
    board_heads,
    board_leaves,
    consistency_proof,
    credential_leaves,
    has_tracking_code,
    head_at,
    inclusion_proof,
    info,
    leaf_by_code,
    leaf_lines,
    leaves,
)
from saylau.board.rules import (
    board_rules,
    counted_ballot_json,
    counted_ballots,
    paper_vote_precinct,
)
from saylau.board.store import read_state

__all__ = [
    "BoardInfo",
    "append_paper_vote",
    "board_heads",
    "board_key",
    "board_leaves",
    "board_public_key",
    "board_rules",
    "close_board",
    "consistency_proof",
    "counted_ballot_json",
    "counted_ballots",
    "credential_leaves",
    "ensure_board_key",
    "has_tracking_code",
    "head_at",
    "inclusion_proof",
    "info",
    "leaf_by_code",
    "leaf_lines",
    "leaves",
    "log_id",
    "make_durable",
    "open_board",
    "open_state",
    "paper_vote_precinct",
    "read_state",
    "sign_head",
    "to_ms",
    "voting_closed",
    "voting_not_open",
]
