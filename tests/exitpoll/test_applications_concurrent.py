"""Two staff decide the same application at once on PostgreSQL: the row lock makes the
first decision the one, the second is told it was decided already."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.utils import timezone

from saylau.exitpoll import applications
from saylau.exitpoll.errors import WrongState
from saylau.exitpoll.models import PollsterApplication
from saylau.exitpoll.roles import is_pollster
from tests.observation.test_accreditation_concurrent import _race

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="concurrent transactions need PostgreSQL"
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_two_staff_deciding_at_once_one_decides(transactional_db):
    account = User.objects.create_user("org", password="x")
    found = applications.apply(
        account, organisation="Org", email="a@example.kz", method="m", now=timezone.now()
    )
    approver = User.objects.create_user("staff-a", password="x", is_staff=True)
    refuser = User.objects.create_user("staff-b", password="x", is_staff=True)

    def decide(staff, approve):
        return lambda: applications.decide(
            staff, found.pk, approve=approve, reason="no", now=timezone.now()
        )

    outcomes = _race([decide(approver, True), decide(refuser, False)])
    decided = [o for o in outcomes if isinstance(o, PollsterApplication)]
    refused = [o for o in outcomes if isinstance(o, WrongState)]
    assert len(decided) == 1 and len(refused) == 1, outcomes
    stored = PollsterApplication.objects.get(pk=found.pk)
    assert stored.status == decided[0].status
    assert is_pollster(User.objects.get(pk=account.pk)) == (stored.status == "approved")
