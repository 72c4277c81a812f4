"""The ristretto255 group (RFC 9496) over libsodium, through pysodium.

Scalars are Python ints in [0, L). Elements are their 32-byte canonical encodings
(`Element`, a bytes alias), which is what libsodium consumes and produces. Every element
that comes from outside goes through `decode_element`, which rejects anything that is not
the canonical encoding of a group element; scalars from outside go through `decode_scalar`.

The one exception is `element_form` (decision 0016): 32 bytes with bit 255 clear, for a
caller that computes with the element at once. libsodium decodes every element it is given,
exactly as `decode_element` does, and refuses one that is not; `mul`, `add` and `sub` turn
that refusal into `InvalidElement`, and `mul` checks its element even when the scalar is
zero (no multiplication needed), so an element `mul` has taken is an element.

libsodium 1.0.18 raises when a scalar multiplication yields the identity (zero scalar, or
the identity as input); the group has prime order, so s·P is the identity exactly when
s = 0 or P is the identity, and we return IDENTITY for those cases without calling it.
"""

from __future__ import annotations

from typing import NewType

import pysodium

from saylau.crypto.errors import InvalidElement, InvalidScalar

Element = NewType("Element", bytes)

#: Order of the prime-order group: 2^252 + 27742317777372353535851937790883648493.
L = 2**252 + 27742317777372353535851937790883648493

ELEMENT_BYTES = 32
SCALAR_BYTES = 32

IDENTITY = Element(bytes(32))
#: The standard ristretto255 generator (RFC 9496, section 4.4).
GENERATOR = Element(
    bytes.fromhex("e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76")
)

_sodium = pysodium.sodium
_is_valid = _sodium.crypto_core_ristretto255_is_valid_point
_scalarmult = pysodium.crypto_scalarmult_ristretto255
_scalarmult_base = pysodium.crypto_scalarmult_ristretto255_base
_add = pysodium.crypto_core_ristretto255_add
_sub = pysodium.crypto_core_ristretto255_sub


def scalar_bytes(s: int) -> bytes:
    """Canonical 32-byte little-endian encoding of a scalar."""
    return (s % L).to_bytes(32, "little")


def decode_scalar(b: bytes) -> int:
    """Decode a canonical scalar; raise `InvalidScalar` if not 32 bytes or not < L."""
    if not isinstance(b, bytes | bytearray) or len(b) != SCALAR_BYTES:
        raise InvalidScalar("a scalar must be 32 bytes")
    s = int.from_bytes(b, "little")
    if s >= L:
        raise InvalidScalar("scalar is not reduced modulo the group order")
    return s


def decode_element(b: bytes) -> Element:
    """Check that `b` is the canonical encoding of a ristretto255 element.

    The identity (32 zero bytes) is a valid element. Raises `InvalidElement`.
    """
    if not isinstance(b, bytes | bytearray) or len(b) != ELEMENT_BYTES:
        raise InvalidElement("a group element must be 32 bytes")
    b = bytes(b)
    # libsodium 1.0.18's is_valid_point ignores bit 255; RFC 9496 (and @noble/curves)
    # reject any encoding with it set, so every element has exactly one accepted encoding.
    if b[31] & 0x80:
        raise InvalidElement("not a canonical ristretto255 encoding (bit 255 set)")
    if b == IDENTITY:
        return IDENTITY
    if _is_valid(b) != 1:
        raise InvalidElement("not a canonical ristretto255 encoding")
    return Element(b)


def element_form(b: bytes) -> Element:
    """32 bytes with bit 255 clear: the form of an element, not yet the check that it is
    one — for a caller whose every such element goes through `mul` next (decision 0016).
    Raises `InvalidElement`."""
    if type(b) is not bytes or len(b) != ELEMENT_BYTES or b[31] & 0x80:
        return decode_element(b)  # raises, naming what is wrong (or copies a bytearray)
    return Element(b)


def _not_an_element() -> InvalidElement:
    return InvalidElement("not a canonical ristretto255 encoding")


def base_mul(s: int) -> Element:
    """s·G for the standard generator G."""
    s %= L
    if s == 0:
        return IDENTITY
    return Element(_scalarmult_base(s.to_bytes(32, "little")))


def mul(s: int, p: Element) -> Element:
    """s·P. Raises `InvalidElement` if P is not an element, whatever s is."""
    s %= L
    if p == IDENTITY:
        return IDENTITY
    if s == 0:
        if _is_valid(p) != 1:
            raise _not_an_element()
        return IDENTITY
    if p == GENERATOR:
        return Element(_scalarmult_base(s.to_bytes(32, "little")))
    try:
        return Element(_scalarmult(s.to_bytes(32, "little"), p))
    except ValueError:  # libsodium's decoding refused p (s·P is never the identity here)
        raise _not_an_element() from None


def add(p: Element, q: Element) -> Element:
    """P + Q. Raises `InvalidElement` if libsodium refuses P or Q (an operand added to the
    identity is returned as it is, unchecked)."""
    if p == IDENTITY:
        return q
    if q == IDENTITY:
        return p
    try:
        return Element(_add(p, q))
    except ValueError:
        raise _not_an_element() from None


def sub(p: Element, q: Element) -> Element:
    """P − Q. Raises `InvalidElement` if libsodium refuses P or Q (P is returned unchecked
    when Q is the identity)."""
    if q == IDENTITY:
        return p
    try:
        return Element(_sub(p, q))
    except ValueError:
        raise _not_an_element() from None


def neg(p: Element) -> Element:
    """−P."""
    return sub(IDENTITY, p)


def sum_elements(points: list[Element]) -> Element:
    """Σ P_i (IDENTITY for an empty list)."""
    acc = IDENTITY
    for p in points:
        acc = add(acc, p)
    return acc


def from_uniform_bytes(b: bytes) -> Element:
    """The RFC 9496 one-way map (section 4.3.4) from 64 uniform bytes to an element."""
    if len(b) != 64:
        raise ValueError("the ristretto255 map takes 64 bytes")
    return Element(pysodium.crypto_core_ristretto255_from_hash(b))


def check_scalar(s: int, what: str = "scalar") -> int:
    """Raise InvalidScalar unless 0 ≤ s < L (for integers handed to verifiers directly)."""
    if not isinstance(s, int) or not 0 <= s < L:
        raise InvalidScalar(f"{what}: not a scalar in [0, L)")
    return s


def inv(s: int) -> int:
    """Multiplicative inverse modulo L (s must be non-zero)."""
    if s % L == 0:
        raise ZeroDivisionError("zero has no inverse modulo L")
    return pow(s, -1, L)
