"""The schedule: open and close elections whose time has come (`saylau election tick`, or
`saylau manage election_tick` from cron / a systemd timer, every minute).

Idempotent: an election already in the right stage is left alone, and a transition whose
preconditions do not hold is reported, not forced. After closing, the encrypted sums are
prepared for the trustees.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from saylau.elections import tallying
from saylau.elections.lifecycle import transition
from saylau.elections.models import Election, Status, Tally
from saylau.errors import UserError

ACTOR = "system:schedule"


@dataclass(frozen=True, slots=True)
class ScheduleChange:
    election: str
    action: str  # "open", "close", "sum"
    done: bool
    problem: str = ""


def tick(now: dt.datetime | None = None) -> list[ScheduleChange]:
    now = now or timezone.now()
    changes: list[ScheduleChange] = []

    def attempt(election: Election, action: str, to: str | None) -> None:
        try:
            if to is None:
                tallying.prepare(election, actor=ACTOR)
            else:
                transition(election, to, actor=ACTOR, now=now)
        except UserError as error:
            changes.append(ScheduleChange(election.slug, action, False, str(error)))
        else:
            changes.append(ScheduleChange(election.slug, action, True))

    due_open = Election.objects.filter(
        status=Status.CREDENTIALS_ISSUED, opens_at__isnull=False, opens_at__lte=now
    ).exclude(closes_at__lte=now)
    for election in due_open.order_by("id"):
        attempt(election, "open", Status.OPEN)
    due_close = Election.objects.filter(
        status=Status.OPEN, closes_at__isnull=False, closes_at__lte=now
    )
    for election in due_close.order_by("id"):
        attempt(election, "close", Status.CLOSED)
    summed = Tally.objects.values_list("election_id", flat=True)
    to_sum = Election.objects.filter(status=Status.CLOSED).exclude(pk__in=summed)
    for election in to_sum.order_by("id"):
        attempt(election, "sum", None)
    return changes
