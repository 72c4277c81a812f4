"""Members who vote on paper cannot vote online.

Two cases, each answered with a message naming the precinct:
- a paper vote of the member is on the board (a `paper_override` leaf for their credential);
- the member belongs to a paper precinct: asked of `saylau.paper.services.precinct_of_member
  (election, member_id) -> str | None` once the paper app exists (until then, nobody does).
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable

from django.utils.translation import gettext as _

from saylau.elections import services as elections
from saylau.elections.models import Election
from saylau.protocol.canonical import strict_loads
from saylau.voting.errors import PaperPrecinct
from saylau.voting.models import Leaf, LeafKind


def _paper_lookup() -> Callable[[Election, int], str | None] | None:
    if importlib.util.find_spec("saylau.paper") is None:
        return None
    try:
        module = importlib.import_module("saylau.paper.services")
    except ImportError:
        return None
    lookup: Callable[[Election, int], str | None] | None = getattr(
        module, "precinct_of_member", None
    )
    return lookup


def paper_vote_precinct(election: Election, credential: str) -> str | None:
    data = (
        Leaf.objects.filter(election=election, credential=credential, kind=LeafKind.PAPER_OVERRIDE)
        .values_list("data", flat=True)
        .first()
    )
    if data is None:
        return None
    return str(strict_loads(bytes(data)).get("precinct", ""))


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
        precinct = paper_vote_precinct(election, credential)
        if precinct is not None:
            raise voted_on_paper(precinct)
    lookup = _paper_lookup()
    precinct = lookup(election, member_id) if lookup is not None else None
    if precinct:
        raise PaperPrecinct(
            _(
                "You are on the list of paper precinct %(precinct)s: please vote there. "
                "Members of a paper precinct cannot vote online."
            )
            % {"precinct": precinct}
        )
