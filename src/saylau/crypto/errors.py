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
