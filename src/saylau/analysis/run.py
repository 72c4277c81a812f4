"""Every forensic test over one set of precincts, in a fixed order, seeded: the report's
entries (report.json, docs/forensics.md)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from saylau.forensics import digits, integer_percent, klimek, shpilkin
from saylau.forensics.precincts import Precincts
from saylau.forensics.relations import relations_test
from saylau.forensics.result import TestResult
from saylau.i18n import gettext_noop

TESTS: tuple[str, ...] = (
    "kobak_integer_turnout",
    "kobak_integer_share",
    "second_digit",
    "last_digit",
    "klimek_fingerprint",
    "shpilkin",
    "control_relations",
)
MIN_STATIONS = 30
STAGE = gettext_noop("forensic tests")
SCHEMA = "saylau-forensics-report/1"


@dataclass(frozen=True)
class Settings:
    seed: int = 2011
    alpha: float = 0.05
    draws: int = 400  # Kobak's Monte Carlo
    digit_draws: int = 20
    boot: int = 200
    null_draws: int = 40  # Klimek's parametric bootstrap


class TooFewStations(ValueError):
    def __init__(self, stations: int) -> None:
        self.stations = stations
        super().__init__(stations)


def run_tests(
    p: Precincts,
    failing: Mapping[str, Sequence[bool]] | None,
    settings: Settings = Settings(),
    on_progress: Callable[[str, int, int], None] | None = None,
) -> list[TestResult]:
    """The results in the order of TESTS (control_relations only when `failing` is given).
    Raise TooFewStations under MIN_STATIONS."""
    if len(p) < MIN_STATIONS:
        raise TooFewStations(len(p))
    rng = np.random.default_rng(settings.seed)
    s = settings
    steps: list[Callable[[], TestResult]] = [
        lambda: integer_percent.integer_turnout(p, rng, draws=s.draws, alpha=s.alpha),
        lambda: integer_percent.integer_share(p, rng, draws=s.draws, alpha=s.alpha),
        lambda: digits.second_digit_test(p, rng, draws=s.digit_draws, boot=s.boot, alpha=s.alpha),
        lambda: digits.last_digit_test(p, rng, draws=s.digit_draws, boot=s.boot, alpha=s.alpha),
        lambda: klimek.klimek_test(p, rng, null_draws=s.null_draws, alpha=s.alpha),
        lambda: shpilkin.shpilkin_test(p, rng, boot=s.boot, alpha=s.alpha),
    ]
    if failing is not None:
        steps.append(lambda: relations_test(p.region, failing, p.region_names))
    out = []
    for i, step in enumerate(steps):
        if on_progress is not None:
            on_progress(STAGE, i, len(steps))
        out.append(step())
    if on_progress is not None:
        on_progress(STAGE, len(steps), len(steps))
    return out


def report_json(
    results: Sequence[TestResult], settings: Settings, meta: dict[str, Any]
) -> dict[str, Any]:
    """report.json: the settings, what was read, and one entry per test."""
    return {
        "schema": SCHEMA,
        "settings": {
            "seed": settings.seed,
            "alpha": settings.alpha,
            "draws": settings.draws,
            "digit_draws": settings.digit_draws,
            "bootstrap": settings.boot,
            "null_draws": settings.null_draws,
        },
        **meta,
        "tests": [r.to_json() for r in results],
    }
