"""forensics.digits on a protocol whose option has more votes than ballots (one accepted
before the option_le_valid relation existed): the binomial null takes the share as 1, so the
tests answer instead of raising numpy's "p > 1" (a 500 on the public report page)."""

from __future__ import annotations

import numpy as np

from saylau.forensics.digits import last_digit_test, second_digit_test
from saylau.forensics.precincts import from_rows


def _rows() -> list[tuple[int, int, int, int, tuple[int, ...], str]]:
    rng = np.random.default_rng(3)
    rows = []
    for i in range(60):
        valid = int(rng.integers(200, 900))
        a = int(rng.integers(0, valid))
        rows.append((valid + 50, valid, valid, valid, (a, valid - a, valid // 3), f"r{i % 2}"))
    rows[0] = (400, 300, 300, 300, (350, 120, 100), "r0")  # 350 votes of 300 ballots
    return rows


def test_an_option_over_its_ballots_does_not_break_the_digit_tests() -> None:
    p = from_rows(_rows(), ("a", "b", "c"))
    for test in (second_digit_test, last_digit_test):
        result = test(p, np.random.default_rng(1), draws=5, boot=20)
        assert 0.0 <= result.p_value <= 1.0
