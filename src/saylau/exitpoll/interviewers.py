"""The poll's interviewers: an account per person, made by a pollster, and the sampled
stations each is assigned to. The phone is checked as a Kazakhstan mobile number and kept
for the pollster only."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from saylau.exitpoll.errors import ExitPollError
from saylau.exitpoll.models import Interviewer, Poll, SampledStation
from saylau.exitpoll.roles import require_runs
from saylau.voting.signin import clean_phone


@transaction.atomic
def add(
    user: Any, poll: Poll, *, username: str, full_name: str, password: str, phone: str = ""
) -> Interviewer:
    """A new interviewer account of `poll` (a new user name: one account per person)."""
    require_runs(user, poll)
    username = username.strip()
    if not username or User.objects.filter(username=username).exists():
        raise ExitPollError(_("This user name is taken: choose another."), field="username")
    if not full_name.strip():
        raise ExitPollError(_("Give the interviewer's full name."), field="full_name")
    try:
        validate_password(password)
    except ValidationError as e:
        raise ExitPollError(" ".join(e.messages), field="password") from None
    cleaned = clean_phone(phone) if phone.strip() else ""
    account = User.objects.create_user(username, password=password)
    return Interviewer.objects.create(
        poll=poll, user=account, full_name=full_name.strip(), phone=cleaned
    )


@transaction.atomic
def assign(user: Any, interviewer: Interviewer, sampled_ids: list[int]) -> None:
    """Assign `interviewer` to exactly these sampled stations of their poll."""
    require_runs(user, interviewer.poll)
    found = list(SampledStation.objects.filter(poll=interviewer.poll, pk__in=sampled_ids))
    if len(found) != len(set(sampled_ids)):
        raise ExitPollError(_("A station is not in this poll's sample."), field="stations")
    interviewer.stations.set(found)
