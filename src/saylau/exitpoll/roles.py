"""Who may do what in an exit poll: the pollster role's grant and the checks the services run.

A pollster (``exitpoll.run_poll``) registers polls and runs the ones that list them; an
interviewer acts for themselves at the stations they are assigned to.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from saylau.exitpoll.errors import ExitPollForbidden
from saylau.exitpoll.models import Interviewer, Poll

RUN_POLL = "exitpoll.run_poll"


def declare_grants() -> None:
    """The exit poll app's part of the role groups (called from the app's ready())."""
    from saylau.web.roles import POLLSTER, grant

    grant(POLLSTER, RUN_POLL)


def is_pollster(user: Any) -> bool:
    return bool(user.is_authenticated and user.has_perm(RUN_POLL))


def runs(user: Any, poll: Poll) -> bool:
    """Whether `user` is one of the poll's pollsters."""
    return is_pollster(user) and poll.pollsters.filter(pk=user.pk).exists()


def require_pollster(user: Any) -> None:
    if not is_pollster(user):
        raise ExitPollForbidden(_("Only a pollster can do this."))


def require_runs(user: Any, poll: Poll) -> None:
    if not runs(user, poll):
        raise ExitPollForbidden(_("You do not run the exit poll %(poll)s.") % {"poll": poll.name})


def interviewer_of(user: Any, poll: Poll) -> Interviewer:
    """The poll's interviewer whose account `user` is; ExitPollForbidden otherwise."""
    found = (
        Interviewer.objects.filter(poll=poll, user_id=user.pk).first()
        if user.is_authenticated
        else None
    )
    if found is None:
        raise ExitPollForbidden(_("Only an interviewer of this poll can send its entries."))
    return found
