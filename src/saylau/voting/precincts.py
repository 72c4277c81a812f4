"""Members who vote on paper cannot vote online.

Two cases, each answered with a message naming the precinct: a paper vote of the member is
on the board (a `paper_override` leaf for their credential), or the member is on the list of
a paper station (`saylau.stations`).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from saylau.board import services as board
from saylau.elections import services as elections
from saylau.elections.models import Election
from saylau.stations import services as stations
from saylau.voting.errors import PaperPrecinct


def voted_on_paper(precinct: str) -> PaperPrecinct:
    return PaperPrecinct(
        _(
            "You have already voted on paper at precinct %(precinct)s, so you cannot vote "
            "online in this election."
        )
        % {"precinct": precinct}
    )


def refuse_paper_voter(election: Election, member_id: int) -> None:
    """Raise PaperPrecinct if the member voted on paper or belongs to a paper precinct."""
    credential = elections.credential_of_member(election, member_id)
    if credential is not None:
        precinct = board.paper_vote_precinct(election, credential)
        if precinct is not None:
            raise voted_on_paper(precinct)
    precinct = stations.precinct_of_member(election, member_id)
    if not precinct:
        return
    station = stations.find_station(election, precinct)
    if station is not None:
        raise PaperPrecinct(
            _(
                "You vote on paper at polling station No. %(number)s, %(address)s (station "
                "%(code)s): please vote there. Members of a paper station cannot vote online."
            )
            % {"number": station.number, "address": station.address, "code": station.code}
        )
    raise PaperPrecinct(
        _(
            "You are on the list of paper precinct %(precinct)s: please vote there. "
            "Members of a paper precinct cannot vote online."
        )
        % {"precinct": precinct}
    )
