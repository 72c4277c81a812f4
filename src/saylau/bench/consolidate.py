"""`saylau bench consolidate`: consolidating the paper stations' protocols with an online
tally already decrypted, and the verifier's paper check over the same record part (issue 15's
target: 10,000 stations with 1,000,000 online ballots in at most 10 s).

The workload: the synthetic primaries manifest (3 districts, two contests each), N stations
spread over the districts, each with a consistent protocol per contest and 1 % of them
recounted (revision 2), the paper voters' overrides (8 per station on average), and online
counts that add up to M ballots. Timed: consolidation_document (what the server publishes),
and check_paper (what `saylau verify` runs: the stations, every protocol line parsed from its
JSON line and checked against every control relation, the overrides, and the consolidation
re-derived and compared field by field)."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rich.console import Console
from rich.table import Table

from saylau.i18n import _, gettext_noop
from saylau.protocol.canonical import canonical_json, strict_loads
from saylau.protocol.consolidation import DEFAULT_RECOUNT_MARGIN
from saylau.protocol.documents import (
    consolidation_document,
    protocol_line,
    protocols_lines,
    stations_document,
)
from saylau.protocol.manifest import Contest, Manifest, manifest_from_json
from saylau.protocol.verify_paper import check_paper
from saylau.simulate.manifest_gen import make_manifest
from saylau.simulate.paper import PaperStations, recounted, station_counts

TARGET_SECONDS = 10.0
STAGE = gettext_noop("protocols")  # the progress bar's stage while the workload is built
Progress = Callable[[str, int, int], None]


class PaperCheckFailed(Exception):
    """The benchmark's own record part did not pass the paper check (a bug, not a slow run)."""


@dataclass
class Workload:
    manifest: Manifest
    stations_json: bytes
    lines: list[bytes]  # paper/protocols.jsonl
    protocol_docs: list[dict[str, Any]]
    online: dict[str, Any]
    overrides: list[tuple[int, str]]
    ballots: int


def _quick_marks(contest: Contest, rnd: random.Random) -> list[int]:
    """One valid ballot's marks: one option (exactly-1), or 0 to k different ones."""
    n = len(contest.options)
    k = contest.max_marks if contest.min_marks == contest.max_marks else rnd.randint(0, 3)
    marks = [0] * n
    for j in rnd.sample(range(n - 1), min(k, n - 1)):  # the last option is "against all"
        marks[j] = 1
    return marks


def _online(manifest: Manifest, ballots: int, rnd: random.Random) -> dict[str, Any]:
    """Online counts adding up to `ballots` ballots, split over the districts."""
    out: dict[str, Any] = {}
    per = ballots // len(manifest.districts)
    for d in manifest.districts:
        contests = {}
        for c in manifest.contests_for(d.id):
            weights = [rnd.random() for _ in c.options]
            marks = per * (1 if c.max_marks == 1 else 2)
            votes = [int(marks * w / sum(weights)) for w in weights]
            votes[0] += marks - sum(votes)
            contests[c.id] = {o.id: v for o, v in zip(c.options, votes, strict=True)}
        out[d.id] = {"ballots_counted": per, "contests": contests}
    return out


def build(
    stations: int, ballots: int, progress: Progress | None = None, seed: str = "bench"
) -> Workload:
    """The record part the benchmark consolidates and checks (not timed)."""
    report = progress or (lambda stage, done, total: None)
    rnd = random.Random(seed)
    manifest = manifest_from_json(make_manifest("bench-consolidate", 3))
    plan = PaperStations.spread([d.id for d in manifest.districts], stations)
    docs: list[dict[str, Any]] = []
    overrides: list[tuple[int, str]] = []
    report(STAGE, 0, stations)
    for k, st in enumerate(plan.stations):
        came = rnd.randint(0, 16)
        overrides += [(len(overrides) + 1, st["code"]) for _ in range(came)]
        for contest in manifest.contests_for(st["district"]):
            counts = station_counts(contest, came, rnd, _quick_marks)
            ids = [o.id for o in contest.options]
            scan = f"{k:064x}"
            docs.append(
                protocol_line(st["code"], st["district"], contest.id, 1, "", counts, ids, scan)
            )
            if k % 100 == 0:
                again = recounted(counts)
                docs.append(
                    protocol_line(
                        st["code"], st["district"], contest.id, 2, "recount", again, ids, scan
                    )
                )
        report(STAGE, k + 1, stations)
    return Workload(
        manifest,
        canonical_json(stations_document(plan.stations)),
        protocols_lines(docs),
        docs,
        _online(manifest, ballots, rnd),
        overrides,
        ballots,
    )


def measure(w: Workload) -> dict[str, float]:
    """Seconds for the consolidation and for the verifier's paper check."""
    t0 = time.perf_counter()
    doc = consolidation_document(w.manifest, w.online, w.protocol_docs, DEFAULT_RECOUNT_MARGIN)
    t1 = time.perf_counter()
    published = canonical_json(doc)
    t2 = time.perf_counter()
    checked = check_paper(
        w.manifest,
        strict_loads(w.stations_json),
        w.lines,
        strict_loads(published),
        w.online,
        w.overrides,
    )
    t3 = time.perf_counter()
    if checked.failures:
        raise PaperCheckFailed("; ".join(str(f) for f in checked.failures[:5]))
    return {"consolidate": t1 - t0, "paper check": t3 - t2}


def print_times(console: Console, times: dict[str, float], w: Workload, stations: int) -> None:
    console.print(
        _(
            "%(stations)s stations, %(lines)s protocol lines, %(overrides)s paper overrides, "
            "%(ballots)s online ballots already tallied"
        )
        % {
            "stations": stations,
            "lines": len(w.lines),
            "overrides": len(w.overrides),
            "ballots": w.ballots,
        },
        markup=False,
    )
    labels = {
        "consolidate": _("consolidate (online + counting protocols → winners)"),
        "paper check": _("verifier's paper check (parse, relations, re-derive, compare)"),
    }
    table = Table(title="saylau bench consolidate")
    table.add_column(_("step"))
    table.add_column(_("seconds"), justify="right")
    for name, seconds in times.items():
        table.add_row(labels[name], f"{seconds:.2f}")
    total = sum(times.values())
    table.add_row(_("total"), f"{total:.2f}")
    console.print(table)
    console.print(
        _("ratio to the %(target)s s target: %(ratio)s (at most 1 meets it)")
        % {"target": f"{TARGET_SECONDS:.0f}", "ratio": f"{total / TARGET_SECONDS:.3f}"},
        markup=False,
    )
