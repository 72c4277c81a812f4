"""Consolidated results: the election's decrypted online tally plus the paper protocols that
count, per district and contest (protocol.consolidation), and what the results pages show.

Before the online tally is decrypted the pages show the paper count alone, labelled
provisional (`Consolidated.provisional`); the exports of the consolidation wait for the tally
(decision 0034).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from saylau.elections import services as elections
from saylau.elections.models import Election
from saylau.errors import UserError
from saylau.paper.counting import counting_protocols, published_protocols
from saylau.paper.paper_settings import recount_margin
from saylau.protocol.consolidation import consolidate
from saylau.protocol.manifest import Contest, Manifest, manifest_from_json
from saylau.protocol.paper_protocol import FIELDS
from saylau.stations.models import Station
from saylau.voting.public import in_language


class ConsolidationNotReady(UserError):
    """The consolidated result asked for before the online tally is decrypted."""

    code = "paper.results_not_ready"
    status = 409

    def __init__(self) -> None:
        super().__init__(
            _(
                "The consolidated results are not ready: the online votes are not counted "
                "yet. They appear here once the tally is decrypted."
            )
        )


@dataclass(frozen=True)
class Consolidated:
    manifest: Manifest
    document: dict[str, Any]  # the saylau-consolidation/1 document
    provisional: bool  # True: no online tally yet, the paper protocols alone


def online_counts(election: Election) -> dict[str, Any] | None:
    """The decrypted online counts per district (results.json's "districts"); None before."""
    results = elections.election_results(election)
    if results is None:
        return None
    districts: dict[str, Any] = results.get("districts", {})
    return districts


def consolidated(election: Election) -> Consolidated:
    """The consolidation of the online tally and the counting protocols; before the tally is
    decrypted, the paper protocols alone (provisional)."""
    manifest = manifest_from_json(election.manifest)
    online = online_counts(election)
    document = consolidate(
        manifest, online or {}, counting_protocols(election), recount_margin(election)
    )
    return Consolidated(manifest, document, provisional=online is None)


def final_consolidation(election: Election) -> dict[str, Any]:
    """The consolidation document once the online tally is decrypted (ConsolidationNotReady
    before): results.json of the results pages and the record's consolidation.json."""
    found = consolidated(election)
    if found.provisional:
        raise ConsolidationNotReady()
    return found.document


# What the pages show ------------------------------------------------------------------


@dataclass(frozen=True)
class OptionRow:
    id: str
    name: str
    party: str
    online: int
    paper: int
    total: int
    percent: int  # of the contest's total votes, rounded: the bar's width class
    winner: bool


@dataclass(frozen=True)
class ContestResult:
    id: str
    name: str
    rows: list[OptionRow]
    winners: list[str]  # names, best first
    tie: bool
    recount: bool
    margin: int | None
    voted: bool  # any vote at all (else no margin to speak of)
    paper_stations: int
    paper_valid: int
    paper_invalid: int
    online_ballots: int


@dataclass(frozen=True)
class DistrictResult:
    id: str
    name: str
    contests: list[ContestResult]


def _percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def contest_result(
    contest: Contest, entry: Mapping[str, Any], online_ballots: int, language: str
) -> ContestResult:
    votes = sum(entry["total"].values())
    names = {o.id: in_language(o.name, language, o.id) for o in contest.options}
    rows = [
        OptionRow(
            id=o.id,
            name=names[o.id],
            party=in_language(o.party, language) if o.party else "",
            online=entry["online"][o.id],
            paper=entry["paper"][o.id],
            total=entry["total"][o.id],
            percent=_percent(entry["total"][o.id], votes),
            winner=o.id in entry["winners"],
        )
        for o in contest.options
    ]
    return ContestResult(
        id=contest.id,
        name=in_language(contest.name, language, contest.id),
        rows=rows,
        winners=[names[w] for w in entry["winners"]],
        tie=entry["tie"],
        recount=entry["recount"],
        margin=entry["margin"],
        voted=votes > 0,
        paper_stations=entry["paper_stations"],
        paper_valid=entry["paper_valid"],
        paper_invalid=entry["paper_invalid"],
        online_ballots=online_ballots,
    )


def district_results(found: Consolidated, language: str) -> list[DistrictResult]:
    """Every district of the manifest, its contests' rows in manifest order."""
    out = []
    for d in found.manifest.districts:
        entry = found.document["districts"][d.id]
        contests = [
            contest_result(c, entry["contests"][c.id], entry["online_ballots"], language)
            for c in found.manifest.contests_for(d.id)
        ]
        out.append(DistrictResult(d.id, in_language(d.name, language, d.id), contests))
    return out


# A station's protocols ----------------------------------------------------------------

#: The protocol's count lines as the station page names them (FIELDS order).
LINE_LABELS: dict[str, Any] = {
    "voters_on_list": gettext_lazy("Voters on the station's list"),
    "ballots_received": gettext_lazy("Ballots the station received"),
    "ballots_issued": gettext_lazy("Ballots issued to voters"),
    "ballots_cancelled": gettext_lazy("Unused ballots cancelled"),
    "ballots_spoiled": gettext_lazy("Ballots spoiled by voters"),
    "ballots_lost": gettext_lazy("Ballots lost"),
    "ballots_in_boxes": gettext_lazy("Ballots found in the boxes"),
    "invalid": gettext_lazy("Ballots counted invalid"),
    "valid": gettext_lazy("Ballots counted valid"),
}


@dataclass(frozen=True)
class Revision:
    number: int
    counts: bool  # the revision that counts (the highest accepted one)
    reason: str
    lines: list[tuple[str, int]]  # (label, value) in FIELDS order
    votes: list[tuple[str, int]]  # (option name, votes) in manifest order
    scan_sha256: str


@dataclass(frozen=True)
class StationContest:
    id: str
    name: str
    revisions: list[Revision]  # newest first


def station_contests(election: Election, station: Station, language: str) -> list[StationContest]:
    """The station's published protocols per contest of its district, newest revision first
    (a contest with no accepted protocol yet has none)."""
    manifest = manifest_from_json(election.manifest)
    lines = published_protocols(election, station.code)
    counting = {(p["contest"], p["revision"]) for p in counting_protocols(election, station.code)}
    out = []
    for c in manifest.contests_for(station.district):
        names = {o.id: in_language(o.name, language, o.id) for o in c.options}
        revisions = [
            Revision(
                number=p["revision"],
                counts=(c.id, p["revision"]) in counting,
                reason=p["reason"],
                lines=[(str(LINE_LABELS[f]), p["counts"][f]) for f in FIELDS],
                votes=[(names[o.id], p["options"][o.id]) for o in c.options],
                scan_sha256=p["scan_sha256"],
            )
            for p in reversed(lines)
            if p["contest"] == c.id
        ]
        out.append(StationContest(c.id, in_language(c.name, language, c.id), revisions))
    return out


# Exports ------------------------------------------------------------------------------

RESULTS_COLUMNS = (
    "district",
    "district_name",
    "contest",
    "contest_name",
    "option",
    "option_name",
    "online",
    "paper",
    "total",
    "winner",
    "tie",
    "recount",
    "margin",
)


def results_table(found: Consolidated, language: str) -> list[list[Any]]:
    """results.csv: one row per district, contest and option (ids, names in `language`)."""
    rows: list[list[Any]] = []
    for d in district_results(found, language):
        for c in d.contests:
            for o in c.rows:
                margin = "" if c.margin is None else c.margin
                flags = [int(o.winner), int(c.tie), int(c.recount), margin]
                rows.append(
                    [d.id, d.name, c.id, c.name, o.id, o.name, o.online, o.paper, o.total, *flags]
                )
    return rows


def protocols_table(election: Election) -> tuple[list[str], list[list[Any]]]:
    """protocols.csv: one row per published protocol revision, its count lines and one column
    per contest and option ("votes:<contest>:<option>", empty for another contest)."""
    manifest = manifest_from_json(election.manifest)
    columns = [(c.id, o.id) for c in manifest.contests for o in c.options]
    header = ["station", "district", "contest", "revision", "reason", *FIELDS, "scan_sha256"]
    header += [f"votes:{cid}:{oid}" for cid, oid in columns]
    rows = []
    for p in published_protocols(election):
        row: list[Any] = [p["station"], p["district"], p["contest"], p["revision"], p["reason"]]
        row += [p["counts"][f] for f in FIELDS]
        row.append(p["scan_sha256"])
        row += [p["options"][oid] if cid == p["contest"] else "" for cid, oid in columns]
        rows.append(row)
    return header, rows
