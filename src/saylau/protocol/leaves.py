"""How the pure checks reach a board's leaves: a `LeafSource` hands out one leaf's bytes and
runs a pure per-chunk function over consecutive chunks of leaves. The caller decides where
the leaves live and where the chunks run (saylau.record.leaves: a file read by byte offsets
in a process pool; `LeafList` here: leaves already in memory, in this process)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Protocol, TypeVar

T = TypeVar("T")

#: A pure function of (index of the chunk's first leaf, the chunk's leaf bytes in order).
#: A source that runs chunks in other processes needs it to be picklable.
ChunkFn = Callable[[int, Iterable[bytes]], T]


class LeafSource(Protocol):
    @property
    def count(self) -> int:
        """How many leaves there are."""
        ...

    def leaf(self, index: int) -> bytes:
        """The exact bytes of leaf `index` (without its newline)."""
        ...

    def map_chunks(self, fn: ChunkFn[T], size: int) -> Iterator[T]:
        """fn(start, leaves[start:start + size]) for start = 0, size, 2·size, …, in order."""
        ...


class LeafList:
    """Leaves held in memory; chunks run in this process."""

    def __init__(self, leaves: Sequence[bytes]) -> None:
        self._leaves = leaves

    @property
    def count(self) -> int:
        return len(self._leaves)

    def leaf(self, index: int) -> bytes:
        return self._leaves[index]

    def map_chunks(self, fn: ChunkFn[T], size: int) -> Iterator[T]:
        for start in range(0, len(self._leaves), size):
            yield fn(start, self._leaves[start : start + size])
