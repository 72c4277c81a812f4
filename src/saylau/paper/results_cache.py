"""The cache of an election's consolidated results (decision 0040).

The consolidation is a pure function of its inputs: the manifest, the decrypted online
results, the accepted protocols, the recount margin, the sanctions with their vote rule and,
with sanctions, the stations they are checked against. The key is a digest of exactly those,
read with a few cheap queries (ids and timestamps, not the protocols' counts), so a changed
input is a new key: no page shows a stale result, nothing is invalidated, and every process
derives the same key. Django's default cache (local memory unless settings.CACHES says).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import cache

from saylau.elections import services as elections
from saylau.elections.models import Election
from saylau.paper.models import PaperSettings, Protocol
from saylau.protocol.sanctions import Sanction
from saylau.stations.models import Station

T = TypeVar("T")

#: seconds an entry is kept; a changed input never reuses it, so this only bounds memory
TIMEOUT = 24 * 3600
PREFIX = "saylau:consolidated:"
#: the columns of an accepted protocol that say which one it is (its counts are settled
#: before it is accepted and never change after; a recount is a new revision)
PROTOCOL_VERSION = ("pk", "station_id", "contest", "revision", "accepted_at")


def inputs(election: Election, rule: str, sanctions: tuple[Sanction, ...]) -> list[Any]:
    """Everything the consolidation of `election` depends on, as JSON-able values."""
    accepted = Protocol.objects.filter(election=election, status=Protocol.Status.ACCEPTED)
    margin = PaperSettings.objects.filter(election=election).values_list("recount_margin")
    stations: list[Any] = []
    if sanctions:
        rows = Station.objects.filter(election=election).order_by("code")
        stations = list(rows.values_list("code", "district"))
    return [
        election.pk,
        election.manifest,
        elections.election_results(election),  # None before the tally is decrypted
        [list(row) for row in accepted.order_by("pk").values_list(*PROTOCOL_VERSION)],
        list(margin),
        rule,
        [repr(s) for s in sanctions],
        stations,
    ]


def key(election: Election, rule: str, sanctions: tuple[Sanction, ...]) -> str:
    raw = json.dumps(inputs(election, rule, sanctions), sort_keys=True, default=str)
    return PREFIX + hashlib.sha256(raw.encode()).hexdigest()


def cached(
    election: Election, rule: str, sanctions: tuple[Sanction, ...], compute: Callable[[], T]
) -> T:
    """The value cached under the key of these inputs, computed (and stored) on a miss."""
    k = key(election, rule, sanctions)
    found: T | None = cache.get(k)
    if found is None:
        found = compute()
        cache.set(k, found, TIMEOUT)
    return found
