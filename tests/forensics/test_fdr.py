"""Benjamini–Hochberg q-values against values worked by hand."""

from __future__ import annotations

import pytest

from saylau.forensics.fdr import bh_qvalues, with_fdr
from saylau.forensics.result import RegionResult


def test_bh_qvalues_by_hand() -> None:
    # p sorted: 0.01, 0.02, 0.03, 0.5 (n = 4): 0.04, 0.04, 0.04, 0.5 after the running min
    q = bh_qvalues([0.03, 0.5, 0.01, 0.02])
    assert q == pytest.approx([0.04, 0.5, 0.04, 0.04])
    assert bh_qvalues([]) == []


def test_with_fdr_flags_and_skips_untested() -> None:
    regions = [
        RegionResult("a", 1.0, 0.001),
        RegionResult("b", 0.0, None),
        RegionResult("c", 0, 0.2),
    ]
    out = with_fdr(regions, 0.05)
    assert [r.flagged for r in out] == [True, False, False]
    assert out[1].q_value is None and out[0].q_value == pytest.approx(0.002)
