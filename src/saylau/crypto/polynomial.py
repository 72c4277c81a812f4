"""Polynomials over the scalars mod L and their commitments: a share is f(j); a dealer's
polynomial is rebuilt from t shares; Σ_k j^k·C_k is what share j must match."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from saylau.crypto import group
from saylau.crypto.group import Element, L


def evaluate(coefficients: Sequence[int], x: int) -> int:
    acc = 0
    for a in reversed(coefficients):
        acc = (acc * x + a) % L
    return acc


def interpolate(points: Mapping[int, int]) -> tuple[int, ...]:
    """Coefficients of the polynomial of degree < len(points) through {x: y} (Lagrange)."""
    xs = sorted(points)
    result = [0] * len(xs)
    for m in xs:
        basis, denominator = [1], 1  # Π_{l≠m} (X − l) and Π_{l≠m} (m − l)
        for other in xs:
            if other != m:
                shifted = [0, *basis]
                basis = [(hi - other * lo) % L for hi, lo in zip(shifted, [*basis, 0], strict=True)]
                denominator = denominator * (m - other) % L
        scale = points[m] * group.inv(denominator) % L
        result = [(r + scale * b) % L for r, b in zip(result, basis, strict=True)]
    return tuple(result)


def commitment_at(commitments: Sequence[Element], j: int) -> Element:
    """Σ_k j^k·C_k by Horner's rule: t − 1 scalar multiplications."""
    acc = commitments[-1]
    for c in reversed(commitments[:-1]):
        acc = group.add(group.mul(j, acc), c)
    return acc
