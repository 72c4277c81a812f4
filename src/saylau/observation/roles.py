"""Who may do what in the observer network: the roles' grants and the checks the services run.

A coordinator acts for the organisations whose headquarters list them; an HQ account
(``observation.headquarters``) sees every organisation; an observer acts for themselves.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from saylau.observation.errors import ObservationForbidden
from saylau.observation.models import Headquarters, Observer, Organisation

COORDINATE = "observation.coordinate"
HEADQUARTERS = "observation.headquarters"


def declare_grants() -> None:
    """The observation app's part of the role groups (called from the app's ready())."""
    from saylau.web.roles import AUDITOR, OBSERVER_COORDINATOR, OBSERVER_HQ, ORGANISER, grant

    grant(OBSERVER_COORDINATOR, COORDINATE)
    grant(OBSERVER_HQ, COORDINATE, HEADQUARTERS)
    grant(ORGANISER, COORDINATE, HEADQUARTERS)
    grant(AUDITOR, HEADQUARTERS)


def coordinates(user: Any, organisation: Organisation) -> bool:
    if not user.is_authenticated or not user.has_perm(COORDINATE):
        return False
    if user.has_perm(HEADQUARTERS):
        return True
    return Headquarters.objects.filter(organisation=organisation, coordinators=user).exists()


def require_coordinator(user: Any, organisation: Organisation) -> None:
    if not coordinates(user, organisation):
        raise ObservationForbidden(
            _("You do not coordinate the observers of %(organisation)s.")
            % {"organisation": organisation.name}
        )


def require_headquarters(user: Any) -> None:
    if not user.is_authenticated or not (user.has_perm(HEADQUARTERS) or user.has_perm(COORDINATE)):
        raise ObservationForbidden(_("Only observer coordinators can see this page."))


def require_hq_account(user: Any) -> None:
    """An HQ account (every organisation's network), for what is shared by all of them."""
    if not user.is_authenticated or not user.has_perm(HEADQUARTERS):
        raise ObservationForbidden(_("Only an HQ account can do this."))


def observer_of(user: Any) -> Observer:
    """The observer whose account `user` is; ObservationForbidden otherwise."""
    observer = (
        Observer.objects.filter(user_id=user.pk).select_related("organisation").first()
        if user.is_authenticated
        else None
    )
    if observer is None:
        raise ObservationForbidden(_("Only a registered observer can send reports."))
    return observer
