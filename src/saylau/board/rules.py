"""The re-vote rule on the board: which ballots count, and a credential's paper vote."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _

from saylau.board.errors import BoardError
from saylau.board.keys import Owner, log_id
from saylau.board.models import Leaf, LeafKind
from saylau.protocol import events
from saylau.protocol.ballot import Ballot, ballot_from_json
from saylau.protocol.canonical import canonical_json, strict_loads


def board_rules(election: Owner) -> events.BoardRules:
    """Apply protocol.events.BoardRules to the board's leaves, from the stored columns."""
    fingerprint_hex = log_id(election).hex()
    rules = events.BoardRules(fingerprint_hex)
    rows = (
        Leaf.objects.filter(election_id=election.pk)
        .order_by("index")
        .values_list("index", "kind", "time", "credential", "tracking_code", "replaces")
    )
    for index, kind, time_ms, credential, code, replaces in rows.iterator(chunk_size=5000):
        rules.apply(
            events.LeafSummary(
                index=index,
                type=kind,
                time=time_ms,
                credential=credential,
                tracking_code=code,
                replaces=replaces,
                election=fingerprint_hex if kind == LeafKind.OPEN else None,
            )
        )
    return rules


def _ballot_of(data: bytes) -> dict[str, Any]:
    raw = strict_loads(data)["ballot"]
    if not isinstance(raw, dict):
        raise BoardError(_("A ballot leaf of the board is damaged."))
    return raw


def counted_ballot_json(election: Owner, chunk: int = 500) -> Iterator[bytes]:
    """The canonical JSON of every ballot that counts (the last per credential, none for a
    credential with a paper override), in board order."""
    counted = sorted(board_rules(election).counted().values())
    for i in range(0, len(counted), chunk):
        rows = (
            Leaf.objects.filter(election_id=election.pk, index__in=counted[i : i + chunk])
            .order_by("index")
            .values_list("data", flat=True)
        )
        for data in rows:
            yield canonical_json(_ballot_of(bytes(data)))


def counted_ballots(election: Owner) -> Iterator[Ballot]:
    """The parsed ballots that count (see counted_ballot_json); each was verified at cast."""
    for blob in counted_ballot_json(election):
        yield ballot_from_json(strict_loads(blob))


def paper_vote_precinct(election: Owner, credential: str) -> str | None:
    """The precinct of the credential's paper vote on the board, or None."""
    data = (
        Leaf.objects.filter(
            election_id=election.pk, credential=credential, kind=LeafKind.PAPER_OVERRIDE
        )
        .values_list("data", flat=True)
        .first()
    )
    if data is None:
        return None
    return str(strict_loads(bytes(data)).get("precinct", ""))
