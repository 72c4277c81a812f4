"""Named exceptions of the election protocol (the crypto ones live in saylau.crypto.errors)."""

from __future__ import annotations

from saylau.crypto.errors import SaylauCryptoError


class ProtocolError(SaylauCryptoError):
    """Base class of protocol-level failures."""


class InvalidManifest(ProtocolError):
    """A manifest that is malformed or breaks a contest rule."""


class InvalidBallot(ProtocolError):
    """A ballot that is malformed, not bound to this election, or whose proofs fail."""


class InvalidCredential(ProtocolError):
    """A credential that is malformed or not on the published list."""


class InvalidRecord(ProtocolError):
    """A record file that is missing, malformed or of an unknown schema version."""


class BoardCheckError(ProtocolError):
    """A board that a trustee must not decrypt for (tally_check.py); the subclass says why."""


class BoardNotClosed(BoardCheckError):
    """The board is not closed: voting is not over."""


class BoardMismatch(BoardCheckError):
    """The leaves do not form the tree the signed tree head commits to."""


class BoardForked(BoardMismatch):
    """The board is not an extension of a signed head seen elsewhere (a fork)."""


class InvalidBoard(BoardCheckError):
    """A leaf, a ballot or a board rule fails its check (the first failures are named)."""


class SumsMismatch(BoardCheckError):
    """The sums offered for decryption are not the sums of the counted ballots."""
