"""Where the tally and the record get the bulletin board from.

The `voting` app owns the board's tables (decision 0002). The elections app needs three
things from it, through `saylau.voting.services`:

    counted_ballots(election) -> Iterable[protocol.ballot.Ballot]
        the parsed ballots that count (the last per credential, none for a credential
        with a paper override), each verified when it was cast
    board_leaves(election)    -> Iterable[bytes]
        every leaf's exact bytes, in order (board/leaves.jsonl)
    board_heads(election)     -> Iterable[protocol.board.TreeHead]
        the stored signed tree heads, in order, the last covering every leaf
    published_receipts(election) -> Iterable[protocol.receipt.Receipt]   (optional)
        receipts that voters chose to publish (receipts.jsonl)
    open_board(election, now=...) / close_board(election, now=...)
        the `open` leaf (entering `open`) and the `close` leaf with the final signed head
        (entering `closed`), in the transition's transaction

`settings.SAYLAU_BOARD_SOURCE` names another implementation (a dotted path to a class with
these methods, or the class itself): the elections tests use a board built in memory with
the protocol's own functions, so they do not depend on the voting app's internals.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Iterable
from typing import Any, Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from saylau.elections.models import Election
from saylau.protocol.ballot import Ballot
from saylau.protocol.board import TreeHead
from saylau.protocol.receipt import Receipt

DEFAULT = "saylau.elections.board.VotingBoard"


class BoardSource(Protocol):
    def open_board(self, election: Election, *, now: dt.datetime) -> Any: ...
    def close_board(self, election: Election, *, now: dt.datetime) -> Any: ...
    def counted_ballots(self, election: Election) -> Iterable[Ballot]: ...
    def board_leaves(self, election: Election) -> Iterable[bytes]: ...
    def board_heads(self, election: Election) -> Iterable[TreeHead]: ...
    def published_receipts(self, election: Election) -> Iterable[Receipt]: ...


class VotingBoard:
    """The board the voting app keeps (saylau.voting.services)."""

    def _services(self) -> Any:
        return importlib.import_module("saylau.voting.services")

    def open_board(self, election: Election, *, now: dt.datetime) -> Any:
        return self._services().open_board(election, now=now)

    def close_board(self, election: Election, *, now: dt.datetime) -> Any:
        return self._services().close_board(election, now=now)

    def counted_ballots(self, election: Election) -> Iterable[Ballot]:
        return self._services().counted_ballots(election)  # type: ignore[no-any-return]

    def board_leaves(self, election: Election) -> Iterable[bytes]:
        return self._services().board_leaves(election)  # type: ignore[no-any-return]

    def board_heads(self, election: Election) -> Iterable[TreeHead]:
        return self._services().board_heads(election)  # type: ignore[no-any-return]

    def published_receipts(self, election: Election) -> Iterable[Receipt]:
        services = self._services()
        receipts = getattr(services, "published_receipts", None)
        return receipts(election) if receipts is not None else ()


def board_source() -> BoardSource:
    source = getattr(settings, "SAYLAU_BOARD_SOURCE", "") or DEFAULT
    if isinstance(source, str):
        source = import_string(source)
    return source()  # type: ignore[no-any-return]
