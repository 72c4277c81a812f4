"""The paper domain's interface for views, the CLI and the apps above it.

Protocols::

    protocols_of(election, station=None) -> QuerySet[Protocol]   every revision, any status
    latest_protocol(election, station, contest) -> Protocol | None
    submit_entry(election, station, contest, user, Typed(counts, options)) -> Protocol
    resolve(protocol, user, {(kind, name): value}) -> Protocol      a supervisor's settlement
    request_reentry(protocol, user) -> Protocol                       both operators again
    upload_scan(protocol, user, data) -> Protocol                     PDF / JPEG / PNG ≤ 20 MB
    open_recount(election, station, contest, user, reason) -> Protocol   revision n + 1

Who voted on paper::

    mark_voted(election, station, user, data, now=None) -> VotedReport

Statuses: an accepted protocol has its counts, options and scan_sha256; a superseded one was
accepted before a recount's revision was. Drafts and conflicts never count. Refusals are
`saylau.paper.entry_errors.PaperError` subclasses with translated messages.
"""

from __future__ import annotations

from django.db.models import QuerySet

from saylau.elections.models import Election
from saylau.paper.entry import Typed, request_reentry, resolve, submit_entry
from saylau.paper.entry import latest as latest_protocol
from saylau.paper.models import Protocol
from saylau.paper.recount import open_recount
from saylau.paper.scans import upload_scan
from saylau.paper.voted import VotedReport, mark_voted
from saylau.stations.models import Station


def protocols_of(election: Election, station: Station | None = None) -> QuerySet[Protocol]:
    """Every protocol revision of the election (or of one station), by station, contest and
    revision."""
    found = Protocol.objects.filter(election=election).select_related("station")
    if station is not None:
        found = found.filter(station=station)
    return found.order_by("station__code", "contest", "revision")


__all__ = [
    "Typed",
    "VotedReport",
    "latest_protocol",
    "mark_voted",
    "open_recount",
    "protocols_of",
    "request_reentry",
    "resolve",
    "submit_entry",
    "upload_scan",
]
