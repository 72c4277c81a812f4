"""The files of `saylau pvt`: a CSV read into a ResultsTable (with a progress bar), and the
sample file `pvt design` writes and `pvt estimate --design` reads (docs/pvt.md §6)."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import typer
from rich.progress import Progress

from saylau.cli.paper import _progress, _refuse
from saylau.i18n import _
from saylau.paper.column_map import ColumnMap, ColumnMapError
from saylau.paper.csv_check import CsvFileError
from saylau.paper.results_table import ResultsTable, read_results
from saylau.survey.design import Design

DESIGN_REQUIRED = ("station", "region", "voters_on_list")
ESTIMATE_REQUIRED = ("station", "voters_on_list", "valid", "options")
SAMPLE_HEADER = (
    "row",
    "station",
    "region",
    "voters_on_list",
    "stations_in_region",
    "sampled_in_region",
    "weight",
)
# The sample file read back: the stations' region, and N_h as a count column.
SAMPLE_MAP = ColumnMap(
    station=("station",), lines={}, options=("stations_in_region",), region=("region",)
)


def read_table(path: Path, columns: ColumnMap, show: bool) -> ResultsTable:
    """The table in `path`; a map or file that cannot be used stops the command (exit 2)."""
    bar: Progress
    try:
        with _progress(show) as bar:
            task = bar.add_task(_("reading %(file)s") % {"file": path.name}, total=None)
            return read_results(
                path,
                columns,
                on_progress=lambda done, total: bar.update(task, completed=done, total=total),
            )
    except (ColumnMapError, CsvFileError) as e:
        raise _refuse(e.message_in(_)) from None


def write_sample(
    out: Path,
    table: ResultsTable,
    picked: list[int],
    chosen: Design,
    extra: dict[str, list[int]] | None = None,
) -> None:
    """The sampled stations, one a row, in the frame's order, to OUT (through OUT.partial);
    `extra` adds columns (a value per sampled station: the exit poll's quotas)."""
    extra = extra or {}
    partial = out.with_name(out.name + ".partial")
    voters = table.lines["voters_on_list"]
    try:
        with partial.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow((*SAMPLE_HEADER, *extra))
            for k, i in enumerate(picked):
                region = table.regions[i]
                big_n, n = chosen.sizes[region], chosen.sample[region]
                weight = f"{big_n / n:.6f}"
                cells = (table.rows[i], table.stations[i], region, int(voters[i]), big_n, n, weight)
                writer.writerow((*cells, *(values[k] for values in extra.values())))
        os.replace(partial, out)
    except OSError as e:
        partial.unlink(missing_ok=True)
        raise _refuse(
            _("The file %(path)s could not be written: %(detail)s")
            % {"path": out, "detail": e.strerror or str(e)}
        ) from None


def read_design(path: Path) -> tuple[dict[str, str], dict[str, int]]:
    """(station → region, region → stations in the frame) from a sample file; a file with a
    row that cannot be read, or with two sizes for one region, stops the command."""
    table = read_table(path, SAMPLE_MAP, show=False)
    sizes: dict[str, int] = {}
    bad = [item.row for item in table.unreadable]
    for row, region, size in zip(table.rows, table.regions, table.options[:, 0], strict=True):
        if sizes.setdefault(region, int(size)) != size:
            bad.append(row)
    if bad:
        raise _refused_design(path, bad)
    return dict(zip(table.stations, table.regions, strict=True)), sizes


def _refused_design(path: Path, rows: list[int]) -> typer.Exit:
    shown = ", ".join(str(r) for r in sorted(rows)[:20])
    return _refuse(
        _("The sample file %(path)s was changed or is not one `pvt design` wrote: rows %(rows)s.")
        % {"path": path, "rows": shown}
    )
