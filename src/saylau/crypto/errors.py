"""Named exceptions raised by every check in `saylau.crypto` and `saylau.protocol`.

A check never returns False: it raises one of these, with a message naming what failed.
"""

from __future__ import annotations


class SaylauCryptoError(Exception):
    """Base class of every verification failure."""


class InvalidEncoding(SaylauCryptoError):
    """Bytes that are not the canonical encoding of a scalar or group element."""


class InvalidElement(InvalidEncoding):
    """Bytes that do not decode to a valid ristretto255 element."""


class InvalidScalar(InvalidEncoding):
    """Bytes that are not a canonical scalar (little-endian, < group order)."""


class InvalidProof(SaylauCryptoError):
    """A zero-knowledge proof that does not verify."""


class InvalidSignature(SaylauCryptoError):
    """A signature that does not verify."""


class InvalidShare(SaylauCryptoError):
    """A DKG share or decryption share that does not match its commitments."""


class DlogOutOfRange(SaylauCryptoError):
    """A decrypted value whose discrete log is outside the bounded table."""


class InvalidInclusion(SaylauCryptoError):
    """A Merkle inclusion proof that does not lead from a leaf to a board root."""


class InvalidConsistency(SaylauCryptoError):
    """A Merkle consistency proof that does not show an old board tree is a prefix of a new one."""


class InvalidTreeHead(SaylauCryptoError):
    """A signed tree head whose fields or board signature do not check out."""


class InvalidDkg(SaylauCryptoError):
    """A key-ceremony message or transcript that fails a check (named in the message)."""


class DealerFault(InvalidDkg):
    """An authentic (signed) dealer message that proves its dealer at fault.

    In phase 1 the dealer is left out of QUAL; in phase 2 its polynomial is reconstructed
    from disclosed shares. A verifier catches this one; any other `InvalidDkg` is fatal.
    """


class InsufficientShares(SaylauCryptoError):
    """Fewer decryption shares than the threshold t."""
