"""How many electors each station has, for the sample designs (decision 0048).

A station's size is its paper voter list when it has one, else the electors the stations
file declared (`voters`), else unknown; saylau.survey.design.frame_sizes turns these into
the design's sizes (an unknown one counts as the mean of the known).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.utils.translation import gettext as _
from numpy.typing import NDArray

from saylau.stations.models import PaperAssignment, Station
from saylau.survey.design import frame_sizes

LIST, DECLARED, UNKNOWN = "list", "declared", "unknown"


@dataclass(frozen=True)
class Sizes:
    """Per station, in the order asked: its size (None when unknown) and where it is from."""

    known: list[int | None]
    sources: list[str]

    def values(self) -> NDArray[np.float64]:
        """The sizes the designs use (survey.design.frame_sizes)."""
        return frame_sizes(self.known)

    def counts(self) -> dict[str, int]:
        """How many stations take their size from each source (all three keys)."""
        found = Counter(self.sources)
        return {source: found[source] for source in (LIST, DECLARED, UNKNOWN)}


def describe_sizes(counts: dict[str, int]) -> str:
    """The design pages' line on where the stations' sizes come from, in the user's language."""
    text = _(
        "Station sizes from: voter lists %(lists)d, declared electors %(declared)d, "
        "unknown %(unknown)d."
    ) % {
        "lists": counts.get(LIST, 0),
        "declared": counts.get(DECLARED, 0),
        "unknown": counts.get(UNKNOWN, 0),
    }
    if counts.get(UNKNOWN, 0) and counts.get(LIST, 0) + counts.get(DECLARED, 0):
        text += " " + _("A station of unknown size counts as the mean of the known sizes.")
    elif counts.get(UNKNOWN, 0):
        text += " " + _("No station's size is known: every station counts the same.")
    return text


def station_sizes(election: Any, stations: Sequence[Station]) -> Sizes:
    """The sizes of `stations` (of `election`): paper voter list, declared electors, unknown."""
    lists = Counter(
        PaperAssignment.objects.filter(election_id=election.pk).values_list("station", flat=True)
    )
    known: list[int | None] = []
    sources: list[str] = []
    for station in stations:
        if lists[station.code]:
            known.append(lists[station.code])
            sources.append(LIST)
        elif station.voters is not None:
            known.append(station.voters)
            sources.append(DECLARED)
        else:
            known.append(None)
            sources.append(UNKNOWN)
    return Sizes(known, sources)
