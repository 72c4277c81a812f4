"""Control-relation failures (docs/protocol.md §13) counted by region: a signal of sloppy or
altered protocols, no p-value."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from saylau.forensics.precincts import Ints
from saylau.forensics.result import RegionResult, TestResult


def relations_test(
    region: Ints, failing: Mapping[str, Sequence[bool]], region_names: tuple[str, ...]
) -> TestResult:
    """control_relations: stations failing at least one relation, overall and per region;
    per relation code in `details`."""
    n_regions = len(region_names)
    any_fail = np.zeros(region.size, dtype=bool)
    by_code = {}
    for code, flags in failing.items():
        f = np.asarray(flags, dtype=bool)
        any_fail |= f
        by_code[code] = int(f.sum())
    per_region = np.bincount(region, weights=any_fail, minlength=n_regions)
    stations = np.bincount(region, minlength=n_regions)
    regions = tuple(
        RegionResult(
            name, float(per_region[i]), None, None, bool(per_region[i] > 0), int(stations[i])
        )
        for i, name in enumerate(region_names)
        if stations[i]
    )
    return TestResult(
        test="control_relations",
        statistic=float(any_fail.sum()),
        flagged=bool(any_fail.any()),
        regions=regions,
        details={"failures": by_code, "stations": int(region.size)},
    )
