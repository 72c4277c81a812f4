"""The board's signing key, its log id and its signed heads.

The head of size n is a function of the board (timestamp = time of leaf n-1, root = MTH(n))
and Ed25519 signatures are deterministic: a receipt's head, a stored head and the head the
board page shows for that size are the same bytes.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import secrets
from typing import Any, Protocol

from django.utils import timezone
from django.utils.translation import gettext as _

from saylau.board.errors import BoardError
from saylau.protocol.board import BoardKey, TreeHead, sign_tree_head


class Owner(Protocol):
    """What the board needs of its election (an `elections.Election`)."""

    pk: Any
    slug: str
    fingerprint: str  # hex of the election fingerprint: the log's id
    board_seed: str
    board_public_key: str


def to_ms(moment: dt.datetime | None = None) -> int:
    return int((moment or timezone.now()).timestamp() * 1000)


def _env_seed(election: Owner) -> str:
    name = "SAYLAU_BOARD_SEED_" + "".join(ch if ch.isalnum() else "_" for ch in election.slug)
    return os.environ.get(name.upper(), "").strip()


@functools.lru_cache(maxsize=64)
def _key_from_seed(seed_hex: str) -> BoardKey:
    return BoardKey.from_seed(bytes.fromhex(seed_hex))


def board_key(election: Owner) -> BoardKey:
    """The board's signing key: SAYLAU_BOARD_SEED_<SLUG> (hex) if set, else the stored seed."""
    seed = _env_seed(election) or election.board_seed
    if not seed:
        raise BoardError(_("The bulletin board of this election has no signing key yet."))
    return _key_from_seed(seed)


def ensure_board_key(election: Owner) -> BoardKey:
    """Make the board key if the election has none, and record its public half."""
    if not (_env_seed(election) or election.board_seed):
        election.board_seed = secrets.token_bytes(32).hex()
    key = board_key(election)
    election.board_public_key = key.public.hex()
    type(election)._default_manager.filter(pk=election.pk).update(  # type: ignore[attr-defined]
        board_seed=election.board_seed, board_public_key=election.board_public_key
    )
    return key


@functools.lru_cache(maxsize=64)
def _log_id(fingerprint_hex: str) -> bytes:
    return bytes.fromhex(fingerprint_hex)


def log_id(election: Owner) -> bytes:
    """The log's id in signed heads: the election fingerprint (fixed with the joint key)."""
    if not election.fingerprint:
        raise BoardError(_("The bulletin board of this election has no signing key yet."))
    return _log_id(election.fingerprint)


def sign_head(election: Owner, size: int, timestamp: int, root: bytes) -> TreeHead:
    return sign_tree_head(board_key(election), log_id(election), size, timestamp, root)


def board_public_key(election: Owner) -> bytes:
    return board_key(election).public
