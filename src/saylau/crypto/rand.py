"""Randomness sources, passed in explicitly so that tests and vectors are reproducible."""

from __future__ import annotations

import hashlib
import secrets
from typing import Protocol

from saylau.crypto.group import L


class Rng(Protocol):
    def scalar(self) -> int:
        """A uniformly random non-zero scalar."""
        ...

    def bytes(self, n: int) -> bytes:
        """n uniformly random bytes."""
        ...


class SystemRng:
    """The operating system's CSPRNG; what production code uses."""

    def scalar(self) -> int:
        while True:
            s = int.from_bytes(secrets.token_bytes(64), "little") % L
            if s:
                return s

    def bytes(self, n: int) -> bytes:
        return secrets.token_bytes(n)


class DeterministicRng:
    """A SHAKE-256 stream keyed by a seed: for tests, vectors and reproducible simulations.

    Never use it for real secrets.
    """

    def __init__(self, seed: bytes | str) -> None:
        self._seed = seed.encode() if isinstance(seed, str) else seed
        self._counter = 0

    def bytes(self, n: int) -> bytes:
        self._counter += 1
        h = hashlib.shake_256(self._seed + self._counter.to_bytes(8, "big"))
        return h.digest(n)

    def scalar(self) -> int:
        while True:
            s = int.from_bytes(self.bytes(64), "little") % L
            if s:
                return s
