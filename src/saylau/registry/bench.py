"""Import benchmark: generate N synthetic members, import them, report the seconds.

The target (issue "Voting service"): 835,000 members — the party's size in
seed 000 — in at most 60 s on PostgreSQL. The imported members are removed
afterwards unless ``keep=True``; the members table must be empty to start with,
so the benchmark measures an import into a fresh roll and never touches real data.
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from django.db import connection, transaction

from saylau.registry import synth
from saylau.registry.importing import Progress, import_members
from saylau.registry.models import ImportBatch, Member

TARGET_SECONDS_835K = 60.0


@dataclass(frozen=True)
class BenchResult:
    members: int
    database: str
    generate_seconds: float
    import_seconds: float
    accepted: int
    rejected: int

    @property
    def members_per_second(self) -> float:
        return self.accepted / self.import_seconds if self.import_seconds else 0.0

    def summary(self) -> str:
        return (
            f"{self.accepted:,} members imported into {self.database} in "
            f"{self.import_seconds:.1f} s ({self.members_per_second:,.0f}/s; file generated in "
            f"{self.generate_seconds:.1f} s; rejected {self.rejected})"
        )


def import_bench(
    members: int, *, seed: int = 0, keep: bool = False, progress: Progress | None = None
) -> BenchResult:
    """Time the import of ``members`` synthetic members into the configured database."""
    if Member.objects.exists():
        raise RuntimeError("import_bench needs an empty members table; it never mixes with data")
    with tempfile.TemporaryDirectory(prefix="saylau-bench-") as directory:
        path = Path(directory) / "members.csv"
        started = time.perf_counter()
        synth.write_file(path, members, seed=seed)
        generated = time.perf_counter() - started
        data = path.read_bytes()
    started = time.perf_counter()
    report = import_members(data, source_name="bench.csv", progress=progress)
    imported = time.perf_counter() - started
    if not keep and report.batch_id is not None:
        with transaction.atomic():
            Member.objects.filter(import_batch_id=report.batch_id)._raw_delete(connection.alias)
            ImportBatch.objects.filter(pk=report.batch_id).delete()
    return BenchResult(
        members=members,
        database=connection.vendor,
        generate_seconds=generated,
        import_seconds=imported,
        accepted=report.accepted,
        rejected=report.rejected_count,
    )
