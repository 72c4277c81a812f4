"""The report on saylau's own results for one election: the forensic tests on the stations'
counting protocols (per contest with at least MIN_STATIONS stations, the district as the
region), the decrypted online ballots per district, and the online signals
(analysis.online_signals); report.json in the shape of `saylau analyze`'s
(saylau-forensics-report/1), each station test's entry naming its `contest`."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from matplotlib.figure import Figure

from saylau.analysis import online_signals
from saylau.analysis.plots import figures, online_figure
from saylau.analysis.run import MIN_STATIONS, Settings, report_json, run_tests
from saylau.elections import services as elections
from saylau.elections.models import Election
from saylau.forensics.precincts import Precincts, from_rows
from saylau.forensics.result import TestResult
from saylau.i18n import gettext_noop
from saylau.paper.counting import counting_protocols
from saylau.protocol.manifest import manifest_from_json
from saylau.protocol.paper_protocol import RELATION_CODES, ProtocolCounts, check_relations

Progress = Callable[[str, int, int], None]
ONLINE_STAGE = gettext_noop("online signals")
STATION_ROW = tuple[int, int, int, int, tuple[int, ...], str]


@dataclass
class ContestStations:
    """One contest's counting protocols as the tests read them."""

    contest: str
    precincts: Precincts
    failing: dict[str, list[bool]]


@dataclass
class ElectionReport:
    report: dict[str, Any]
    contests: list[tuple[ContestStations, list[TestResult]]] = field(default_factory=list)
    online: online_signals.OnlineCounts | None = None
    online_results: list[TestResult] = field(default_factory=list)

    def figures(self, _: Callable[[str], str]) -> list[tuple[str, Figure]]:
        """The contests' figures ("<contest>.<kind>") and the online one."""
        out = []
        for stations, results in self.contests:
            out += [
                (f"{stations.contest}.{n}", f) for n, f in figures(stations.precincts, results, _)
            ]
        if self.online is not None and self.online.minutes:
            c = self.online
            series = {"sign-ins": c.signins, "casts": c.casts, "revotes": c.revotes}
            out.append(("online", online_figure(c.minutes, series, _)))
        return out


def contest_stations(election: Election) -> list[ContestStations]:
    """Every contest with a counting protocol, in manifest order."""
    manifest = manifest_from_json(election.manifest)
    rows: dict[str, list[STATION_ROW]] = defaultdict(list)
    failing: dict[str, dict[str, list[bool]]] = defaultdict(lambda: {c: [] for c in RELATION_CODES})
    for line in counting_protocols(election):
        contest = manifest.contest(line["contest"])
        lines = line["counts"]
        votes = tuple(int(line["options"][o.id]) for o in contest.options)
        counts = ProtocolCounts(**lines, options=votes)
        rows[contest.id].append(
            (
                counts.voters_on_list,
                counts.ballots_issued,
                counts.valid + counts.invalid,
                counts.valid,
                votes,
                line["district"],
            )
        )
        marks = {"min_marks": contest.min_marks, "max_marks": contest.max_marks}
        broken = {f.relation for f in check_relations(counts, **marks)}
        for code in RELATION_CODES:
            failing[contest.id][code].append(code in broken)
    return [
        ContestStations(c.id, from_rows(rows[c.id], tuple(o.id for o in c.options)), failing[c.id])
        for c in manifest.contests
        if rows.get(c.id)
    ]


def _online_results(election: Election) -> dict[str, int]:
    """Online ballots counted per district (None before the tally: {})."""
    results = elections.election_results(election) or {}
    return {
        d: int(entry.get("ballots_counted", 0)) for d, entry in results.get("districts", {}).items()
    }


def build(
    election: Election, settings: Settings | None = None, on_progress: Progress | None = None
) -> ElectionReport:
    """Every test on the election's own data (seeded: the same inputs, the same report)."""
    settings = settings or Settings()
    analysed: list[tuple[ContestStations, list[TestResult]]] = []
    skipped = []
    results: list[TestResult] = []
    entries: list[dict[str, Any]] = []
    for stations in contest_stations(election):
        n = len(stations.precincts)
        if n < MIN_STATIONS:
            skipped.append({"contest": stations.contest, "stations": n, "minimum": MIN_STATIONS})
            continue
        found = run_tests(stations.precincts, stations.failing, settings, on_progress)
        analysed.append((stations, found))
        results += found
        entries += [{**r.to_json(), "contest": stations.contest} for r in found]
    if on_progress is not None:
        on_progress(ONLINE_STAGE, 0, 2)
    counts = online_signals.read_counts(election)
    if on_progress is not None:
        on_progress(ONLINE_STAGE, 1, 2)
    online = online_signals.online_tests(counts, settings.alpha)
    if on_progress is not None:
        on_progress(ONLINE_STAGE, 2, 2)
    entries += [r.to_json() for r in online]
    report = report_json(results + online, settings, {})
    report["tests"] = entries
    report.update(
        {
            "source": f"saylau:{election.slug}",
            "election": election.slug,
            "rows": sum(len(s.precincts) for s, _r in analysed),
            "stations": max((len(s.precincts) for s, _r in analysed), default=0),
            "left_out_count": 0,
            "left_out": [],
            "contests": [s.contest for s, _r in analysed],
            "skipped_contests": skipped,
            "online": {
                "ballots_by_district": _online_results(election),
                "minutes": len(counts.minutes),
                "first_minute": counts.minutes[0] if counts.minutes else None,
                "sign_ins": int(counts.signins.sum()),
                "ballots": int(counts.casts.sum()),
                "revotes": int(counts.revotes.sum()),
                "networks": len(counts.networks),
            },
            "regions": sorted({r for s, _r in analysed for r in s.precincts.region_names}),
        }
    )
    return ElectionReport(report, analysed, counts, online)
