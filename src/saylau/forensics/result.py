"""What every test returns: its statistic, a p-value or an interval, whether it flags, and the
same per region (report.json's entries, docs/forensics.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class RegionResult:
    region: str
    statistic: float
    p_value: float | None = None
    q_value: float | None = None  # Benjamini–Hochberg across the regions
    flagged: bool = False
    stations: int = 0


@dataclass(frozen=True)
class TestResult:
    """One test's result. `flagged` is p_value ≤ alpha (or the interval excluding the null);
    a region is flagged when its q-value is ≤ alpha."""

    test: str
    statistic: float
    flagged: bool
    p_value: float | None = None
    interval: tuple[float, float] | None = None
    regions: tuple[RegionResult, ...] = ()
    details: dict[str, Any] = field(default_factory=dict)

    __test__ = False  # not a pytest class

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"test": self.test, "statistic": _num(self.statistic)}
        if self.p_value is not None or self.interval is None:
            out["p_value"] = _num(self.p_value)
        if self.interval is not None:
            out["interval"] = [_num(self.interval[0]), _num(self.interval[1])]
        out["flagged"] = bool(self.flagged)
        out["regions"] = [
            {
                "region": r.region,
                "statistic": _num(r.statistic),
                "p_value": _num(r.p_value),
                "q_value": _num(r.q_value),
                "flagged": bool(r.flagged),
                "stations": int(r.stations),
            }
            for r in self.regions
        ]
        out["details"] = self.details
        return out


def _num(value: float | None) -> float | None:
    if value is None:
        return None
    return round(float(value), 6)
