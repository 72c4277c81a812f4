"""Discrete logarithm of m·G for small m, by a table bounded by the number of ballots.

A tally of N ballots has every option count in [0, N]; the table is grown by repeated
addition of G up to the bound and never further, so a decrypted element outside [0, bound]
raises `DlogOutOfRange` instead of searching forever.
"""

from __future__ import annotations

from saylau.crypto import group
from saylau.crypto.errors import DlogOutOfRange
from saylau.crypto.group import GENERATOR, IDENTITY, Element


class DlogTable:
    def __init__(self, bound: int) -> None:
        if bound < 0:
            raise ValueError("bound must be non-negative")
        self.bound = bound
        self._table: dict[bytes, int] = {IDENTITY: 0}
        self._last = IDENTITY
        self._filled = 0

    def _grow_to(self, m: int) -> None:
        while self._filled < m:
            self._last = group.add(self._last, GENERATOR)
            self._filled += 1
            self._table[self._last] = self._filled

    def log(self, element: Element) -> int:
        """m such that element = m·G and 0 ≤ m ≤ bound."""
        found = self._table.get(element)
        if found is not None:
            return found
        while self._filled < self.bound:
            self._grow_to(min(self.bound, self._filled + 1024))
            found = self._table.get(element)
            if found is not None:
                return found
        raise DlogOutOfRange(f"decrypted value is not m·G for any 0 ≤ m ≤ {self.bound}")
