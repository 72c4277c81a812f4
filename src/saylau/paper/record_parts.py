"""The paper part of the election record (docs/protocol.md §13, §14):

    paper/stations.json     the stations: code, number, district, address
    paper/protocols.jsonl   every accepted protocol revision (superseded ones too)
    consolidation.json      the online tally plus the counting protocols, per district,
                            with the sanctions applied
    sanctions.json          the committee's sanctions, when the election has any

All canonical JSON, written for an election with a paper station or a sanction (then all of
the first three: with no station an empty list and no protocol line, decision 0036).
`register` (called from the app's `ready`) adds the part to elections.publication, which never
imports paper, and gives the roles their permissions on the paper settings.
"""

from __future__ import annotations

from saylau.elections.models import Election
from saylau.elections.publication import register_record_part
from saylau.paper import counting, results
from saylau.protocol import documents
from saylau.protocol import sanctions as record_sanctions
from saylau.record.disk import RecordWriter
from saylau.web.roles import AUDITOR, ORGANISER, grant


def write_paper_part(election: Election, w: RecordWriter) -> None:
    """Write the election's paper files and sanctions into the record being written (none
    without a paper station or a sanction)."""
    found = results.consolidated(election)
    if not counting.has_paper(election) and not found.sanctions:
        return
    if found.provisional:
        raise results.ConsolidationNotReady()
    (w.dir / "paper").mkdir(exist_ok=True)
    w.write_json(documents.STATIONS, counting.election_stations_document(election))
    w.write_lines(
        documents.PROTOCOLS, documents.protocols_lines(counting.published_protocols(election))
    )
    w.write_json(documents.CONSOLIDATION, found.document)
    if found.sanctions:
        sanctions = record_sanctions.document(found.sanctions, found.vote_rule)
        w.write_json(documents.SANCTIONS, sanctions)


def register() -> None:
    register_record_part(write_paper_part)
    grant(ORGANISER, "paper.view_papersettings", "paper.add_papersettings")
    grant(ORGANISER, "paper.change_papersettings")
    grant(AUDITOR, "paper.view_papersettings")
