"""Put members of an election's roll on the lists of its paper stations, from a CSV file.

Columns `iin` and `station` (a station code). The IIN must be valid, on the election's closed
roll, and in the station's district. Read in batches as the file streams, one transaction
per file; bad rows are listed by line with the reason, never with the IIN.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, BinaryIO

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from saylau.registry import iin as iin_rules
from saylau.registry import services as registry
from saylau.registry.messages import problem_message
from saylau.stations.csvfile import Columns, Row, read_rows
from saylau.stations.importing import no_station, undecodable
from saylau.stations.models import PaperAssignment, Station
from saylau.stations.report import ImportReport

BATCH = 2000
PAPER_COLUMNS = Columns(
    required=("iin", "station"),
    optional=(),
    aliases={
        "iin": ("иин", "жсн"),
        "station": ("station code", "code", "участок", "учаске", "код участка"),
    },
)


@dataclass(frozen=True, slots=True)
class _Pending:
    line: int
    iin: str
    station: str


def _check(row: Row, stations: dict[str, str], seen: dict[str, int]) -> _Pending | str:
    if row.undecodable:
        return undecodable()
    iin = "".join(row.values["iin"].split())
    if not iin:
        return problem_message("iin.missing")
    try:
        iin_rules.parse(iin)
    except iin_rules.IINError as error:
        return problem_message("iin." + error.code)
    if iin in seen:
        return problem_message("iin.duplicate", seen[iin])
    code = row.values["station"]
    if code not in stations:
        return no_station(code)
    seen[iin] = row.line
    return _Pending(row.line, iin, code)


def assign_paper_voters(election: Any, stream: BinaryIO | bytes) -> ImportReport:
    """Assign members to paper stations; a member already assigned elsewhere moves."""
    with transaction.atomic():
        writer = _Writer(election)
        seen: dict[str, int] = {}
        batch: list[_Pending] = []
        for row in read_rows(stream, PAPER_COLUMNS):
            checked = _check(row, writer.stations, seen)
            if isinstance(checked, str):
                writer.report.reject(row.line, checked)
                continue
            batch.append(checked)
            if len(batch) >= BATCH:
                writer.write(batch)
                batch = []
        writer.write(batch)
    writer.report.rejected.sort(key=lambda r: r.line)
    return writer.report


class _Writer:
    """Checks a batch of rows against the roll and writes the assignments that pass."""

    def __init__(self, election: Any) -> None:
        self.election = election
        self.report = ImportReport()
        self.stations: dict[str, str] = dict(
            Station.objects.filter(election_id=election.pk).values_list("code", "district")
        )
        self.entries: QuerySet[Any] = registry.roll_entries(election.slug)  # closed rolls only
        self.current: dict[int, str] = dict(
            PaperAssignment.objects.filter(election_id=election.pk).values_list(
                "member_id", "station"
            )
        )

    def write(self, batch: list[_Pending]) -> None:
        if not batch:
            return
        found = {
            iin: (member_id, district)
            for iin, member_id, district in self.entries.filter(
                member__iin__in=[p.iin for p in batch]
            ).values_list("member__iin", "member_id", "district_id")
        }
        wanted: dict[int, str] = {}
        for pending in batch:
            member = found.get(pending.iin)
            district = self.stations[pending.station]
            if member is None:
                self.report.reject(
                    pending.line, _("No member with this IIN is on this election's roll.")
                )
            elif member[1] != district:
                self.report.reject(
                    pending.line,
                    _(
                        "This member is on the roll in district %(member)s, but station "
                        "%(code)s is in district %(district)s."
                    )
                    % {"member": member[1], "code": pending.station, "district": district},
                )
            else:
                wanted[member[0]] = pending.station
        self._save(wanted)

    def _save(self, wanted: dict[int, str]) -> None:
        moves: dict[str, list[int]] = {}
        new: list[PaperAssignment] = []
        for member_id, code in wanted.items():
            before = self.current.get(member_id)
            if before is None:
                new.append(
                    PaperAssignment(election_id=self.election.pk, member_id=member_id, station=code)
                )
            elif before == code:
                self.report.unchanged += 1
            else:
                moves.setdefault(code, []).append(member_id)
                self.report.updated += 1
            self.current[member_id] = code
        for code, member_ids in moves.items():
            PaperAssignment.objects.filter(
                election_id=self.election.pk, member_id__in=member_ids
            ).update(station=code)
        PaperAssignment.objects.bulk_create(new, batch_size=BATCH)
        self.report.created += len(new)
