"""Who may do what with a station's protocols: the roles' grants and the checks the services run.

A permission (a Django group's, web/roles.py) says what a user may do; the station says
where: an account linked to the station's commission (CommissionMember.user) acts for that
station, an organiser (``paper.any_station``) for all of them, and a staff supervisor
(``is_staff``) settles entries at any station.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from saylau.paper.entry_errors import PaperForbidden
from saylau.stations.models import CommissionMember, Station

ENTER = "paper.enter_protocol"
RESOLVE = "paper.resolve_protocol"
UPLOAD_SCAN = "paper.upload_scan"
MARK_VOTED = "paper.mark_voted"
OPEN_RECOUNT = "paper.open_recount"
ANY_STATION = "paper.any_station"
VIEW = "paper.view_protocol"

#: the permissions a staff supervisor (is_staff) holds for every station, not only their own
STAFF_WIDE = frozenset({RESOLVE, UPLOAD_SCAN})


def declare_grants() -> None:
    """The paper app's part of the role groups (called from the app's ready())."""
    from saylau.web.roles import (
        AUDITOR,
        COMMISSION_OPERATOR,
        COMMISSION_SUPERVISOR,
        ORGANISER,
        grant,
    )

    view = (VIEW, "paper.view_protocolentry", "paper.view_resolution")
    grant(AUDITOR, *view)
    grant(COMMISSION_OPERATOR, VIEW, ENTER, UPLOAD_SCAN, MARK_VOTED)
    grant(COMMISSION_SUPERVISOR, *view, RESOLVE, UPLOAD_SCAN)
    grant(ORGANISER, *view, ENTER, RESOLVE, UPLOAD_SCAN, MARK_VOTED, OPEN_RECOUNT, ANY_STATION)


def _refusal(permission: str) -> str:
    messages = {
        ENTER: _("Only a commission operator can enter a protocol."),
        RESOLVE: _("Only a commission supervisor can settle differing entries."),
        UPLOAD_SCAN: _("Your account may not upload the scan of a protocol."),
        MARK_VOTED: _("Your account may not upload who voted on paper."),
        OPEN_RECOUNT: _("Only an organiser can open a recount."),
        VIEW: _("Your account may not see the protocols of paper stations."),
    }
    return messages[permission]


def on_commission(user: Any, station: Station) -> bool:
    return CommissionMember.objects.filter(station=station, user_id=user.pk).exists()


def acts_for(user: Any, permission: str, station: Station) -> bool:
    """Whether `user` may do `permission` at `station` (the same rule as `require`)."""
    if not user.is_authenticated or not user.has_perm(permission):
        return False
    if user.has_perm(ANY_STATION):
        return True
    if permission in STAFF_WIDE and user.is_staff:
        return True
    return on_commission(user, station)


def require(user: Any, permission: str, station: Station) -> None:
    """Raise PaperForbidden unless `user` may do `permission` at `station`."""
    if not user.is_authenticated or not user.has_perm(permission):
        raise PaperForbidden(_refusal(permission))
    if not acts_for(user, permission, station):
        raise PaperForbidden(
            _("You are not on the commission of station %(station)s.") % {"station": station.code}
        )


def visible_stations(user: Any) -> QuerySet[Station]:
    """The stations whose protocols `user` may see: all for organisers and staff (auditors);
    else the ones whose commission they are on."""
    if not user.is_authenticated or not user.has_perm(VIEW):
        return Station.objects.none()
    if user.has_perm(ANY_STATION) or user.is_staff:
        return Station.objects.all()
    ids = CommissionMember.objects.filter(user_id=user.pk).values_list("station_id", flat=True)
    return Station.objects.filter(pk__in=ids)
