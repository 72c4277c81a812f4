"""The one-primary rule under real concurrent transactions (PostgreSQL): several
coordinators assign at once, and promotions race each other; one primary comes out."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, connections, transaction

from saylau.observation import accreditation as acc
from saylau.observation.errors import PrimaryTaken
from saylau.observation.models import Accreditation
from tests.observation.world import END, NOW, START

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="concurrent transactions need PostgreSQL"
    ),
    # the database is restored as it was, so later transactional tests find the role groups
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _race(jobs):
    """Run each job in its own thread and connection, started together; their outcomes."""
    barrier = threading.Barrier(len(jobs))
    outcomes: list[object] = [None] * len(jobs)

    def run(i, job):
        try:
            barrier.wait(timeout=10)
            with transaction.atomic():
                outcomes[i] = job()
                time.sleep(0.3)  # hold the transaction open while the others try
        except Exception as error:  # the outcome under test
            outcomes[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def test_concurrent_primaries_of_one_organisation_one_wins(ow_tx):
    coord = ow_tx.users["coord"]
    names = ["obs1", "obs2", "obs3"]
    jobs = [
        (lambda o=ow_tx.observers[n]: acc.assign(coord, o, ow_tx.station, "primary", START, END))
        for n in names
    ]
    outcomes = _race(jobs)
    won = [o for o in outcomes if isinstance(o, Accreditation)]
    lost = [o for o in outcomes if isinstance(o, PrimaryTaken)]
    assert len(won) == 1 and len(lost) == 2, outcomes
    assert Accreditation.objects.filter(station=ow_tx.station, role="primary").count() == 1


def test_concurrent_promotions_leave_one_primary(ow_tx):
    coord = ow_tx.users["coord"]
    primary = acc.assign(coord, ow_tx.observers["obs1"], ow_tx.station, "primary", START, END)
    acc.assign(coord, ow_tx.observers["obs2"], ow_tx.station, "reserve", START, END)
    acc.assign(coord, ow_tx.observers["obs3"], ow_tx.station, "reserve", START, END)
    outcomes = _race(
        [
            lambda: acc.promote_absent(NOW),
            lambda: acc.promote_absent(NOW),
            lambda: acc.withdraw(coord, primary, NOW),
        ]
    )
    assert not [o for o in outcomes if isinstance(o, Exception) and not hasattr(o, "code")]
    active = Accreditation.objects.filter(station=ow_tx.station, status="active")
    assert active.filter(role="primary").count() == 1
    assert active.filter(role="reserve").count() == 1


def test_the_same_report_sent_at_once_is_stored_once(ow_tx):
    import uuid

    from saylau.observation.models import Submission
    from saylau.observation.submissions import Sent, submit

    acc.assign(ow_tx.users["coord"], ow_tx.observers["obs1"], ow_tx.station, "primary", START, END)
    observer = ow_tx.observers["obs1"]
    sent = Sent(uuid.uuid4(), "check_in", "S-75", NOW, {})
    outcomes = _race([lambda: submit(observer, sent, NOW) for _ in range(3)])
    assert sorted(created for _stored, created in outcomes) == [False, False, True], outcomes
    assert Submission.objects.filter(client_uuid=sent.client_uuid).count() == 1
