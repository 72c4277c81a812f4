"""DEMO ONLY: the end of the demo election (saylau.demo.setup made it).

    decrypt(slug, present=[1, 3])  the present demo trustees send their decryption shares
    finish(slug)                   who voted on paper (one override), the exit poll's
                                   interviews → close now → sum → decrypt (2 of 3) → tallied
                                   → the paper protocols (double entry, scans, one recount;
                                   the counting stations') → the observers' copies →
                                   published (the record is verified before publication,
                                   and again here)

Each step does only what is not done yet, so `finish` may be run again.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _

from saylau import trustee
from saylau.analysis import report_cache
from saylau.crypto.rand import Rng, SystemRng
from saylau.demo import civic as demo_civic
from saylau.demo import counting as demo_counting
from saylau.demo import exit_poll as demo_exit_poll
from saylau.demo import observers as demo_observers
from saylau.demo import paper as demo_paper
from saylau.demo import play as demo
from saylau.demo import protocols as demo_protocols
from saylau.demo.setup import ACTOR, PRESENT, SLUG, Progress, Say, quiet
from saylau.elections import services, tallying
from saylau.elections.models import Election, Status
from saylau.record.verify import Report, verify_record


def keyfiles(election: Election) -> dict[int, tuple[trustee.KeyFile, Path]]:
    found = {}
    for j in range(1, election.trustees + 1):
        path = demo.demo_dir(election) / f"trustee-{j}.json"
        if path.is_file():
            found[j] = (trustee.KeyFile.load(path), path)
    return found


def close(slug: str = SLUG, *, now: dt.datetime | None = None) -> Election:
    """Close voting now (the schedule's closing time is moved to now first; audited)."""
    now = now or timezone.now()
    election = services.get_election(slug)
    if election.status == Status.OPEN:
        if election.closes_at is None or election.closes_at > now:
            election = services.set_schedule(election, election.opens_at, now, actor=ACTOR)
        election = services.transition(election, Status.CLOSED, actor=ACTOR, now=now)
    return election


def decrypt(
    slug: str = SLUG, present: tuple[int, ...] = PRESENT, rng: Rng | None = None
) -> list[int]:
    """The present demo trustees who have not yet done so send their decryption shares
    (the encrypted sums are made first if needed); returns who sent now."""
    election = services.get_election(slug)
    services.prepare_tally(election, actor=ACTOR)
    done = set(tallying.posted_by(election))
    files = keyfiles(election)
    todo = [j for j in present if j not in done and j in files]
    if todo:
        demo.decrypt_in_process(election, files, todo, rng or SystemRng())
    return todo


def finish(
    slug: str = SLUG,
    *,
    present: tuple[int, ...] = PRESENT,
    now: dt.datetime | None = None,
    rng: Rng | None = None,
    say: Say = quiet,
    workers: int = 1,
    progress: Progress | None = None,
    analysis: bool = True,
) -> tuple[Path, Report]:
    """Who voted on paper (with the override) and the exit poll's interviews, close,
    decrypt with `present`, tally, the paper protocols (with the recount, and the counting
    stations'), the observers' copies, publish; returns the record zip and the report of the
    universal verifier run on it. With `analysis`, the statistical checks are computed too."""
    demo_paper.mark_paper_votes(services.get_election(slug), say, rng)
    if services.get_election(slug).status == Status.OPEN:  # the lists are final: the draw too
        demo_observers.setup_sample_observers(services.get_election(slug), say, now)
    demo_exit_poll.interview(services.get_election(slug), say, now)
    election = close(slug, now=now)
    say(f"{slug}: {election.get_status_display()}")
    if election.status == Status.CLOSED:
        sent = decrypt(slug, present, rng)
        if sent:
            say(
                _("decryption shares sent by demo trustees %(trustees)s")
                % {"trustees": ", ".join(map(str, sent))}
            )
        election = services.transition(election, Status.TALLIED, actor=ACTOR)
        say(f"{slug}: {election.get_status_display()}")
    if election.status == Status.TALLIED:
        demo_protocols.enter_protocols(election, say)
        demo_counting.enter_counting(election, say, progress)
        demo_civic.copy_protocols(election, say, now)
        demo_observers.copy_sample(election, say, now)
        election = services.transition(election, Status.PUBLISHED, actor=ACTOR)
        say(
            _("%(slug)s: %(status)s (the record verified before publication)")
            % {"slug": slug, "status": election.get_status_display()}
        )
    if analysis:  # the analysis page is then ready at its first visit (cached per inputs)
        say(_("computing the statistical checks of the results (the analysis page)"))
        failed = report_cache.warm(election)
        if failed is not None:
            say(
                _(
                    "The statistical checks could not be computed now (%(error)s); their page "
                    "will compute them at its first visit."
                )
                % {"error": failed}
            )
    path = services.record_path(election)
    return path, verify_record(path, workers=workers)
