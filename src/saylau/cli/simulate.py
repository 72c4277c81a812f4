"""`saylau simulate`: a whole election in one process, then its record."""

from __future__ import annotations

import os
import shutil
import sys
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from saylau.cli.progress import StageProgress
from saylau.simulate.run import SimConfig, run


def simulate(
    voters: Annotated[int, typer.Option(min=1, help="Number of voters on the roll")] = 1000,
    districts: Annotated[int, typer.Option(min=1, max=20, help="Districts (≥ 3 typical)")] = 3,
    trustees: Annotated[int, typer.Option(min=1, max=20)] = 3,
    threshold: Annotated[int, typer.Option(min=1)] = 2,
    revote_rate: Annotated[float, typer.Option(min=0.0, max=1.0)] = 0.05,
    paper_rate: Annotated[float, typer.Option(min=0.0, max=1.0)] = 0.01,
    absent_trustees: Annotated[int, typer.Option(min=0)] = 1,
    out: Annotated[Path, typer.Option(help="Record directory to write")] = Path("record"),
    seed: Annotated[str, typer.Option(help="Seed for reproducible runs")] = "saylau-simulation",
    workers: Annotated[int, typer.Option(help="Processes (default: all cores)")] = 0,
    zip_record: Annotated[bool, typer.Option("--zip/--no-zip", help="Also write OUT.zip")] = True,
) -> None:
    """Simulate an election end to end and write its public record."""
    console = Console()
    if threshold > trustees:
        console.print("[red]error[/]: --threshold cannot exceed --trustees")
        raise typer.Exit(2)
    if trustees - absent_trustees < threshold:
        console.print(
            f"[red]error[/]: with {absent_trustees} absent trustees only "
            f"{trustees - absent_trustees} remain, fewer than the threshold {threshold}"
        )
        raise typer.Exit(2)
    if out.exists():
        if not (out / "record.json").exists() and any(out.iterdir()):
            console.print(
                f"[red]error[/]: {out} exists and is not a saylau record; refusing to overwrite it"
            )
            raise typer.Exit(2)
        shutil.rmtree(out)
    cfg = SimConfig(
        voters=voters,
        districts=districts,
        trustees=trustees,
        threshold=threshold,
        revote_rate=revote_rate,
        paper_rate=paper_rate,
        absent_trustees=absent_trustees,
        out=out,
        seed=seed,
        workers=workers or os.cpu_count() or 1,
    )
    start = time.perf_counter()
    with StageProgress(console, enabled=sys.stdout.isatty()) as bar:
        result = run(cfg, bar)
    if zip_record:
        from saylau.protocol.record import zip_record as make_zip

        make_zip(out, out.with_suffix(".zip"))
    total = time.perf_counter() - start
    table = Table(title="Phases")
    table.add_column("phase")
    table.add_column("seconds", justify="right")
    for phase, seconds in result.timings.items():
        table.add_row(phase, f"{seconds:.2f}")
    table.add_row("[bold]total", f"[bold]{total:.2f}")
    console.print(table)
    for d, dres in result.results["districts"].items():
        t = Table(title=f"{d}: {dres['ballots_counted']} ballots counted")
        t.add_column("contest")
        t.add_column("option")
        t.add_column("votes", justify="right")
        for cid, opts in dres["contests"].items():
            for oid, n in opts.items():
                t.add_row(cid, oid, str(n))
        console.print(t)
    console.print(f"stats: {result.stats}")
    console.print(
        f"record written to [bold]{out}[/]"
        + (f" and {out.with_suffix('.zip')}" if zip_record else "")
    )
