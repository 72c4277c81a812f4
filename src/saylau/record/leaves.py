"""Leaves in a JSON Lines file, as a LeafSource (saylau.protocol.leaves): each chunk is read
by byte offsets where it runs — in this process, or in a pool of worker processes that each
open the file and read their own chunks, so the leaves are never held in memory whole."""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from saylau.protocol.leaves import ChunkFn, T

Span = tuple[int, int]  # (offset, length without the newline)


def line_offsets(path: str | os.PathLike[str]) -> list[Span]:
    """(offset, length without the newline) of every line of a JSON Lines file."""
    out = []
    pos = 0
    with open(path, "rb") as f:
        for line in f:
            out.append((pos, len(line) - (1 if line.endswith(b"\n") else 0)))
            pos += len(line)
    return out


def _read(path: str | os.PathLike[str], spans: list[Span]) -> Iterator[bytes]:
    with open(path, "rb") as f:
        for offset, length in spans:
            f.seek(offset)
            yield f.read(length)


_W: dict[str, Any] = {}


def _init_worker(path: str, fn: ChunkFn[Any]) -> None:
    _W["path"], _W["fn"] = path, fn


def _run_chunk(start: int, spans: list[Span]) -> Any:
    return _W["fn"](start, _read(_W["path"], spans))


class LeavesFile:
    """The lines of `path` at `spans`; chunks run in `workers` processes (1: this one)."""

    def __init__(self, path: Path, spans: list[Span], workers: int = 1) -> None:
        self.path = path
        self.spans = spans
        self.workers = max(1, workers)

    @property
    def count(self) -> int:
        return len(self.spans)

    def leaf(self, index: int) -> bytes:
        offset, length = self.spans[index]
        with open(self.path, "rb") as f:
            f.seek(offset)
            return f.read(length)

    def map_chunks(self, fn: ChunkFn[T], size: int) -> Iterator[T]:
        chunks = [(s, self.spans[s : s + size]) for s in range(0, len(self.spans), size)]
        if self.workers == 1:
            for start, spans in chunks:
                yield fn(start, _read(self.path, spans))
            return
        with ProcessPoolExecutor(
            self.workers, initializer=_init_worker, initargs=(str(self.path), fn)
        ) as pool:
            futures = [pool.submit(_run_chunk, s, sp) for s, sp in chunks]
            for fut in futures:
                yield fut.result()
