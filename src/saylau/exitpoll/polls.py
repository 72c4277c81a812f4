"""Registering an exit poll, its options, and whether the polls of its election are closed.

The options are the contest's (its candidates and, when the ballot has one, "against all")
and "refused to say", which is not an option of the estimate: it is item non-response,
weighted away within the station like a refusal (decision 0044).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from saylau.elections.models import Election, Status
from saylau.exitpoll.errors import ExitPollError, PollNotFound
from saylau.exitpoll.models import REFUSED_TO_SAY, Poll
from saylau.exitpoll.roles import require_pollster
from saylau.protocol.manifest import Contest, manifest_from_json
from saylau.voting.public import in_language

CLOSED = (Status.CLOSED, Status.TALLIED, Status.PUBLISHED)


@dataclass(frozen=True)
class Option:
    id: str
    name: str


def contest_of(poll: Poll) -> Contest:
    return manifest_from_json(poll.election.manifest).contest(poll.contest)


def options(poll: Poll, language: str) -> list[Option]:
    """The estimate's options: the contest's, in the manifest's order."""
    return [Option(o.id, in_language(o.name, language, o.id)) for o in contest_of(poll).options]


def answer_choices(poll: Poll, language: str) -> list[Option]:
    """What a respondent may answer: an option, or refused to say."""
    return [*options(poll, language), Option(REFUSED_TO_SAY, _("Refused to say"))]


def contests(election: Election, language: str) -> list[tuple[str, str]]:
    """(id, name) of the election's contests, for the registration form."""
    manifest = manifest_from_json(election.manifest)
    return [(c.id, in_language(c.name, language, c.id)) for c in manifest.contests]


def polls_closed(election: Election, now: dt.datetime) -> bool:
    """Voting has ended: the election is closed (or later), or its closing time has passed."""
    if election.status in CLOSED:
        return True
    return election.closes_at is not None and now >= election.closes_at


def get_poll(slug: str) -> Poll:
    found = Poll.objects.select_related("election").filter(slug=slug).first()
    if found is None:
        raise PollNotFound(_("There is no exit poll %(poll)s.") % {"poll": slug})
    return found


#: the first path segments of /<lang>/exitpoll/ that are pages, not polls (exitpoll.urls)
RESERVED = frozenset(
    {"login", "logout", "new", "mine", "apply", "application", "applications", "station"}
)


def _slug(election: Election, name: str) -> str:
    """The election's slug and the name's (a name of only punctuation adds nothing: an
    election named like a page, `mine`, would then shadow it, so such a slug gets -poll)."""
    base = slugify(f"{election.slug}-{name}")[:56] or "poll"
    if base in RESERVED:
        base = f"{base}-poll"
    slug, n = base, 1
    while Poll.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def register(
    user: Any, election: Election, contest: str, name: str, organisation: str, method: str
) -> Poll:
    """A new poll run by `user` (a pollster) of `contest` of `election`."""
    require_pollster(user)
    manifest = manifest_from_json(election.manifest)
    if contest not in {c.id for c in manifest.contests}:
        raise ExitPollError(_("The election has no such contest."), field="contest")
    if election.status in CLOSED:
        raise ExitPollError(_("Voting in this election has ended."), field="election")
    poll = Poll.objects.create(
        election=election,
        contest=contest,
        slug=_slug(election, name),
        name=name.strip(),
        organisation=organisation.strip(),
        method=method.strip(),
    )
    poll.pollsters.add(user)
    return poll
