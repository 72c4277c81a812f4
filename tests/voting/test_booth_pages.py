"""The booth page and the page's cast, with Django's client: who gets the page, what its data
island holds (and never holds), and the cast through the one cast path with the web session
and its CSRF token — the API's answers, in the page's language."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from saylau.board.models import Leaf
from saylau.crypto.rand import DeterministicRng
from saylau.protocol.ballot import encrypt_ballot
from saylau.protocol.canonical import canonical_json
from saylau.protocol.credentials import derive
from saylau.protocol.receipt import check_receipt, receipt_from_json
from saylau.site.csp import POLICY
from tests.voting.helpers import last_code

pytestmark = pytest.mark.django_db

ISLAND = re.compile(r'<script id="booth-data" type="application/json">(.*?)</script>', re.S)


def signed_in(world, voter, *, csrf: bool = False) -> Client:
    """A client signed in through the pages; with `csrf`, one that then checks CSRF tokens."""
    client = Client(REMOTE_ADDR="10.3.0.1")
    slug = world.election.slug
    client.post(f"/en/vote/{slug}/", {"iin": voter.iin, "phone": voter.phone})
    client.post(f"/en/vote/{slug}/code/", {"code": last_code()})
    if not csrf:
        return client
    checking = Client(enforce_csrf_checks=True, REMOTE_ADDR="10.3.0.1")
    checking.cookies = client.cookies
    return checking


def island(page) -> dict:
    return json.loads(ISLAND.search(page.content.decode()).group(1))


def ballot_of(world, voter, seed: str = "booth"):
    selections = {
        c.id: [1] + [0] * (len(c.options) - 1)
        for c in world.ctx.manifest.contests_for(voter.district)
    }
    return encrypt_ballot(
        world.ctx,
        voter.district,
        selections,
        derive(world.election.slug, voter.code),
        DeterministicRng(seed),
    )


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_booth_page_holds_the_public_parameters_and_the_strings(world, language):
    voter = world.voters[0]
    client = signed_in(world, voter)
    page = client.get(f"/{language}/vote/{world.election.slug}/booth/")
    assert page.status_code == 200
    assert page["Content-Security-Policy"] == POLICY and "worker-src 'self'" in POLICY
    assert page["Cache-Control"] == "no-store"
    data = island(page)
    assert data["credential"] == voter.credential and data["district"] == voter.district
    assert data["manifest"] == world.election.manifest
    assert data["fingerprint"] == world.ctx.fingerprint.hex()
    assert data["urls"]["cast"] == f"/{language}/vote/{world.election.slug}/booth/ballots"
    assert data["urls"]["check"] == f"/{language}/board/{world.election.slug}/check/"
    assert voter.code not in page.content.decode()  # the secret code is never the server's
    expected = {"kk": "Тіркелгі кодыңызды", "ru": "Введите код", "en": "Enter your credential"}
    assert data["strings"]["code.empty"].startswith(expected[language])
    rule = {"kk": "Біреуін таңдаңыз.", "ru": "Выберите один вариант.", "en": "Choose one."}
    assert rule[language] in page.content.decode()


def test_who_gets_the_booth(world, client):
    slug = world.election.slug
    answer = client.get(f"/en/vote/{slug}/booth/")
    assert answer.status_code == 302 and answer["Location"] == f"/en/vote/{slug}/"
    assert client.get("/en/vote/no-such-election/booth/").status_code == 404
    signed = signed_in(world, world.voters[0])
    world.election.status = "closed"
    world.election.save(update_fields=["status"])
    page = signed.get(f"/en/vote/{slug}/booth/")
    assert page.status_code == 200 and b"Voting is closed" in page.content
    assert b"booth-data" not in page.content


def test_the_page_cast_is_the_api_cast_with_the_web_session(world):
    voter = world.voters[0]
    slug = world.election.slug
    client = signed_in(world, voter, csrf=True)
    url = f"/ru/vote/{slug}/booth/ballots"
    token = island(client.get(f"/ru/vote/{slug}/booth/"))["csrf_token"]
    body = canonical_json(ballot_of(world, voter).raw)
    refused = client.post(  # no CSRF token
        url, body, content_type="application/json", HTTP_ACCEPT="application/json"
    )
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    assert not Leaf.objects.filter(credential=voter.credential).exists()

    post = lambda data: client.post(  # noqa: E731
        url,
        data,
        content_type="application/json",
        HTTP_ACCEPT="application/json",
        HTTP_X_CSRFTOKEN=token,
    )
    answer = post(body)
    assert answer.status_code == 201, answer.content
    cast = answer.json()
    assert cast["kind"] == "cast" and cast["repeat"] is False and cast["replaces"] is None
    receipt = receipt_from_json(cast["receipt"])
    leaf = Leaf.objects.get(tracking_code=receipt.tracking_code)
    check_receipt(
        receipt,
        bytes(leaf.data),
        bytes.fromhex(world.election.board_public_key),
        world.ctx.fingerprint,
    )
    again = post(body)  # the same ballot again (a retry): its receipt, nothing appended
    assert again.status_code == 200 and again.json()["repeat"] is True
    assert again.json()["receipt"] == cast["receipt"]
    assert Leaf.objects.filter(credential=voter.credential).count() == 1

    bad = post(b"{not json")
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid_json"
    assert "JSON" in bad.json()["error"]["message"]
    other = ballot_of(world, world.voters[2])  # another voter's credential
    theirs = post(canonical_json(other.raw))
    assert theirs.status_code == 403
    assert theirs.json()["error"]["code"] == "ballot.not_your_credential"
    assert "не вашим кодом" in theirs.json()["error"]["message"]

    client.post(f"/ru/vote/{slug}/sign-out/", HTTP_X_CSRFTOKEN=token)
    gone = post(canonical_json(ballot_of(world, voter, "later").raw))
    assert gone.status_code == 401 and gone.json()["error"]["code"] == "not_authenticated"
    assert "Сначала войдите" in gone.json()["error"]["message"]
    assert client.get(url).status_code == 405


def test_the_signed_in_page_leads_into_the_booth(world, api, settings):
    settings.SAYLAU_OTP_RESEND = 0
    voter = world.voters[0]
    client = signed_in(world, voter)
    slug = world.election.slug
    page = client.get(f"/en/vote/{slug}/signed-in/").content.decode()
    assert f'href="/en/vote/{slug}/booth/"' in page and "Go to the voting booth" in page
    api.cast(ballot_of(world, voter), api.sign_in(voter, ip="10.3.0.2"))
    page = client.get(f"/en/vote/{slug}/signed-in/").content.decode()
    assert "You already voted, at" in page and "Asia/Almaty" in page
    assert "Vote again in the booth" in page
