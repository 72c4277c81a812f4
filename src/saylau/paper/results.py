"""Consolidated results: the election's decrypted online tally plus the paper protocols that
count, per district and contest (protocol.consolidation), and what the results pages show.

Before the online tally is decrypted the pages show the paper count alone, labelled
provisional (`Consolidated.provisional`); the exports of the consolidation wait for the tally
(decision 0034). The committee's sanctions (paper.sanction_source) are applied: excluded
candidates, annulled stations and contests (decision 0036). The consolidation is cached per
election under a digest of its inputs (paper.results_cache, decision 0040): a view asks the
sanction provider and reads a few ids, and consolidates only when an input changed.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from saylau.elections import services as elections
from saylau.elections.models import Election
from saylau.errors import UserError
from saylau.paper import results_cache
from saylau.paper.counting import counting_protocols, published_protocols
from saylau.paper.paper_settings import recount_margin
from saylau.paper.results_sanctions import SanctionNotes, checked_sanctions
from saylau.paper.sanction_source import sanctions_for
from saylau.protocol.consolidation import consolidate
from saylau.protocol.manifest import Contest, Manifest, manifest_from_json
from saylau.protocol.paper_protocol import FIELDS
from saylau.protocol.sanctions import ANNUL_STATION, INVALID, SET_ASIDE, Sanction
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
    sanctions: tuple[Sanction, ...] = ()
    vote_rule: str = SET_ASIDE

    @functools.cached_property
    def notes(self) -> SanctionNotes:
        return SanctionNotes.of(self.manifest, self.sanctions, self.vote_rule)


def online_counts(election: Election) -> dict[str, Any] | None:
    """The decrypted online counts per district (results.json's "districts"); None before."""
    results = elections.election_results(election)
    if results is None:
        return None
    districts: dict[str, Any] = results.get("districts", {})
    return districts


def consolidated(election: Election) -> Consolidated:
    """The consolidation of the online tally and the counting protocols; before the tally is
    decrypted, the paper protocols alone (provisional). Cached under its inputs."""
    given = sanctions_for(election)
    return results_cache.cached(election, *given, lambda: _consolidate(election, given))


def _consolidate(election: Election, given: tuple[str, tuple[Sanction, ...]]) -> Consolidated:
    manifest = manifest_from_json(election.manifest)
    rule, sanctions = checked_sanctions(election, manifest, given)
    online = online_counts(election)
    protocols = counting_protocols(election)
    margin = recount_margin(election)
    document = consolidate(manifest, online or {}, protocols, margin, sanctions, rule)
    return Consolidated(manifest, document, online is None, sanctions, rule)


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
    excluded: int | None = None  # a deregistered candidate's votes, out of the total
    decision: str = ""  # the decision that deregistered the candidate


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
    annulled: str = ""  # the decision that annulled the contest ("": it stands)
    annulled_stations: list[tuple[str, str]] = field(default_factory=list)  # (code, decision)
    excluded_invalid: bool = False  # the excluded votes are counted invalid (the vote rule)
    invalid: int | None = None  # paper invalid + excluded votes under the "invalid" rule


@dataclass(frozen=True)
class DistrictResult:
    id: str
    name: str
    contests: list[ContestResult]

    @property
    def annulled(self) -> bool:
        """Every contest of the district annulled: "annulled — re-vote"."""
        return bool(self.contests) and all(c.annulled for c in self.contests)


def _percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def contest_result(
    contest: Contest,
    entry: Mapping[str, Any],
    online_ballots: int,
    language: str,
    where: tuple[str, SanctionNotes] = ("", SanctionNotes()),
) -> ContestResult:
    """One contest as the pages show it; `where`: its district and the sanctions' notes."""
    district, notes = where
    votes = sum(entry["total"].values())
    names = {o.id: in_language(o.name, language, o.id) for o in contest.options}
    excluded = entry.get("excluded", {})
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
            excluded=excluded.get(o.id),
            decision=notes.options.get((district, contest.id, o.id), ""),
        )
        for o in contest.options
    ]
    stations = [(code, notes.stations.get(code, "")) for code in entry.get("annulled_stations", [])]
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
        annulled=notes.contests.get((district, contest.id), "-") if entry.get("annulled") else "",
        annulled_stations=stations,
        excluded_invalid=bool(excluded) and notes.vote_rule == INVALID,
        invalid=entry.get("invalid"),
    )


def district_results(found: Consolidated, language: str) -> list[DistrictResult]:
    """Every district of the manifest, its contests' rows in manifest order."""
    out = []
    notes = found.notes
    for d in found.manifest.districts:
        entry = found.document["districts"][d.id]
        contests = [
            contest_result(
                c, entry["contests"][c.id], entry["online_ballots"], language, (d.id, notes)
            )
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
    "excluded",
    "annulled",
)


def results_table(found: Consolidated, language: str) -> list[list[Any]]:
    """results.csv: one row per district, contest and option (ids, names in `language`)."""
    rows: list[list[Any]] = []
    for d in district_results(found, language):
        for c in d.contests:
            for o in c.rows:
                margin = "" if c.margin is None else c.margin
                flags = [int(o.winner), int(c.tie), int(c.recount), margin]
                flags += ["" if o.excluded is None else o.excluded, int(bool(c.annulled))]
                rows.append(
                    [d.id, d.name, c.id, c.name, o.id, o.name, o.online, o.paper, o.total, *flags]
                )
    return rows


def protocols_table(election: Election) -> tuple[list[str], list[list[Any]]]:
    """protocols.csv: one row per published protocol revision, its count lines, one column
    per contest and option ("votes:<contest>:<option>", empty for another contest) and
    whether a sanction annulled the station (1: its protocols do not count)."""
    manifest = manifest_from_json(election.manifest)
    _, sanctions = checked_sanctions(election, manifest)
    annulled = {s.station for s in sanctions if s.kind == ANNUL_STATION}
    columns = [(c.id, o.id) for c in manifest.contests for o in c.options]
    header = ["station", "district", "contest", "revision", "reason", *FIELDS, "scan_sha256"]
    header += [f"votes:{cid}:{oid}" for cid, oid in columns]
    header.append("annulled")
    rows = []
    for p in published_protocols(election):
        row: list[Any] = [p["station"], p["district"], p["contest"], p["revision"], p["reason"]]
        row += [p["counts"][f] for f in FIELDS]
        row.append(p["scan_sha256"])
        row += [p["options"][oid] if cid == p["contest"] else "" for cid, oid in columns]
        row.append(int(p["station"] in annulled))
        rows.append(row)
    return header, rows
