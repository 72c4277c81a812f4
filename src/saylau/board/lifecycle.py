"""The board's first and last leaves, and a paper vote's leaf: each under the board lock, in
the caller's transaction (the elections app's transitions, the paper vote)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from saylau.board.errors import BoardError, VotingClosed, VotingNotOpen
from saylau.board.keys import Owner, ensure_board_key, log_id, sign_head
from saylau.board.models import BoardState, LeafKind
from saylau.board.rules import paper_vote_precinct
from saylau.board.store import LeafRow, append_leaf, leaf_time, lock_state, store_head
from saylau.protocol import events
from saylau.protocol.board import TreeHead


def open_state(election: Owner) -> BoardState:
    """The locked state of a board that takes leaves now; else VotingNotOpen/VotingClosed."""
    state = lock_state(election)
    if state is None or not state.size:
        raise voting_not_open()
    if state.closed:
        raise voting_closed()
    return state


def voting_not_open() -> VotingNotOpen:
    return VotingNotOpen(_("Voting in this election has not opened yet."))


def voting_closed() -> VotingClosed:
    return VotingClosed(_("Voting in this election has closed."))


@transaction.atomic
def open_board(election: Owner, *, now: dt.datetime | None = None) -> TreeHead:
    """Start the board with its `open` leaf (leaf 0), once the fingerprint is fixed."""
    fingerprint = log_id(election)
    ensure_board_key(election)
    BoardState.objects.get_or_create(election_id=election.pk)
    state = lock_state(election)
    if state is None or state.size:
        raise BoardError(_("The bulletin board of this election is already open."))
    time_ms = leaf_time(state, now)
    data = events.leaf_bytes(events.open_event(fingerprint, time_ms))
    added = append_leaf(election, state, LeafRow(data, LeafKind.OPEN, time_ms))
    return sign_head(election, added.index + 1, added.time, added.root)


@transaction.atomic
def close_board(election: Owner, *, now: dt.datetime | None = None) -> TreeHead:
    """Append the `close` leaf and store the final signed head (the record's last head)."""
    state = lock_state(election)
    if state is None or not state.size:
        raise BoardError(_("The bulletin board of this election was never opened."))
    if state.closed:
        raise BoardError(_("The bulletin board of this election is already closed."))
    time_ms = leaf_time(state, now)
    data = events.leaf_bytes(events.close_event(time_ms))
    added = append_leaf(election, state, LeafRow(data, LeafKind.CLOSE, time_ms))
    state.closed = True
    state.save(update_fields=["closed"])
    head = sign_head(election, added.index + 1, added.time, added.root)
    store_head(election, head)
    return head


def append_paper_vote(
    election: Owner, credential: str, precinct: str, *, now: dt.datetime | None = None
) -> int:
    """Under the lock, in the caller's transaction: the credential's `paper_override` leaf
    naming `precinct`; its index. BoardError if the credential's paper vote is there."""
    if not precinct or len(precinct) > 64:
        raise BoardError(_("A precinct identifier has 1 to 64 characters."))
    state = open_state(election)
    if paper_vote_precinct(election, credential) is not None:
        raise BoardError(_("This member's paper vote is already on the board."))
    time_ms = leaf_time(state, now)
    data = events.leaf_bytes(events.paper_override_event(credential, precinct, time_ms))
    row = LeafRow(data, LeafKind.PAPER_OVERRIDE, time_ms, credential=credential)
    return append_leaf(election, state, row).index
