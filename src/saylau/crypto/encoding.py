"""Text encodings of scalars and elements for JSON: lowercase hex, 64 characters.

Decoding checks everything: hex syntax, length, canonical scalar (< L), canonical group
element. Errors name the field (`what`) so a verifier can say exactly what is wrong.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from saylau.crypto.errors import InvalidElement, InvalidEncoding, InvalidScalar
from saylau.crypto.group import (
    Element,
    L,
    decode_element,
    decode_scalar,
    element_form,
    scalar_bytes,
)

_HEX = re.compile(r"[0-9a-f]*")


def element_hex(e: Element) -> str:
    return e.hex()


def scalar_hex(s: int) -> str:
    return scalar_bytes(s).hex()


def _hex32(text: object, what: str) -> bytes:
    if not isinstance(text, str):
        raise InvalidEncoding(f"{what}: expected a hex string")
    if len(text) != 64:
        raise InvalidEncoding(f"{what}: expected 64 hex characters, got {len(text)}")
    if not _HEX.fullmatch(text):
        raise InvalidEncoding(f"{what}: not lowercase hexadecimal")
    return bytes.fromhex(text)


def _hex32_fast(text: object) -> bytes | None:
    """The 32 bytes of 64 lowercase hex characters, or None (then `_hex32` says why).
    C calls only: a ballot has some eighty of these, and each one is parsed on every cast.
    `bytes.fromhex` also takes upper case and spaces; the round trip refuses those."""
    if type(text) is not str or len(text) != 64:
        return None
    try:
        b = bytes.fromhex(text)
    except ValueError:
        return None
    return b if b.hex() == text else None


def _element(text: object, what: str, decode: Callable[[bytes], Element]) -> Element:
    b = _hex32_fast(text) or _hex32(text, what)
    try:
        return decode(b)
    except InvalidElement as e:
        raise InvalidElement(f"{what}: {e}") from None


def element_from_hex(text: object, what: str = "element") -> Element:
    return _element(text, what, decode_element)


def element_form_from_hex(text: object, what: str = "element") -> Element:
    """As `element_from_hex` but without the check that the bytes are a group element
    (`group.element_form`: only for an element that goes through `group.mul` next)."""
    return _element(text, what, element_form)


def scalar_from_hex(text: object, what: str = "scalar") -> int:
    b = _hex32_fast(text)
    if b is not None:
        s = int.from_bytes(b, "little")
        if s < L:
            return s
    b = _hex32(text, what)
    try:
        return decode_scalar(b)
    except InvalidScalar as e:
        raise InvalidScalar(f"{what}: {e}") from None


def bytes_from_hex(text: object, length: int, what: str) -> bytes:
    """Fixed-length opaque bytes (hashes, Ed25519 keys and signatures)."""
    if not isinstance(text, str) or len(text) != 2 * length or not _HEX.fullmatch(text):
        raise InvalidEncoding(f"{what}: expected {2 * length} lowercase hex characters")
    return bytes.fromhex(text)
