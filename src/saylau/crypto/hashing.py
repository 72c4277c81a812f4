"""Domain-separated hashing: item framing, RFC 9380 expand_message_xmd, hash-to-scalar and
hash-to-element for ristretto255.

Every hash in saylau takes a domain-separation tag (DST, ASCII, starting "saylau-v1/") and a
list of items. The items are framed unambiguously (`frame`): each item becomes a 4-byte
big-endian length followed by its bytes, where

- bytes are taken as they are (group elements: their 32-byte encoding),
- str is UTF-8,
- int (always ≥ 0) is 8 bytes big-endian when it is an index or count (`Index`), and
  32 bytes little-endian when it is a scalar (`Scalar`) — use the wrappers to say which.

hash_to_scalar(dst, items) = int_le(expand_message_xmd_sha512(frame(items), dst, 64)) mod L.
hash_to_element(dst, msg)  = RFC 9380 hash_to_ristretto255 (suite
ristretto255_XMD:SHA-512_R255MAP_RO_): map(expand_message_xmd_sha512(msg, dst, 64)).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from saylau.crypto.group import Element, L, from_uniform_bytes, scalar_bytes

DST_PREFIX = "saylau-v1/"


@dataclass(frozen=True, slots=True)
class Index:
    """A non-negative integer framed as 8 bytes big-endian."""

    value: int


@dataclass(frozen=True, slots=True)
class Scalar:
    """A scalar framed as its 32-byte little-endian canonical encoding."""

    value: int


Item = bytes | str | Index | Scalar


def _item_bytes(item: Item) -> bytes:
    if isinstance(item, bytes):
        return item
    if isinstance(item, str):
        return item.encode("utf-8")
    if isinstance(item, Index):
        if item.value < 0:
            raise ValueError("an index must be non-negative")
        return item.value.to_bytes(8, "big")
    if isinstance(item, Scalar):
        return scalar_bytes(item.value)
    raise TypeError(f"cannot hash an item of type {type(item).__name__}")


def frame(items: list[Item] | tuple[Item, ...]) -> bytes:
    """Unambiguous concatenation: for each item, 4-byte big-endian length || bytes."""
    out = bytearray()
    for item in items:
        b = _item_bytes(item)
        out += len(b).to_bytes(4, "big")
        out += b
    return bytes(out)


def expand_message_xmd(msg: bytes, dst: bytes, len_in_bytes: int) -> bytes:
    """RFC 9380, section 5.3.1, with SHA-512 (b_in_bytes = 64, s_in_bytes = 128)."""
    b_in_bytes, s_in_bytes = 64, 128
    if len(dst) > 255:
        raise ValueError("DST longer than 255 bytes")
    ell = -(-len_in_bytes // b_in_bytes)
    if ell > 255 or len_in_bytes > 65535:
        raise ValueError("requested length too large")
    dst_prime = dst + bytes([len(dst)])
    z_pad = bytes(s_in_bytes)
    l_i_b_str = len_in_bytes.to_bytes(2, "big")
    b0 = hashlib.sha512(z_pad + msg + l_i_b_str + b"\x00" + dst_prime).digest()
    b = [hashlib.sha512(b0 + b"\x01" + dst_prime).digest()]
    for i in range(2, ell + 1):
        prev = bytes(x ^ y for x, y in zip(b0, b[-1], strict=True))
        b.append(hashlib.sha512(prev + bytes([i]) + dst_prime).digest())
    return b"".join(b)[:len_in_bytes]


def _dst(tag: str) -> bytes:
    if not tag.startswith(DST_PREFIX):
        raise ValueError(f"domain tag must start with {DST_PREFIX!r}")
    return tag.encode("ascii")


def hash_to_scalar(tag: str, items: list[Item] | tuple[Item, ...]) -> int:
    """A uniform scalar from framed items under domain tag `tag`."""
    uniform = expand_message_xmd(frame(items), _dst(tag), 64)
    return int.from_bytes(uniform, "little") % L


def hash_to_element(tag: str, msg: bytes) -> Element:
    """RFC 9380 hash_to_ristretto255 of `msg` under domain tag `tag`."""
    return from_uniform_bytes(expand_message_xmd(msg, _dst(tag), 64))


def digest(tag: str, items: list[Item] | tuple[Item, ...]) -> bytes:
    """32-byte SHA-256 digest of (tag, items), framed; for fingerprints and tracking codes."""
    return hashlib.sha256(frame([tag, *items])).digest()
