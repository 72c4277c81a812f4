"""The voter's checks of a cast are one query (`voting.voter_checks`): its order of outcomes,
its open window (the sign-in's, `elections.is_open_for_voting`), and the first cast's
procedure built from it — installed by the newest migration, used only if it is this code's."""

from __future__ import annotations

import datetime as dt
import importlib
import itertools
import pkgutil

import pytest
from django.db import connection

from saylau.elections.models import Election, Status
from saylau.protocol.ballot import tracking_code_of
from saylau.protocol.canonical import canonical_json
from saylau.voting import cast, first_cast_procedure, services, signin
from saylau.voting.errors import VotingClosed, VotingNotOpen
from saylau.voting.voter_checks import Outcome, look_up, look_up_member

NOW = dt.datetime(2026, 12, 3, 12, 0, tzinfo=dt.UTC)  # no microseconds: SQLite's text differs
MOMENTS = (None, NOW - dt.timedelta(hours=1), NOW, NOW + dt.timedelta(microseconds=1))


def test_the_newest_migration_that_installs_the_procedure_installs_this_codes():
    """A change of the checks (or of the procedure around them) needs a migration that
    installs the procedure again: databases migrated before keep the text they were given."""
    import saylau.voting.migrations as package

    names = sorted(m.name for m in pkgutil.iter_modules(package.__path__))
    installs = [
        (name, module.INSTALLS)
        for name in names
        if hasattr(module := importlib.import_module(f"{package.__name__}.{name}"), "INSTALLS")
    ]
    newest, digest = installs[-1]
    assert digest == first_cast_procedure.DIGEST, (
        f"voting.first_cast_procedure changed since {newest}: add a migration that calls"
        f" first_cast_procedure.install, with INSTALLS = {first_cast_procedure.DIGEST!r}"
    )


def _outcome(world, voter, ballot=None, now=NOW) -> Outcome | None:
    ballot = ballot or world.ballot(voter)
    code = tracking_code_of(canonical_json(ballot.raw))
    return look_up_member(world.election, voter.member_id, ballot, code, now).outcome


def _sign_ins_answer(election: Election) -> Outcome | None:
    try:
        signin.require_open(election, NOW)
    except VotingClosed:
        return Outcome.CLOSED
    except VotingNotOpen:
        return Outcome.NOT_OPEN
    return None


@pytest.mark.django_db
def test_the_checks_open_window_is_the_sign_ins(world):
    """Every status with opening and closing times before, at and after the moment (and
    1 µs after it, which SQLite stores as longer text): the query's outcome is the one
    `signin.require_open` gives (the sign-in's check of the same window)."""
    voter = world.voters[0]
    election = Election.objects.get(pk=world.election.pk)
    seen = set()
    for status, opens_at, closes_at in itertools.product(Status.values, MOMENTS, MOMENTS):
        Election.objects.filter(pk=election.pk).update(
            status=status, opens_at=opens_at, closes_at=closes_at
        )
        election.status, election.opens_at, election.closes_at = status, opens_at, closes_at
        expected = _sign_ins_answer(election)
        assert _outcome(world, voter) == expected, (status, opens_at, closes_at)
        seen.add(expected)
    assert seen == {None, Outcome.CLOSED, Outcome.NOT_OPEN}


def _elsewhere(world, voter):
    """The voter's ballot, signed with their credential, for another district."""
    from saylau.crypto.rand import DeterministicRng
    from saylau.protocol.ballot import encrypt_ballot
    from saylau.protocol.credentials import derive

    district = next(v.district for v in world.voters if v.district != voter.district)
    contest = world.ctx.manifest.contests_for(district)[0]
    marks = {contest.id: [1] + [0] * (len(contest.options) - 1)}
    secret = derive(world.election.slug, voter.code)
    return encrypt_ballot(world.ctx, district, marks, secret, DeterministicRng("elsewhere"))


@pytest.mark.django_db
def test_the_first_check_that_holds_is_the_answer(world):
    """When several hold, the order of `Outcome` decides."""
    me, other = world.voters[0], world.voters[1]
    mine = world.ballot(me)
    code = tracking_code_of(canonical_json(mine.raw))
    assert _outcome(world, me) is None
    services.cast_ballot(world.election, me.member_id, mine.raw, now=NOW)
    assert _outcome(world, me, world.ballot(me, choice=1)) is None  # a re-vote
    services.record_paper_vote(world.election, other.member_id, "PR-1", now=NOW)
    later = NOW + dt.timedelta(days=3650)
    Election.objects.filter(pk=world.election.pk).update(closes_at=later - dt.timedelta(1))

    nobody = look_up(world.election.slug, "no such session", mine, code, later)
    assert (nobody.member_id, nobody.outcome) == (None, Outcome.NOT_SIGNED_IN)
    no_credential = look_up_member(world.election, 10**9, mine, code, later)
    assert no_credential.outcome is Outcome.NO_CREDENTIAL
    assert _outcome(world, me, world.ballot(other), later) is Outcome.NOT_YOURS
    assert _outcome(world, me, mine, later) is Outcome.REPEAT  # its receipt, even closed
    assert _outcome(world, me, world.ballot(me, choice=1), later) is Outcome.CLOSED
    assert _outcome(world, other, None, later) is Outcome.CLOSED
    assert _outcome(world, other, _elsewhere(world, other), NOW) is Outcome.PAPER
    assert _outcome(world, me, _elsewhere(world, me), NOW) is Outcome.OTHER_DISTRICT


pg = pytest.mark.skipif(connection.vendor != "postgresql", reason="the procedure is PostgreSQL's")


@pg
@pytest.mark.django_db
def test_a_procedure_not_this_codes_is_not_used(world, api, monkeypatch):
    """The migrated database's procedure is this code's; one that is not (a database not
    migrated since the checks changed) is never called: the look-up's way answers."""
    monkeypatch.setattr(first_cast_procedure, "_CURRENT", {})
    assert first_cast_procedure.is_current()
    stale = first_cast_procedure.CREATE.replace("CREATE PROCEDURE", "CREATE OR REPLACE PROCEDURE")
    with connection.cursor() as cursor:  # rolled back with the test's transaction
        cursor.execute(stale.replace("BEGIN", "BEGIN\n    -- an older text", 1))
    monkeypatch.setattr(first_cast_procedure, "_CURRENT", {})
    assert not first_cast_procedure.is_current()
    look_ups = []
    real = cast.look_up
    monkeypatch.setattr(cast, "look_up", lambda *a: look_ups.append(a) or real(*a))
    voter = world.voters[0]
    response = api.cast(world.ballot(voter), api.sign_in(voter))
    assert response.status_code == 201, response.content
    assert len(look_ups) == 1  # the procedure, had it been called, appended: none
