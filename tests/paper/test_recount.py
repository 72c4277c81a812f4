"""A recount: a new revision with its reason, entered twice and scanned again; when it is
accepted the older accepted revision is superseded; both are kept."""

from __future__ import annotations

import pytest
from django.test import Client

from saylau.elections.models import AuditEvent
from saylau.paper import services
from saylau.paper.entry_errors import InvalidEntry, PaperForbidden, RecountRefused
from saylau.paper.models import Protocol
from tests.paper.entry_world import CONTEST, PASSWORD, PDF, ew, good_counts, png_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
__all__ = ["ew"]


def accept(ew, typed, scan=PDF):
    for name in ("op1", "op2"):
        services.submit_entry(ew.election, ew.station, CONTEST, ew.users[name], typed)
    protocol = services.latest_protocol(ew.election, ew.station, CONTEST)
    services.upload_scan(protocol, ew.users["op1"], scan)
    protocol.refresh_from_db()
    assert protocol.status == "accepted"
    return protocol


def recount(ew, reason="margin of 1 vote", user="org"):
    return services.open_recount(ew.election, ew.station, CONTEST, ew.users[user], reason)


def test_a_recount_supersedes_only_when_accepted(ew):
    first = accept(ew, good_counts())
    second = recount(ew)
    assert (second.revision, second.status, second.reason) == (2, "draft", "margin of 1 vote")
    first.refresh_from_db()
    assert first.status == "accepted"  # still counts while the recount is entered
    with pytest.raises(RecountRefused):
        recount(ew)  # one open recount at a time
    recounted = good_counts(o1=41, o2=29)
    accept(ew, recounted, scan=png_bytes())
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == "superseded" and first.counts == good_counts().counts
    assert second.status == "accepted" and second.options == recounted.options
    assert first.scan_sha256 != second.scan_sha256
    assert list(Protocol.objects.values_list("revision", "status")) == [
        (1, "superseded"),
        (2, "accepted"),
    ]
    accepted = AuditEvent.objects.filter(action="paper.protocol_accepted").last()
    assert accepted.details["superseded"] == [1] and accepted.details["revision"] == 2
    opened = AuditEvent.objects.get(action="paper.recount_opened")
    assert "margin" not in str(opened.details)  # ids and counts only


def test_a_recount_needs_an_accepted_protocol_and_a_reason(ew):
    with pytest.raises(RecountRefused):
        recount(ew)
    for name in ("op1", "op2"):
        services.submit_entry(ew.election, ew.station, CONTEST, ew.users[name], good_counts())
    with pytest.raises(RecountRefused):
        recount(ew)  # a draft: not accepted yet
    services.upload_scan(
        services.latest_protocol(ew.election, ew.station, CONTEST), ew.users["op1"], PDF
    )
    with pytest.raises(InvalidEntry):
        recount(ew, reason="   ")
    assert recount(ew).revision == 2


def test_only_an_organiser_opens_a_recount(ew):
    accept(ew, good_counts())
    for user in ("op1", "sup", "boss", "far", "aud", "nobody"):
        with pytest.raises(PaperForbidden):
            recount(ew, user=user)
    assert Protocol.objects.count() == 1


def test_the_recount_page(ew):
    accept(ew, good_counts())
    client = Client()
    client.login(username="org", password=PASSWORD)
    url = f"/en/paper/primaries-test/S-75/{CONTEST}/recount/"
    empty = client.post(url, {"reason": ""})
    assert empty.status_code == 400 and "Give the reason" in empty.content.decode()
    assert client.post(url, {"reason": "tie"}).status_code == 302
    page = client.get("/en/paper/primaries-test/S-75/").content.decode()
    assert "revision 2" in page and "tie" in page and "Earlier revisions" in page
