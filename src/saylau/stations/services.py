"""The stations domain's interface for the apps above it (voting, later paper)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from saylau.errors import UserError
from saylau.stations.models import PaperAssignment


class StationError(UserError):
    code = "stations.invalid"


def precinct_of_member(election: Any, member_id: int) -> str | None:
    """The paper station member `member_id` votes at in `election`, or None (online)."""
    station: str | None = (
        PaperAssignment.objects.filter(election_id=election.pk, member_id=member_id)
        .values_list("station", flat=True)
        .first()
    )
    return station


def assign_paper_station(election: Any, member_id: int, station: str) -> None:
    """Put member `member_id` on the list of paper station `station` (1 to 64 characters)."""
    if not 1 <= len(station) <= 64:
        raise StationError(_("A precinct identifier has 1 to 64 characters."))
    PaperAssignment.objects.update_or_create(
        election_id=election.pk, member_id=member_id, defaults={"station": station}
    )
