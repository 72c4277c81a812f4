"""The floor of a crypto operation: the libsodium work it cannot avoid.

The number of variable-base scalar multiplications, fixed-base multiplications and point
additions/subtractions an operation performs (counted by instrumenting saylau.crypto.group
while it runs once), each multiplied by that primitive's time measured here, now. The ratio
measured / floor is insensitive to how loaded this shared machine is.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pysodium

from saylau.crypto import group
from saylau.crypto.rand import DeterministicRng


def _time_per_call(fn: Callable[[], object], n: int) -> float:
    best = float("inf")
    for _batch in range(5):
        t = time.perf_counter()
        for _call in range(n):
            fn()
        best = min(best, (time.perf_counter() - t) / n)
    return best


def measure_primitives(n: int = 400) -> dict[str, float]:
    """Seconds per raw libsodium call (best of 5 batches)."""
    s = DeterministicRng("bench").scalar().to_bytes(32, "little")
    p = pysodium.crypto_scalarmult_ristretto255_base(s)
    return {
        "mul": _time_per_call(lambda: pysodium.crypto_scalarmult_ristretto255(s, p), n),
        "base": _time_per_call(lambda: pysodium.crypto_scalarmult_ristretto255_base(s), n),
        "add": _time_per_call(lambda: pysodium.crypto_core_ristretto255_add(p, p), n),
    }


@contextmanager
def count_ops() -> Iterator[dict[str, int]]:
    """Count the group's libsodium calls made inside the block."""
    counts = {"mul": 0, "base": 0, "add": 0}
    saved = (group._scalarmult, group._scalarmult_base, group._add, group._sub)

    def wrap(fn: Callable[..., Any], key: str) -> Callable[..., Any]:
        def inner(*a: Any) -> Any:
            counts[key] += 1
            return fn(*a)

        return inner

    group._scalarmult = wrap(saved[0], "mul")
    group._scalarmult_base = wrap(saved[1], "base")
    group._add = wrap(saved[2], "add")
    group._sub = wrap(saved[3], "add")
    try:
        yield counts
    finally:
        group._scalarmult, group._scalarmult_base, group._add, group._sub = saved


def floor_seconds(counts: dict[str, int], prim: dict[str, float]) -> float:
    return sum(counts[k] * prim[k] for k in counts)
