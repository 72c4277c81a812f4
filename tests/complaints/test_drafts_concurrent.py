"""Two HQ people open the draft of one discrepancy at the same moment (PostgreSQL, real
concurrent transactions): one complaint is made, and both get it."""

from __future__ import annotations

import pytest
from django.db import connection

from saylau.complaints.models import Complaint
from saylau.observation import complaint_drafts
from saylau.observation.models import DiscrepancyDraft
from tests.observation.tabulate_world import CONTEST, accept, accredit, good_counts, send_copy
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
