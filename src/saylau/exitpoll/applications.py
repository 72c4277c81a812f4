"""A polling organisation applies for the pollster role, and staff decide (decision 0047).

The application makes the organisation's account (or uses the signed-in one) and keeps the
organisation's name, contact e-mail and a short statement of method; staff approve it, and
the account joins the pollster group, or refuse it with a reason; the applicant reads either
on their page. SAYLAU_POLLSTER_APPLICATIONS_PER_HOUR (5) applications from one network in
an hour refuse the next, saying until when (web.flood; the network kept only as an HMAC).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from saylau.exitpoll.errors import ExitPollError, ExitPollForbidden, WrongState
from saylau.exitpoll.models import PollsterApplication
from saylau.exitpoll.roles import is_pollster
from saylau.voting.network import network_of
from saylau.voting.signin import local_time_text
from saylau.web import flood
from saylau.web.roles import POLLSTER

WINDOW = dt.timedelta(hours=1)
METHOD_MAX = 2000
Status = PollsterApplication.Status


class TooManyApplications(ExitPollError):
    status = 429
    code = "exitpoll.too_many_applications"


def source_key(ip: str) -> str:
    """The HMAC of the address's network (empty for no address)."""
    return flood.network_key("saylau.exitpoll.application", network_of(ip) if ip else "")


def _check_flood(key: str, now: dt.datetime) -> None:
    if not key:
        return
    limit = int(getattr(settings, "SAYLAU_POLLSTER_APPLICATIONS_PER_HOUR", 5))
    until = flood.rows_refused_until(PollsterApplication.objects.all(), key, limit, WINDOW, now)
    if until is not None:
        raise TooManyApplications(
            _(
                "Too many applications were sent from your network in the last hour. "
                "Please try again after %(time)s."
            )
            % {"time": local_time_text(until)}
        )


def _check_fields(organisation: str, email: str, method: str) -> tuple[str, str, str]:
    organisation, email, method = organisation.strip(), email.strip(), method.strip()
    if not organisation:
        raise ExitPollError(_("Give the name of the polling organisation."), field="organisation")
    try:
        validate_email(email)
    except ValidationError:
        raise ExitPollError(_("Give an e-mail address to contact you at."), field="email") from None
    if not method:
        raise ExitPollError(_("Say in a few sentences how you poll."), field="method")
    if len(method) > METHOD_MAX:
        raise ExitPollError(
            _("The statement of method is longer than %(n)s characters.") % {"n": METHOD_MAX},
            field="method",
        )
    return organisation[:200], email, method


def _account(username: str, password: str) -> Any:
    username = username.strip()
    if not username or User.objects.filter(username=username).exists():
        raise ExitPollError(_("This user name is taken: choose another."), field="username")
    try:
        validate_password(password)
    except ValidationError as e:
        raise ExitPollError(" ".join(e.messages), field="password") from None
    return User.objects.create_user(username, password=password)


@transaction.atomic
def apply(
    user: Any,
    *,
    organisation: str,
    email: str,
    method: str,
    now: dt.datetime,
    username: str = "",
    password: str = "",
    source: str = "",
) -> PollsterApplication:
    """An application of the signed-in `user` (or of a new account username/password when
    nobody is signed in). Refused when the account is a pollster or waits for a decision."""
    organisation, email, method = _check_fields(organisation, email, method)
    _check_flood(source, now)
    if user is not None and user.is_authenticated:
        if is_pollster(user):
            raise WrongState(_("This account is a pollster already."))
        account = User.objects.select_for_update().get(pk=user.pk)
    else:
        account = _account(username, password)
    try:
        with transaction.atomic():
            return PollsterApplication.objects.create(
                user=account,
                organisation=organisation,
                email=email,
                method=method,
                created_at=now,
                source_key=source,
            )
    except IntegrityError:
        raise WrongState(_("Your application is waiting for a decision already.")) from None


def mine(user: Any) -> list[PollsterApplication]:
    return list(PollsterApplication.objects.filter(user_id=user.pk))


def approved_organisation(user: Any) -> str:
    """The organisation of the account's latest approved application ("" if none): the
    registration form starts with it."""
    found = (
        PollsterApplication.objects.filter(user_id=user.pk, status=Status.APPROVED)
        .order_by("-decided_at")
        .values_list("organisation", flat=True)
        .first()
    )
    return found or ""


def require_staff(user: Any) -> None:
    if not (user.is_authenticated and user.is_staff):
        raise ExitPollForbidden(_("Only staff decide on applications."))


@transaction.atomic
def decide(
    staff: Any, application_id: int, *, approve: bool, reason: str, now: dt.datetime
) -> PollsterApplication:
    """Approve (the account joins the pollster group) or refuse (with a reason) a pending
    application; WrongState if it was decided already (two staff at once: the first)."""
    require_staff(staff)
    found = PollsterApplication.objects.select_for_update().filter(pk=application_id).first()
    if found is None:
        raise ExitPollError(_("There is no such application."), field=None)
    if found.status != Status.PENDING:
        raise WrongState(_("This application was decided already."))
    reason = reason.strip()
    if not approve and not reason:
        raise ExitPollError(_("Say why the application is refused."), field="reason")
    found.status = Status.APPROVED if approve else Status.REFUSED
    found.reason = reason
    found.decided_at, found.decided_by = now, staff
    found.save(update_fields=["status", "reason", "decided_at", "decided_by"])
    if approve:
        group, _created = Group.objects.get_or_create(name=POLLSTER)
        found.user.groups.add(group)
    return found
