"""Every transition of the lifecycle, each refusal with its reason, the audit trail, and the
schedule (tick)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from saylau.demo import play as demo
from saylau.elections import services
from saylau.elections.errors import TransitionRefused
from saylau.elections.models import AuditEvent, Election, PublicCredential, Status
from saylau.registry import services as registry
from tests.elections.conftest import FREEZE, SLUG, add_members, close_roll, through_stage

pytestmark = pytest.mark.django_db

ROLL = {"KZ-75": 3, "KZ-71": 2}


def refused(election, to, needle, now=None):
    with pytest.raises(TransitionRefused) as caught:
        services.transition(election, to, actor="test", now=now)
    assert needle in str(caught.value), str(caught.value)
    assert Election.objects.get(pk=election.pk).status == election.status


def test_stages_must_come_in_order(english, election):
    for stage in (Status.KEYS_READY, Status.OPEN, Status.PUBLISHED, Status.DRAFT):
        refused(election, stage, "cannot move to")
    refused(election, "bogus", "Unknown stage")


def test_roll_closed_needs_a_closed_roll_without_members_outside_the_manifest(english, election):
    refused(election, Status.ROLL_CLOSED, "no roll for this election")
    add_members(ROLL)
    registry.open_roll(SLUG, FREEZE)
    refused(election, Status.ROLL_CLOSED, "not closed yet")
    add_members({"KZ-79": 1}, seed=2)  # Shymkent is not in the manifest
    registry.close_roll(SLUG)
    refused(election, Status.ROLL_CLOSED, "districts the manifest does not have: KZ-79")


def test_keys_ready_needs_a_complete_ceremony(english, election):
    close_roll(SLUG, ROLL)
    election = services.transition(election, Status.ROLL_CLOSED, actor="test")
    refused(election, Status.KEYS_READY, "key ceremony is not complete")
    demo.run_ceremony_in_process(election)
    election = services.transition(election, Status.KEYS_READY, actor="test")
    assert len(election.joint_public_key) == len(election.fingerprint) == 64
    assert len(election.board_public_key) == 64 and len(election.board_seed) == 64
    assert services.board_key(election).public.hex() == election.board_public_key
    ready = AuditEvent.objects.get(election=election, action="keys.ready")
    assert ready.details["fingerprint"] == election.fingerprint


def test_a_tampered_transcript_is_refused(english, election):
    from saylau.elections.models import Ceremony

    close_roll(SLUG, ROLL)
    election = services.transition(election, Status.ROLL_CLOSED, actor="test")
    demo.run_ceremony_in_process(election)
    ceremony = Ceremony.objects.get(election=election)
    ceremony.transcript["joint_public_key"] = ceremony.transcript["transport_keys"][0]["public"]
    ceremony.save()
    refused(election, Status.KEYS_READY, "transcript does not verify")


def test_credentials_issued_needs_the_cas_complete_upload(english, election):
    close_roll(SLUG, ROLL)
    election, _info = through_stage(election, Status.KEYS_READY)
    refused(election, Status.CREDENTIALS_ISSUED, "has not finished its upload")
    demo.issue_credentials_in_process(election)
    PublicCredential.objects.filter(election=election).first().delete()  # one goes missing
    refused(election, Status.CREDENTIALS_ISSUED, "do not match the closed roll")


def test_open_and_close_follow_the_schedule(english, election, memory_board):
    close_roll(SLUG, ROLL)
    now = timezone.now()
    election = services.set_schedule(
        election, now + dt.timedelta(hours=1), now + dt.timedelta(hours=2), actor="test"
    )
    election, _ = through_stage(election, Status.CREDENTIALS_ISSUED)
    refused(election, Status.OPEN, "before its scheduled time", now=now)
    refused(election, Status.OPEN, "already ended", now=now + dt.timedelta(hours=3))
    election = services.transition(
        election, Status.OPEN, actor="test", now=now + dt.timedelta(hours=1)
    )
    assert services.is_open_for_voting(election, now + dt.timedelta(minutes=61))
    refused(
        election, Status.CLOSED, "before its scheduled time", now=now + dt.timedelta(minutes=90)
    )
    election = services.transition(
        election, Status.CLOSED, actor="test", now=now + dt.timedelta(hours=2)
    )
    assert not services.is_open_for_voting(election, now + dt.timedelta(minutes=61))


def test_tallied_needs_t_valid_share_sets_and_published_needs_the_tally(
    english, election, memory_board
):
    close_roll(SLUG, ROLL)
    election, info = through_stage(election, Status.CLOSED)
    refused(election, Status.TALLIED, "encrypted sums are not ready")
    services.prepare_tally(election, actor="test")
    demo.decrypt_in_process(election, info["keyfiles"], [3])
    refused(election, Status.TALLIED, "1 trustees have sent valid decryption shares; 2 are")
    demo.decrypt_in_process(election, info["keyfiles"], [1])
    election = services.transition(election, Status.TALLIED, actor="test")
    assert services.election_results(election)["districts"]["KZ-75"]["ballots_counted"] == 3


def test_published_is_refused_without_a_decrypted_tally(english, election, memory_board):
    from saylau.elections.models import Tally

    close_roll(SLUG, ROLL)
    election, _ = through_stage(election, Status.TALLIED)
    Tally.objects.filter(election=election).update(document=None)
    refused(election, Status.PUBLISHED, "not decrypted yet")


def test_every_transition_is_an_audit_event_and_the_log_is_append_only(election, memory_board):
    close_roll(SLUG, ROLL)
    election, _ = through_stage(election, Status.PUBLISHED)
    moves = AuditEvent.objects.filter(election=election, action="election.transition")
    assert [e.details["status"] for e in moves] == [
        "roll_closed",
        "keys_ready",
        "credentials_issued",
        "open",
        "closed",
        "tallied",
        "published",
    ]
    actions = set(AuditEvent.objects.filter(election=election).values_list("action", flat=True))
    assert {
        "ceremony.accepted",
        "ceremony.complete",
        "ca.upload",
        "tally.prepared",
        "tally.shares_accepted",
        "tally.decrypted",
        "record.published",
    } <= actions
    event = moves.first()
    with pytest.raises(ValueError):
        event.save()
    with pytest.raises(ValueError):
        event.delete()


def test_tick_opens_and_closes_on_schedule_and_is_idempotent(election, memory_board):
    close_roll(SLUG, ROLL)
    now = timezone.now()
    opens, closes = now - dt.timedelta(minutes=1), now + dt.timedelta(hours=1)
    election = services.set_schedule(election, opens, closes, actor="test")
    election, _ = through_stage(election, Status.CREDENTIALS_ISSUED)
    assert [(c.action, c.done) for c in services.tick(now)] == [("open", True)]
    assert services.tick(now) == []
    assert Election.objects.get(pk=election.pk).status == Status.OPEN
    later = closes + dt.timedelta(seconds=1)
    assert [(c.action, c.done) for c in services.tick(later)] == [("close", True), ("sum", True)]
    assert services.tick(later) == []
    election = Election.objects.get(pk=election.pk)
    assert election.status == Status.CLOSED and election.tally.counts == {"KZ-75": 0, "KZ-71": 0}
    scheduled = AuditEvent.objects.filter(election=election, actor="system:schedule")
    assert scheduled.filter(action="election.transition").count() == 2


def test_tick_reports_a_refusal_without_forcing(election, memory_board, monkeypatch):
    close_roll(SLUG, ROLL)
    election = services.set_schedule(
        election, timezone.now() - dt.timedelta(minutes=5), None, actor="test"
    )
    election, _ = through_stage(election, Status.KEYS_READY)
    assert services.tick() == []  # credentials are not issued: nothing is due
    election, _ = through_stage(election, Status.CREDENTIALS_ISSUED, start=Status.KEYS_READY)

    def board_down(self, election, *, now):
        raise TransitionRefused("the board is down")

    monkeypatch.setattr(memory_board, "open_board", board_down)
    changes = services.tick()
    assert [(c.action, c.done, c.problem) for c in changes] == [
        ("open", False, "the board is down")
    ]
    assert Election.objects.get(pk=election.pk).status == Status.CREDENTIALS_ISSUED


def test_the_schedule_can_change_until_voting_closes(english, election, memory_board):
    close_roll(SLUG, ROLL)
    election, _ = through_stage(election, Status.OPEN)
    with pytest.raises(TransitionRefused, match="only its closing time"):
        services.set_schedule(election, timezone.now(), None, actor="test")
    later = timezone.now() + dt.timedelta(days=1)
    election = services.set_schedule(election, election.opens_at, later, actor="test")
    assert election.closes_at == later
    election = services.transition(election, Status.CLOSED, actor="test", now=later)
    with pytest.raises(TransitionRefused, match="cannot change"):
        services.set_schedule(election, None, None, actor="test")
