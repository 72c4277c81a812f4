"""`saylau bench consolidate` with small numbers: its output's shape, and the workload it
times passing the paper check it measures."""

from __future__ import annotations

import os
import re
import subprocess
import sys

from saylau.bench import consolidate as bench


def test_the_workload_passes_the_paper_check() -> None:
    w = bench.build(stations=40, ballots=3000)
    assert len(w.overrides) > 0
    assert len(w.lines) == 40 * 2 + 2  # two contests per station; station 1 recounted
    times = bench.measure(w)
    assert set(times) == {"consolidate", "paper check"}
    assert all(t >= 0 for t in times.values())


def test_a_broken_workload_is_refused() -> None:
    w = bench.build(stations=5, ballots=300)
    w.overrides.append((10**6, "PS-9999"))
    try:
        bench.measure(w)
    except bench.PaperCheckFailed as failed:
        assert "PS-9999" in str(failed)
    else:
        raise AssertionError("an override naming no station passed the paper check")


SMALL = ("--stations", "30", "--ballots", "900")


def test_the_command_prints_the_time_and_the_ratio() -> None:
    p = subprocess.run(
        [sys.executable, "-m", "saylau.cli.main", "bench", "consolidate", *SMALL],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "SAYLAU_LANGUAGE": "en", "COLUMNS": "160"},
    )
    assert p.returncode == 0, p.stdout + p.stderr
    assert "30 stations, 62 protocol lines" in p.stdout
    assert "900 online ballots" in p.stdout
    assert re.search(r"consolidate \(online .*\s+\d+\.\d\d", p.stdout)
    assert re.search(r"verifier's paper check .*\s+\d+\.\d\d", p.stdout)
    assert re.search(r"ratio to the 10 s target: \d+\.\d{3}", p.stdout)
