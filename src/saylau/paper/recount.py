"""A recount: an organiser opens a new revision of an accepted protocol, with the reason.

The new revision goes through double entry and its scan like the first; when it is
accepted, the revision accepted before it becomes superseded (entry.try_accept). Both are
kept, and the result changes only this way.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from saylau.elections.audit import audit
from saylau.elections.models import Election
from saylau.paper import roles
from saylau.paper.entry import contest_of, latest
from saylau.paper.entry_errors import InvalidEntry, RecountRefused
from saylau.paper.models import Protocol
from saylau.stations.models import Station

MAX_REASON = 2000


@transaction.atomic
def open_recount(
    election: Election, station: Station, contest_id: str, user: Any, reason: str
) -> Protocol:
    """Revision n + 1 of the station's protocol for the contest, a draft with `reason`."""
    roles.require(user, roles.OPEN_RECOUNT, station)
    contest_of(election, station, contest_id)
    reason = reason.strip()
    if not reason:
        raise InvalidEntry(_("Give the reason for the recount."), field="reason")
    if len(reason) > MAX_REASON:
        raise InvalidEntry(
            _("The reason has at most %(n)s characters.") % {"n": MAX_REASON}, field="reason"
        )
    current = latest(election, station, contest_id)
    if current is not None:  # lock it, then look again: a recount opened meanwhile is newer
        Protocol.objects.select_for_update().filter(pk=current.pk).first()
        current = latest(election, station, contest_id)
    if current is None or current.status != Protocol.Status.ACCEPTED:
        raise RecountRefused(
            _(
                "A recount is opened on an accepted protocol; this station's protocol for "
                "the contest is not accepted yet."
            )
        )
    protocol = Protocol.objects.create(
        election=election,
        station=station,
        contest=contest_id,
        revision=current.revision + 1,
        reason=reason,
    )
    audit(
        election,
        user.get_username(),
        "paper.recount_opened",
        protocol=protocol.pk,
        station=station.code,
        contest=contest_id,
        revision=protocol.revision,
    )
    return protocol
