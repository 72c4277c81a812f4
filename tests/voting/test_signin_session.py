"""The sign-in pages' session: a new key at each step (a planted `sessionid` never becomes
a signed-in session), as long-lived as the voter session, and holding no bearer token."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session

from saylau.voting.models import VoterSession
from tests.voting.helpers import last_code

pytestmark = pytest.mark.django_db


def test_a_planted_session_key_is_replaced_at_each_sign_in_step(world, client):
    voter, slug = world.voters[0], world.election.slug
    planted = SessionStore()
    planted["planted"] = True
    planted.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = planted.session_key

    response = client.post(f"/en/vote/{slug}/", {"iin": voter.iin, "phone": voter.phone})
    assert response.status_code == 302
    after_request = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after_request != planted.session_key
    assert not Session.objects.filter(session_key=planted.session_key).exists()

    response = client.post(f"/en/vote/{slug}/code/", {"code": last_code()})
    assert response.status_code == 302 and response["Location"].endswith("/signed-in/")
    signed_in = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert signed_in not in (after_request, planted.session_key)
    assert client.get(f"/en/vote/{slug}/signed-in/").status_code == 200

    # Whoever still holds the planted key (or the one in between) is not signed in.
    for key in (planted.session_key, after_request):
        client.cookies[settings.SESSION_COOKIE_NAME] = key
        response = client.get(f"/en/vote/{slug}/signed-in/")
        assert response.status_code == 302 and response["Location"].endswith(f"/vote/{slug}/")


def test_the_page_session_holds_a_reference_not_the_token_and_lives_as_long(world, client):
    voter, slug = world.voters[0], world.election.slug
    client.post(f"/en/vote/{slug}/", {"iin": voter.iin, "phone": voter.phone})
    client.post(f"/en/vote/{slug}/code/", {"code": last_code()})
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    stored = SessionStore(session_key=key)
    reference = stored[f"voting.{slug}.token"]
    row = VoterSession.objects.get()
    assert reference == row.token_hash  # the digest, which is no token
    assert not reference.startswith("s1.")
    response = client.get(f"/api/voting/{slug}/me", HTTP_AUTHORIZATION=f"Bearer {reference}")
    assert response.status_code == 401
    lifetime = settings.SAYLAU_VOTER_SESSION_TTL
    assert lifetime - 5 <= stored.get_expiry_age() <= lifetime
    # Signing out of the page ends the voter session.
    response = client.post(f"/en/vote/{slug}/sign-out/")
    assert response.status_code == 302
    assert not VoterSession.objects.exists()
