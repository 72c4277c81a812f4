"""The interviewer's entries through the API: stored once per client UUID under retries
(201, then 200; 409 for a reused UUID), refused-and-kept at a station the interviewer is not
assigned to, checked (an unknown option stores nothing), and 403 for who is no interviewer."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.test import Client
from django.utils import timezone

from saylau.exitpoll import entries
from saylau.exitpoll.models import REFUSED_TO_SAY, Entry, Poll
from tests.exitpoll.world import OPTIONS, PASSWORD, PollWorld, designed, interviewer_for

URL = "/api/exitpoll/entries"


def send_entries(pw: PollWorld, poll: Poll, per_station: list[list[int]]) -> None:
    """Through the service: at the k-th sampled station, answers per option, refused to say,
    refusals, non-contacts as in per_station[k] (one interviewer per station)."""
    now = timezone.now()
    sampled = list(poll.sampled.select_related("station").order_by("stratum", "station__code"))
    for k, row in enumerate(per_station):
        s = sampled[k]
        person = interviewer_for(pw, poll, f"int-{poll.pk}-{k}", [s.pk])
        kinds = [("answer", o) for o in OPTIONS] + [
            ("answer", REFUSED_TO_SAY),
            ("refusal", ""),
            ("non_contact", ""),
        ]
        for (kind, option), n in zip(kinds, row, strict=True):
            for _ in range(int(n)):
                sent = entries.Sent(uuid.uuid4(), s.station.code, kind, option, now)
                entries.record(person, sent, now)


@pytest.fixture
def assigned(pw):
    poll = designed(pw)
    sampled = list(poll.sampled.select_related("station").order_by("station__code"))
    person = interviewer_for(pw, poll, "ivan", [sampled[0].pk])
    return pw, poll, sampled, person


def client_for(name="ivan") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert client.login(username=name, password=PASSWORD)
    return client


def body(poll, station, kind="answer", option=OPTIONS[0], client_uuid=None, when=None):
    return {
        "client_uuid": str(client_uuid or uuid.uuid4()),
        "poll": poll.slug,
        "station": station,
        "kind": kind,
        "option": option,
        "occurred_at": (when or dt.datetime.now(dt.UTC)).isoformat(),
    }


def post(client, data):
    return client.post(URL, data, content_type="application/json")


def test_a_retried_entry_is_stored_once(assigned):
    _pw, poll, sampled, _person = assigned
    client = client_for()
    data = body(poll, sampled[0].station.code)
    first = post(client, data)
    assert first.status_code == 201, first.content
    assert first.json()["stored_now"] is True
    for _ in range(3):
        again = post(client, data)
        assert again.status_code == 200 and again.json()["stored_now"] is False
    assert Entry.objects.count() == 1
    reused = post(client, {**data, "option": OPTIONS[1]})
    assert reused.status_code == 409
    assert reused.json()["error"]["code"] == "exitpoll.uuid_reused"
    assert Entry.objects.get().option == OPTIONS[0]


def test_refusals_non_contacts_and_refused_to_say_are_entries_too(assigned):
    _pw, poll, sampled, _person = assigned
    client = client_for()
    code = sampled[0].station.code
    for kind, option in (("refusal", ""), ("non_contact", ""), ("answer", REFUSED_TO_SAY)):
        assert post(client, body(poll, code, kind, option)).status_code == 201
    assert sorted(Entry.objects.values_list("kind", flat=True)) == [
        "answer",
        "non_contact",
        "refusal",
    ]


def test_an_entry_from_a_station_not_assigned_is_refused_and_kept(assigned):
    _pw, poll, sampled, _person = assigned
    client = client_for()
    data = body(poll, sampled[1].station.code)
    answer = post(client, data)
    assert answer.status_code == 403
    error = answer.json()["error"]
    assert error["code"] == "exitpoll.not_assigned"
    assert sampled[1].station.code in error["message"] and "kept" in error["message"]
    again = post(client, data)  # the retry: the same refusal, still one entry
    assert again.status_code == 403 and again.json()["error"]["code"] == "exitpoll.not_assigned"
    kept = Entry.objects.get()
    assert kept.status == "refused" and kept.sampled == sampled[1]
    assert kept.refusal_code == "exitpoll.not_assigned"
    # a station outside the sample: kept as well, with no sampled station
    outside = post(client, body(poll, "NO-SUCH-1"))
    assert outside.status_code == 403 and "sample" in outside.json()["error"]["message"]
    assert Entry.objects.filter(status="refused").count() == 2
    pollster = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert pollster.login(username="pollster", password=PASSWORD)
    page = pollster.get(f"/en/exitpoll/{poll.slug}/interviewers/").content.decode()
    assert 'id="refused"' in page and "NO-SUCH-1" in page and sampled[1].station.code in page


def test_bad_entries_store_nothing_and_say_why(assigned):
    _pw, poll, sampled, _person = assigned
    client = client_for()
    code = sampled[0].station.code
    wrong = post(client, body(poll, code, option="president-z"))
    assert wrong.status_code == 400 and wrong.json()["error"]["fields"][0]["field"] == "option"
    assert post(client, body(poll, code, kind="vote")).status_code == 400
    assert post(client, body(poll, code, kind="refusal", option=OPTIONS[0])).status_code == 400
    later = dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)
    assert post(client, body(poll, code, when=later)).status_code == 400
    missing = post(client, {"poll": poll.slug})
    assert missing.status_code == 422
    assert not Entry.objects.exists()


@pytest.mark.parametrize("who", ["nobody", "pollster", None])
def test_who_is_no_interviewer_of_the_poll_gets_403_or_401(assigned, who):
    _pw, poll, sampled, _person = assigned
    client = client_for(who) if who else Client()
    answer = post(client, body(poll, sampled[0].station.code))
    assert answer.status_code == (403 if who else 401)
    assert not Entry.objects.exists()
    assert post(client_for(), body(Poll(slug="nope"), "x")).status_code == 404


def test_the_interviewers_page_shows_only_their_stations(assigned):
    _pw, _poll, sampled, _person = assigned
    client = client_for()
    page = client.get(f"/en/exitpoll/station/{sampled[0].pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Aida Candidate" in html and "Refused to say" in html
    assert client.get(f"/en/exitpoll/station/{sampled[1].pk}/").status_code == 404
    assert sampled[0].station.code in client.get("/en/exitpoll/mine/").content.decode()
