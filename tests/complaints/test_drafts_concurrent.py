"""Two HQ people open the draft of one discrepancy at the same moment (PostgreSQL, real
concurrent transactions): one complaint is made, and both get it; the loser's evidence
files go with its rolled-back rows."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import IntegrityError, connection, connections

from saylau.complaints.models import Complaint, Evidence
from saylau.observation import complaint_drafts
from saylau.observation.models import DiscrepancyDraft
from tests.observation.tabulate_world import (
    CONTEST,
    accept,
    accredit,
    good_counts,
    login,
    send_copy,
)
from tests.observation.test_accreditation_concurrent import _race
from tests.observation.world import ow_tx  # noqa: F401 - the fixture

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="concurrent transactions need PostgreSQL"
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_two_clicks_at_once_make_one_draft(ow_tx):  # noqa: F811
    accredit(ow_tx, "coord", "obs1", ow_tx.station)
    accept(ow_tx.election, ow_tx.station, good_counts())
    send_copy(ow_tx, "obs1", ow_tx.station, good_counts(o1=45, o2=25), photo=True)
    users = [ow_tx.users["hq"], ow_tx.users["coord"]]
    jobs = [
        (lambda u=u: complaint_drafts.open_draft(u, ow_tx.election, "S-75", CONTEST, "en"))
        for u in users
    ]
    outcomes = _race(jobs)
    assert all(isinstance(o, tuple) for o in outcomes), outcomes
    assert sorted(made for _draft, made in outcomes) == [False, True]
    assert {draft.pk for draft, _made in outcomes} == {DiscrepancyDraft.objects.get().pk}
    assert Complaint.objects.count() == 1


def test_two_requests_at_once_leave_no_orphan_evidence_file(ow_tx):  # noqa: F811
    """Through the page: the first request to insert its draft row holds its transaction
    open a moment, so the other has written its evidence files before its own insert fails
    on the unique row; its rows roll back, and so must its files."""
    accredit(ow_tx, "coord", "obs1", ow_tx.station)
    accept(ow_tx.election, ow_tx.station, good_counts())
    send_copy(ow_tx, "obs1", ow_tx.station, good_counts(o1=45, o2=25), photo=True)
    clients = [login("hq"), login("coord")]
    barrier = threading.Barrier(len(clients))
    answers: list[object] = [None] * len(clients)
    refused: list[bool] = []

    def hold_the_draft_row(execute, sql, params, many, context):
        if not sql.startswith('INSERT INTO "observation_discrepancydraft"'):
            return execute(sql, params, many, context)
        try:
            result = execute(sql, params, many, context)
        except IntegrityError:
            refused.append(True)
            raise
        time.sleep(0.5)  # the winner's transaction stays open while the other catches up
        return result

    def run(i: int) -> None:
        try:
            with connection.execute_wrapper(hold_the_draft_row):
                barrier.wait(timeout=10)
                answers[i] = (
                    clients[i]
                    .post("/en/hq/primaries-test/drafts/", {"station": "S-75", "contest": CONTEST})
                    .status_code
                )
        except Exception as error:  # the outcome under test
            answers[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert answers == [302, 302], answers
    assert refused == [True]  # the race happened: one insert lost to the other
    assert Complaint.objects.count() == 1 and DiscrepancyDraft.objects.count() == 1
    evidence = Path(settings.MEDIA_ROOT) / "complaints" / "evidence"
    on_disk = {str(p.relative_to(evidence)) for p in evidence.rglob("*") if p.is_file()}
    names = Evidence.objects.values_list("file", flat=True)
    assert on_disk == {n.removeprefix("complaints/evidence/") for n in names}
    assert len(on_disk) == 2  # the photo and the PDF of the one draft
