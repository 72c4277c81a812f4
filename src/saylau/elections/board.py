"""Where the tally and the record get the bulletin board from: the board app
(`saylau.board.services`, beneath this app), or `settings.SAYLAU_BOARD_SOURCE` — a dotted path
to a class with `BoardSource`'s methods, or the class itself (the elections tests use a
board built in memory with the protocol's own functions).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from saylau.board import services as board
from saylau.elections.models import Election
from saylau.protocol.ballot import Ballot
from saylau.protocol.board import TreeHead
from saylau.protocol.receipt import Receipt

DEFAULT = "saylau.elections.board.BoardTables"


class BoardSource(Protocol):
    def open_board(self, election: Election, *, now: dt.datetime) -> Any: ...
    def close_board(self, election: Election, *, now: dt.datetime) -> Any: ...
    def counted_ballots(self, election: Election) -> Iterable[Ballot]: ...
    def board_leaves(self, election: Election) -> Iterable[bytes]: ...
    def board_heads(self, election: Election) -> Iterable[TreeHead]: ...
    def published_receipts(self, election: Election) -> Iterable[Receipt]: ...


class BoardTables:
    """The board the board app keeps."""

    def open_board(self, election: Election, *, now: dt.datetime) -> Any:
        return board.open_board(election, now=now)

    def close_board(self, election: Election, *, now: dt.datetime) -> Any:
        return board.close_board(election, now=now)

    def counted_ballots(self, election: Election) -> Iterable[Ballot]:
        return board.counted_ballots(election)

    def board_leaves(self, election: Election) -> Iterable[bytes]:
        return board.board_leaves(election)

    def board_heads(self, election: Election) -> Iterable[TreeHead]:
        return board.board_heads(election)

    def published_receipts(self, election: Election) -> Iterable[Receipt]:
        return ()  # no receipts are published yet


def board_source() -> BoardSource:
    source = getattr(settings, "SAYLAU_BOARD_SOURCE", "") or DEFAULT
    if isinstance(source, str):
        source = import_string(source)
    return source()  # type: ignore[no-any-return]
