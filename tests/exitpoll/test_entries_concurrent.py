"""The same entry sent by three requests at once (a phone's retries racing each other) on
PostgreSQL: the unique index decides, one stores it, the others are answered with it."""

from __future__ import annotations

import uuid

import pytest
from django.db import connection
from django.utils import timezone

from saylau.exitpoll import entries
from saylau.exitpoll.errors import NotAssigned
from saylau.exitpoll.models import Entry
from tests.exitpoll.world import OPTIONS, build_poll_world, designed, interviewer_for
from tests.observation.test_accreditation_concurrent import _race

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="concurrent transactions need PostgreSQL"
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def refused(person, sent, now):
    """As the API answers NotAssigned: the refusal returned, the request's writes kept."""
    try:
        return entries.record(person, sent, now)
    except NotAssigned as error:
        return error


def test_the_same_entry_sent_at_once_is_stored_once(transactional_db):
    pw = build_poll_world()
    poll = designed(pw)
    first, second = poll.sampled.select_related("station").order_by("station__code")[:2]
    person = interviewer_for(pw, poll, "ivan", [first.pk])
    now = timezone.now()
    sent = entries.Sent(uuid.uuid4(), first.station.code, "answer", OPTIONS[0], now)
    outcomes = _race([lambda: entries.record(person, sent, now) for _ in range(3)])
    assert sorted(created for _stored, created in outcomes) == [False, False, True], outcomes
    assert Entry.objects.filter(client_uuid=sent.client_uuid).count() == 1
    # a refused entry raced: kept once, every request told why
    other = entries.Sent(uuid.uuid4(), second.station.code, "refusal", "", now)
    outcomes = _race([lambda: refused(person, other, now) for _ in range(3)])
    assert all(isinstance(o, NotAssigned) for o in outcomes), outcomes
    assert Entry.objects.filter(client_uuid=other.client_uuid, status="refused").count() == 1
