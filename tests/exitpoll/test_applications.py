"""A polling organisation applies for the pollster role on the site (decision 0047): the
application makes its account, staff approve it (the account can then register polls) or
refuse it with a reason the applicant reads, in kk, ru and en; bad input keeps what was
typed and says what is wrong; one network is capped per hour (web.flood)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from saylau.exitpoll import applications
from saylau.exitpoll.errors import WrongState
from saylau.exitpoll.models import PollsterApplication
from saylau.exitpoll.roles import is_pollster
from tests.exitpoll.world import build_poll_world

pytestmark = pytest.mark.django_db
GOOD = {
    "organisation": "Qoğam Pikiri",
    "email": "polls@example.kz",
    "method": "Every 5th voter leaving 120 stations drawn from a published seed.",
    "username": "qogam-pikiri",
    "password": "a long pass phrase 2026",
}


def staff_client() -> Client:
    staff = User.objects.create_user("organiser", password="x", is_staff=True)
    client = Client()
    client.force_login(staff)
    return client


def test_apply_approve_and_the_account_registers_a_poll():
    build_poll_world()  # an election to register a poll for
    applicant = Client(REMOTE_ADDR="203.0.113.7")
    answer = applicant.post("/kk/exitpoll/apply/", GOOD)
    assert (answer.status_code, answer["Location"]) == (302, "/kk/exitpoll/application/")
    page = applicant.get("/kk/exitpoll/application/").content.decode()
    assert "Qoğam Pikiri" in page and 'data-status="pending"' in page
    assert "шешім күтілуде" in page  # "waiting for a decision" in Kazakh
    found = PollsterApplication.objects.get()
    assert found.source_key and "203.0.113" not in found.source_key
    assert applicant.get("/en/exitpoll/new/").status_code == 403  # not a pollster yet
    staff = staff_client()
    listed = staff.get("/ru/exitpoll/applications/").content.decode()
    assert "Qoğam Pikiri" in listed and "polls@example.kz" in listed
    decided = staff.post(
        "/ru/exitpoll/applications/", {"application": found.pk, "decision": "approve"}
    )
    assert decided.status_code == 302
    assert is_pollster(User.objects.get(username="qogam-pikiri"))
    page = applicant.get("/ru/exitpoll/application/").content.decode()
    assert 'data-status="approved"' in page and "одобрена" in page
    register = applicant.get("/en/exitpoll/new/")
    assert register.status_code == 200
    assert register.context["form"].initial["organisation"] == "Qoğam Pikiri"
    again = applicant.post("/en/exitpoll/apply/", {**GOOD, "organisation": "Again"})
    assert again.status_code == 409 and "a pollster already" in again.content.decode()


def test_a_refusal_needs_a_reason_and_the_applicant_reads_it():
    applicant = Client()
    applicant.post("/en/exitpoll/apply/", GOOD)
    found = PollsterApplication.objects.get()
    staff = staff_client()
    no_reason = staff.post(
        "/en/exitpoll/applications/", {"application": found.pk, "decision": "refuse"}
    )
    assert no_reason.status_code == 400
    assert "Say why the application is refused." in no_reason.content.decode()
    reason = "We could not reach you at the e-mail address you gave."
    staff.post(
        "/en/exitpoll/applications/",
        {"application": found.pk, "decision": "refuse", "reason": reason},
    )
    page = applicant.get("/en/exitpoll/application/").content.decode()
    assert 'data-status="refused"' in page and "We could not reach you" in page
    assert not is_pollster(User.objects.get(username="qogam-pikiri"))
    twice = staff.post(
        "/en/exitpoll/applications/", {"application": found.pk, "decision": "approve"}
    )
    assert twice.status_code == 409 and "decided already" in twice.content.decode()
    # refused, the account may apply again (signed in: no new account)
    answer = applicant.post("/en/exitpoll/apply/", {**GOOD, "username": "", "password": ""})
    assert answer.status_code == 302 and PollsterApplication.objects.count() == 2
    dup = applicant.post("/en/exitpoll/apply/", GOOD)
    assert dup.status_code == 409 and "waiting for a decision already" in dup.content.decode()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"organisation": " "}, "This field is required."),
        ({"email": "not-an-address"}, "Enter a valid email address."),
        ({"method": ""}, "This field is required."),
        ({"password": "123"}, "This password is too short."),
    ],
)
def test_bad_input_is_named_and_what_was_typed_is_kept(change, message):
    answer = Client().post("/en/exitpoll/apply/", {**GOOD, **change})
    assert answer.status_code == 400
    html = answer.content.decode()
    assert message in html
    assert 'value="polls@example.kz"' in html or "email" in change
    assert PollsterApplication.objects.count() == 0 and not User.objects.exists()


def test_a_taken_user_name_is_refused():
    User.objects.create_user("qogam-pikiri", password="x")
    answer = Client().post("/ru/exitpoll/apply/", GOOD)
    assert answer.status_code == 400
    assert "Это имя пользователя занято" in answer.content.decode()


def test_only_staff_decide():
    Client().post("/en/exitpoll/apply/", GOOD)
    other = User.objects.create_user("someone", password="x")
    client = Client()
    client.force_login(other)
    assert client.get("/en/exitpoll/applications/").status_code == 403
    assert Client().get("/en/exitpoll/applications/").status_code == 302  # sign in first


def test_one_network_is_capped_per_hour(settings):
    settings.SAYLAU_POLLSTER_APPLICATIONS_PER_HOUR = 2
    client = Client(REMOTE_ADDR="198.51.100.9")
    for n in range(2):
        fresh = Client(REMOTE_ADDR="198.51.100.9")
        assert (
            fresh.post("/en/exitpoll/apply/", {**GOOD, "username": f"org-{n}"}).status_code == 302
        )
    refused = client.post("/en/exitpoll/apply/", {**GOOD, "username": "org-3"})
    assert refused.status_code == 429
    assert "Too many applications were sent from your network" in refused.content.decode()
    assert not User.objects.filter(username="org-3").exists()
    other = Client(REMOTE_ADDR="192.0.2.1")  # another network is not held up
    assert other.post("/en/exitpoll/apply/", {**GOOD, "username": "org-4"}).status_code == 302
    key = applications.source_key("198.51.100.9")
    later = timezone.now() + dt.timedelta(hours=1, minutes=1)
    user = User.objects.create_user("org-5", password="x")
    fine = applications.apply(
        user, organisation="Org", email="a@example.kz", method="m", now=later, source=key
    )
    assert fine.status == PollsterApplication.Status.PENDING
    with pytest.raises(WrongState):
        applications.apply(
            user, organisation="Org", email="a@example.kz", method="m", now=later, source=""
        )
