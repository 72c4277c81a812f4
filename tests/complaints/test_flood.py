"""The public form takes at most SAYLAU_COMPLAINTS_PER_HOUR complaints an hour from one
network; the next is refused with until when and the form kept; other networks, and the
same network an hour later, are not affected; no address is stored."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from saylau.complaints.models import Complaint
from tests.complaints.test_pages import form_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_one_network_is_capped_per_hour(cw, client, settings):
    settings.SAYLAU_COMPLAINTS_PER_HOUR = 3
    url = reverse("complaints:new", args=[cw.election.slug])
    for n in range(3):
        answer = client.post(url, form_data(), REMOTE_ADDR="198.51.100.7")
        assert answer.status_code == 200
    refused = client.post(url, form_data(description="A fourth one."), REMOTE_ADDR="198.51.100.7")
    body = refused.content.decode()
    assert refused.status_code == 400 and "Too many complaints" in body
    assert "A fourth one." in body  # the form is kept
    assert Complaint.objects.count() == 3
    ru = client.post(url.replace("/en/", "/ru/", 1), form_data(), REMOTE_ADDR="198.51.100.7")
    assert "Слишком много жалоб" in ru.content.decode()
    # Another network is not capped.
    assert client.post(url, form_data(), REMOTE_ADDR="2001:db8:1:2::5").status_code == 200
    assert Complaint.objects.count() == 4
    # An hour later the first network may send again.
    Complaint.objects.update(created_at=timezone.now() - dt.timedelta(hours=1, seconds=1))
    assert client.post(url, form_data(), REMOTE_ADDR="198.51.100.7").status_code == 200
    keys = set(Complaint.objects.values_list("source_key", flat=True))
    assert len(keys) == 2 and all(len(k) == 64 and "198.51" not in k for k in keys)


def test_the_hotline_is_not_capped(cw, settings):
    from saylau.complaints import intake

    settings.SAYLAU_COMPLAINTS_PER_HOUR = 1
    new = intake.NewComplaint("other", "Called about a station.", anonymous=True)
    for _ in range(3):
        intake.submit(cw.election, new, channel="hotline", actor="operator")
    assert Complaint.objects.count() == 3
