"""An election's recount margin: a contest whose winners lead by at most this many votes, or
that ties, is flagged for recount (default 2; PaperSettings, set by organisers in the admin)."""

from __future__ import annotations

from saylau.elections.models import Election
from saylau.paper.models import PaperSettings
from saylau.protocol.consolidation import DEFAULT_RECOUNT_MARGIN


def recount_margin(election: Election) -> int:
    """The election's recount margin (DEFAULT_RECOUNT_MARGIN unless set)."""
    found = (
        PaperSettings.objects.filter(election=election)
        .values_list("recount_margin", flat=True)
        .first()
    )
    return DEFAULT_RECOUNT_MARGIN if found is None else found
