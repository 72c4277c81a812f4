"""The sanctions as the results pages and exports show them: which decision deregistered a
candidate, annulled a contest or a station (docs/protocol.md §14). The counts themselves are
protocol.consolidation's; this only says why a row is excluded or a contest annulled."""

from __future__ import annotations

from dataclasses import dataclass, field

from saylau.elections.models import Election
from saylau.paper.sanction_source import sanctions_for
from saylau.protocol import sanctions as record
from saylau.protocol.manifest import Manifest
from saylau.stations.models import Station


def checked_sanctions(
    election: Election,
    manifest: Manifest,
    given: tuple[str, tuple[record.Sanction, ...]] | None = None,
) -> tuple[str, tuple[record.Sanction, ...]]:
    """The election's (vote rule, sanctions) (`given`, or asked of the provider), each
    checked against the manifest and the stations: SanctionProblem names the first that does
    not fit (the record would not verify with it)."""
    rule, sanctions = given if given is not None else sanctions_for(election)
    if rule not in record.VOTE_RULES:
        raise record.SanctionProblem(
            "sanction.rule",
            "unknown vote rule",
            rule=repr(rule),
            rules=", ".join(record.VOTE_RULES),
        )
    if sanctions:
        stations = dict(Station.objects.filter(election=election).values_list("code", "district"))
        record.check(manifest, sanctions, stations)
    return rule, sanctions


@dataclass(frozen=True)
class SanctionNotes:
    """The decision (its register reference) behind each excluded option, annulled contest
    and annulled station, and the election's rule for excluded votes."""

    options: dict[tuple[str, str, str], str] = field(default_factory=dict)
    contests: dict[tuple[str, str], str] = field(default_factory=dict)
    stations: dict[str, str] = field(default_factory=dict)
    vote_rule: str = record.SET_ASIDE

    @classmethod
    def of(
        cls, manifest: Manifest, sanctions: tuple[record.Sanction, ...], vote_rule: str
    ) -> SanctionNotes:
        notes = cls(vote_rule=vote_rule)
        for s in sanctions:
            for d in manifest.districts:
                if s.district not in (None, d.id):
                    continue
                ballot = [c.id for c in manifest.contests_for(d.id)]
                if s.kind == record.DEREGISTER_CANDIDATE and s.contest in ballot and s.option:
                    notes.options.setdefault((d.id, s.contest, s.option), s.decision)
                elif s.kind == record.ANNUL_DISTRICT:
                    for c in ballot if s.contest is None else [s.contest]:
                        notes.contests.setdefault((d.id, c), s.decision)
            if s.kind == record.ANNUL_STATION and s.station:
                notes.stations.setdefault(s.station, s.decision)
        return notes
