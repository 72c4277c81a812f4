"""Named exceptions of the election protocol (the crypto ones live in saylau.crypto.errors)."""

from __future__ import annotations

from saylau.crypto.errors import SaylauCryptoError


class ProtocolError(SaylauCryptoError):
    """Base class of protocol-level failures."""


class InvalidManifest(ProtocolError):
    """A manifest that is malformed or breaks a contest rule."""


class InvalidBallot(ProtocolError):
    """A ballot that is malformed, not bound to this election, or whose proofs fail.

    `code` names the check that failed (`BALLOT_CHECKS`); the message is English detail."""

    def __init__(self, message: str, code: str = "malformed") -> None:
        super().__init__(message)
        self.code = code


# The codes of InvalidBallot, in the order verify_ballot checks them.
BALLOT_CHECKS = (
    "malformed",  # not a well-formed ballot (shape, encoding, a non-element)
    "election",  # bound to another election fingerprint
    "credential",  # not on the list, or listed in another district
    "district",  # not one of the election's districts
    "contests",  # not the district's ballot style, or a contest's number of options
    "mark_proof",  # a 0/1 proof fails
    "range_proof",  # a contest's range proof fails
    "signature",  # the credential's signature fails
)


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
