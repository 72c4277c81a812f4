"""`saylau verify RECORD`: the universal verifier."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from saylau.cli.progress import StageProgress
from saylau.protocol.verify import Report, verify_record


def verify(
    record: Annotated[Path, typer.Argument(help="Record directory or .zip")],
    workers: Annotated[int, typer.Option(help="Processes (default: all cores)")] = 0,
    progress: Annotated[bool, typer.Option(help="Show a progress bar")] = True,
) -> None:
    """Re-derive and check the whole result from a public election record."""
    console = Console(stderr=False)
    with StageProgress(console, enabled=progress and sys.stdout.isatty()) as bar:
        report = verify_record(record, workers or os.cpu_count() or 1, bar)
    print_report(console, report)
    raise typer.Exit(0 if report.ok else 1)


def print_report(console: Console, report: Report) -> None:
    if report.results and report.manifest is not None:
        print_results(console, report)
    stats = Table(title="Record", show_header=False)
    for k, v in report.stats.items():
        stats.add_row(k.replace("_", " "), str(v))
    if report.stats:
        console.print(stats)
    if report.ok:
        console.print(
            "[bold green]VERIFIED[/]: every check holds; the results above are "
            "re-derived from the record."
        )
        return
    console.print(f"[bold red]FAILED[/]: {len(report.failures)} problem(s)")
    for f in report.failures:
        console.print(f"  FAIL {f}", markup=False, highlight=False)


def print_results(console: Console, report: Report) -> None:
    assert report.manifest is not None and report.results is not None
    manifest = report.manifest
    for d in manifest.districts:
        dres = report.results.get(d.id)
        if dres is None:
            continue
        for contest in manifest.contests_for(d.id):
            counts = dres["contests"].get(contest.id, {})
            t = Table(
                title=f"{d.name['en']} — {contest.name['en']} ({dres['ballots_counted']} ballots)"
            )
            t.add_column("option")
            t.add_column("votes", justify="right")
            for opt in contest.options:
                t.add_row(opt.name["en"], str(counts.get(opt.id, "?")))
            console.print(t)
