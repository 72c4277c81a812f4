"""`saylau bench analyze`: `saylau analyze` end to end (read, every test, report.json, the
figures, report.html and report.pdf) on the 2011 State Duma protocols; the time and its
ratio to the 60 s target."""

from __future__ import annotations

import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console

from saylau.analysis.load import load_csv
from saylau.analysis.report_files import write_report
from saylau.analysis.run import Settings, report_json, run_tests
from saylau.i18n import _
from saylau.paper.column_map import load_map

TARGET_SECONDS = 60.0


@dataclass(frozen=True)
class Times:
    stations: int
    read: float
    tests: float
    report: float
    cpu: float  # seconds of CPU of this process over the three phases

    @property
    def total(self) -> float:
        return self.read + self.tests + self.report


def measure(source: Path, columns: Path, lang: str = "en") -> Times:
    """Time the three phases on `source` (a CSV, or a zip holding one)."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        csv_path = source
        if source.suffix == ".zip":
            with zipfile.ZipFile(source) as archive:
                name = next(n for n in archive.namelist() if n.endswith(".csv"))
                archive.extract(name, folder)
            csv_path = folder / name
        start, cpu = time.perf_counter(), time.process_time()
        loaded = load_csv(csv_path, load_map(columns))
        read = time.perf_counter()
        settings = Settings()
        results = run_tests(loaded.precincts, loaded.failing, settings)
        tests = time.perf_counter()
        report = report_json(
            results,
            settings,
            {"stations": len(loaded.precincts), "left_out_count": len(loaded.left_out)},
        )
        write_report(folder / "out", loaded.precincts, results, report, lang, _)
        done = time.perf_counter()
        cpu = time.process_time() - cpu
    return Times(len(loaded.precincts), read - start, tests - read, done - tests, cpu)


def print_times(console: Console, t: Times) -> None:
    console.print(
        _(
            "saylau analyze on %(count)s stations: %(total).1f s (read %(read).1f, tests "
            "%(tests).1f, report %(report).1f), %(ratio).2f of the %(target)s s target; "
            "CPU %(cpu).1f s, %(cpu_ratio).2f of it"
        )
        % {
            "count": t.stations,
            "total": t.total,
            "read": t.read,
            "tests": t.tests,
            "report": t.report,
            "cpu": t.cpu,
            "ratio": t.total / TARGET_SECONDS,
            "cpu_ratio": t.cpu / TARGET_SECONDS,
            "target": int(TARGET_SECONDS),
        },
        markup=False,
    )
