"""The stations domain's interface for the apps above it (voting, paper, observation).

Stations::

    station_by_code(election, code)          find_station(election, code) (or None)
    stations_of(election, district=None)
    is_paper_station(election, code)         import_stations(election, csv stream)
    import_commission(election, csv stream)  commission_of(station)

Paper voters::

    assign_paper_voters(election, csv stream)   paper_voters(election, station)
    precinct_of_member(election, member_id)     paper_station_of_member(election, member_id)
    assign_paper_station(election, member_id, code)

Sizes for the sample designs: ``station_sizes(election, stations)``, ``describe_sizes``
(decision 0048).

The voter list: ``voter_list(election, station, language)`` and ``voter_list_pdf(...)``.
Errors are ``StationError`` subclasses with a code and a message in the user's language.
An `election` is the elections app's model instance, passed in (that app is above this one).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from saylau.stations.errors import (
    FontMissing,
    StationError,
    StationFileError,
    StationNotFound,
    VoterListLanguage,
)
from saylau.stations.importing import import_commission, import_stations, valid_code
from saylau.stations.models import CommissionMember, PaperAssignment, Station
from saylau.stations.paper_voters import assign_paper_voters
from saylau.stations.report import ImportReport, RejectedRow
from saylau.stations.sizes import Sizes, describe_sizes, station_sizes
from saylau.stations.voter_list import VoterList, voter_list

__all__ = [
    "FontMissing",
    "ImportReport",
    "RejectedRow",
    "Sizes",
    "StationError",
    "StationFileError",
    "StationNotFound",
    "VoterList",
    "VoterListLanguage",
    "assign_paper_station",
    "assign_paper_voters",
    "commission_of",
    "describe_sizes",
    "find_station",
    "import_commission",
    "import_stations",
    "is_paper_station",
    "paper_station_of_member",
    "paper_voters",
    "precinct_of_member",
    "station_by_code",
    "station_sizes",
    "stations_of",
    "voter_list",
    "voter_list_pdf",
]


def find_station(election: Any, code: str) -> Station | None:
    """The election's station with this code, or None."""
    return Station.objects.filter(election_id=election.pk, code=code).first()


def station_by_code(election: Any, code: str) -> Station:
    """The election's station with this code, or StationNotFound."""
    station = find_station(election, code)
    if station is None:
        raise StationNotFound(
            _("This election has no station with the code “%(code)s”.") % {"code": code[:70]}
        )
    return station


def stations_of(election: Any, district: str | None = None) -> QuerySet[Station]:
    """The election's stations (of one district), by district and number."""
    stations = Station.objects.filter(election_id=election.pk)
    return stations.filter(district=district) if district is not None else stations


def is_paper_station(election: Any, code: str) -> bool:
    """True when `code` names a polling station of the election (where members vote on paper)."""
    return Station.objects.filter(election_id=election.pk, code=code).exists()


def commission_of(station: Station) -> QuerySet[CommissionMember]:
    return CommissionMember.objects.filter(station=station)


def paper_voters(election: Any, station: Station | str) -> list[int]:
    """The member ids on the list of paper station `station` (a Station or its code)."""
    code = station.code if isinstance(station, Station) else station
    return list(
        PaperAssignment.objects.filter(election_id=election.pk, station=code)
        .order_by("member_id")
        .values_list("member_id", flat=True)
    )


def precinct_of_member(election: Any, member_id: int) -> str | None:
    """The paper station member `member_id` votes at in `election` (its code), or None."""
    station: str | None = (
        PaperAssignment.objects.filter(election_id=election.pk, member_id=member_id)
        .values_list("station", flat=True)
        .first()
    )
    return station


def paper_station_of_member(election: Any, member_id: int) -> Station | None:
    """The Station of the member's paper station, None if online or its code names none."""
    code = precinct_of_member(election, member_id)
    return None if code is None else find_station(election, code)


def assign_paper_station(election: Any, member_id: int, station: str) -> None:
    """Put member `member_id` on the list of paper station `station` (its code)."""
    problem = valid_code(station)
    if problem:
        raise StationError(problem, field="station")
    PaperAssignment.objects.update_or_create(
        election_id=election.pk, member_id=member_id, defaults={"station": station}
    )


def voter_list_pdf(election: Any, station: Station, language: str) -> bytes:
    """The station's printable voter list in `language` (kk or ru) as PDF bytes."""
    from saylau.stations import pdf  # reportlab is loaded only when a list is printed

    return pdf.voter_list_pdf(election, station, language)
