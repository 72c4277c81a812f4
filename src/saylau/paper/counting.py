"""Which protocols are public and which count (docs/protocol.md §13, the record's paper part).

Published: every accepted revision of a station's protocol for a contest, the ones a recount
superseded too, as the record's protocols.jsonl lines, sorted by (station, contest, revision).
Counting: per station and contest, the accepted revision with the highest number. Drafts and
protocols whose entries differ are neither.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from saylau.elections.models import Election
from saylau.paper.models import Protocol
from saylau.protocol import documents
from saylau.protocol.manifest import Manifest, manifest_from_json
from saylau.protocol.paper_protocol import InvalidProtocolCounts, counts_from_json
from saylau.stations.models import Station

PUBLISHED = (Protocol.Status.ACCEPTED, Protocol.Status.SUPERSEDED)


def protocol_line(
    manifest: Manifest,
    *,
    station: str,
    district: str,
    contest: str,
    revision: int,
    reason: str,
    counts: Any,
    options: Any,
    scan_sha256: str,
) -> dict[str, Any]:
    """One protocols.jsonl line (protocol.documents.protocol_line) from a stored protocol:
    InvalidProtocolCounts if its counts do not fit the contest or the contest is not on the
    ballot of the station's district; ManifestProblem for a district the manifest lacks."""
    where = f"protocol {station}/{contest}/{revision}"
    if contest not in {c.id for c in manifest.contests_for(district)}:
        raise InvalidProtocolCounts("paper.unknown_field", where=where, field=contest)
    option_ids = [o.id for o in manifest.contest(contest).options]
    read = counts_from_json(counts, options, option_ids, where)
    return documents.protocol_line(
        station, district, contest, revision, reason, read, option_ids, scan_sha256
    )


#: The columns of a protocol that its published line is made of.
COLUMNS = (
    "station__code",
    "station__district",
    "contest",
    "revision",
    "reason",
    "counts",
    "options",
    "scan_sha256",
)
Row = tuple[str, str, str, int, str, Any, Any, str]


def _protocols(election: Election, statuses: Iterable[str], station: str | None) -> list[Row]:
    """The protocols' COLUMNS (no model instances: 10,000 stations' worth stays quick)."""
    found = Protocol.objects.filter(election=election, status__in=list(statuses))
    if station is not None:
        found = found.filter(station__code=station)
    ordered = found.order_by("station__code", "contest", "revision")
    return list(ordered.values_list(*COLUMNS))


def _lines(manifest: Manifest, protocols: Iterable[Row]) -> list[dict[str, Any]]:
    return [
        protocol_line(
            manifest,
            station=code,
            district=district,
            contest=contest,
            revision=revision,
            reason=reason,
            counts=counts,
            options=options,
            scan_sha256=sha,
        )
        for code, district, contest, revision, reason, counts, options, sha in protocols
    ]


def published_protocols(election: Election, station: str | None = None) -> list[dict[str, Any]]:
    """The protocols.jsonl lines (of one station, if given): accepted and superseded
    revisions, sorted by (station code, contest, revision); InvalidProtocolCounts if a stored
    protocol does not fit the manifest."""
    manifest = manifest_from_json(election.manifest)
    return _lines(manifest, _protocols(election, PUBLISHED, station))


def counting_protocols(election: Election, station: str | None = None) -> list[dict[str, Any]]:
    """Per station (or of one station) and contest the accepted revision with the highest
    number, as protocols.jsonl lines: what the consolidation adds to the online tally."""
    manifest = manifest_from_json(election.manifest)
    latest: dict[tuple[str, str], Row] = {}
    for row in _protocols(election, [Protocol.Status.ACCEPTED], station):
        latest[(row[0], row[2])] = row  # ordered by revision: the last one wins
    return _lines(manifest, latest.values())


def stations(election: Election) -> list[Station]:
    return list(Station.objects.filter(election=election).order_by("code"))


def has_paper(election: Election) -> bool:
    """Whether the election has a paper station (then the record holds its paper part)."""
    return Station.objects.filter(election=election).exists()


def election_stations_document(election: Election) -> dict[str, Any]:
    """paper/stations.json of the election."""
    return documents.stations_document(
        {"code": s.code, "number": s.number, "district": s.district, "address": s.address}
        for s in stations(election)
    )
