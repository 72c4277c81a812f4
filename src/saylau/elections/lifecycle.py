"""The election lifecycle: which stage may follow which, and what must hold first.

draft → roll_closed → keys_ready → credentials_issued → open → closed → tallied → published

Every transition is checked here and written to the audit log by services.transition.
Preconditions that belong to other stages (the roll is closed, the ceremony's transcript
verifies, the credentials match the roll, the tally is decrypted) are registered by the
modules that own them (saylau.elections.stages, and other apps through `precondition`), so
this file stays the one place that says what the order is.

`on_enter(status)` registers an effect run in the transition's transaction after every
precondition held and before the new status is saved (keys_ready stores the joint key and
makes the board key; tallied combines the decryption shares; published writes the record).
An effect may raise TransitionRefused too; then nothing changes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from saylau.elections.audit import audit
from saylau.elections.errors import TransitionRefused
from saylau.elections.models import Election, Status

NEXT: dict[str, str] = {
    Status.DRAFT: Status.ROLL_CLOSED,
    Status.ROLL_CLOSED: Status.KEYS_READY,
    Status.KEYS_READY: Status.CREDENTIALS_ISSUED,
    Status.CREDENTIALS_ISSUED: Status.OPEN,
    Status.OPEN: Status.CLOSED,
    Status.CLOSED: Status.TALLIED,
    Status.TALLIED: Status.PUBLISHED,
}

# to-status → checks that raise TransitionRefused (with a translated message) when unmet
Precondition = Callable[[Election, dt.datetime], None]
_PRECONDITIONS: dict[str, list[Precondition]] = {}
_EFFECTS: dict[str, list[Precondition]] = {}


def precondition(to: str) -> Callable[[Precondition], Precondition]:
    def register(fn: Precondition) -> Precondition:
        _PRECONDITIONS.setdefault(to, []).append(fn)
        return fn

    return register


def on_enter(to: str) -> Callable[[Precondition], Precondition]:
    def register(fn: Precondition) -> Precondition:
        _EFFECTS.setdefault(to, []).append(fn)
        return fn

    return register


def enter(election: Election, to: str, now: dt.datetime) -> None:
    """Run the effects of entering `to` (after `check`)."""
    for fn in _EFFECTS.get(to, []):
        fn(election, now)


def next_status(election: Election) -> str | None:
    return NEXT.get(election.status)


def check(election: Election, to: str, now: dt.datetime) -> None:
    if NEXT.get(election.status) != to:
        raise TransitionRefused(
            _("An election in stage “%(current)s” cannot move to “%(target)s”.")
            % {"current": Status(election.status).label, "target": Status(to).label}
        )
    for fn in _PRECONDITIONS.get(to, []):
        fn(election, now)


@precondition(Status.OPEN)
def _open_window(election: Election, now: dt.datetime) -> None:
    if election.opens_at is not None and now < election.opens_at:
        raise TransitionRefused(_("Voting cannot open before its scheduled time."))
    if election.closes_at is not None and now >= election.closes_at:
        raise TransitionRefused(_("The voting period has already ended."))


@transaction.atomic
def transition(
    election: Election, to: str, *, actor: str, now: dt.datetime | None = None
) -> Election:
    """Move the election one stage on, after checking the order and the preconditions."""
    if to not in Status.values:
        raise TransitionRefused(_("Unknown stage “%(stage)s”.") % {"stage": to})
    election = Election.objects.select_for_update().get(pk=election.pk)
    now = now or timezone.now()
    check(election, to, now)
    enter(election, to, now)
    previous = election.status
    election.status = to
    election.save(update_fields=["status"])
    audit(election, actor, "election.transition", previous=previous, status=to)
    return election
