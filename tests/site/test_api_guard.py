"""State-changing API calls: JSON bodies only (415), and a browser's Origin must be the
site's own or an allowed one (403); clients without Origin go through."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db
URL = "/api/voting/no-such-election/sign-in"
BODY = '{"iin": "900101300007", "phone": "+77011234567"}'


@pytest.fixture(autouse=True)
def hosts(settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.SAYLAU_API_ALLOWED_ORIGINS = ["https://partner.example.kz"]


def post(client, content_type="application/json", body=BODY, url=URL, **headers):
    return client.post(url, body, content_type=content_type, **headers)


def test_a_text_plain_body_is_refused_with_415_in_the_users_language(client):
    messages = set()
    for language in ("kk", "ru", "en"):
        response = post(client, "text/plain", HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 415
        error = response.json()["error"]
        assert error["code"] == "api.unsupported_media_type"
        messages.add(error["message"])
    assert len(messages) == 3
    for media_type in ("application/x-www-form-urlencoded", "multipart/form-data; boundary=x"):
        assert post(client, media_type).status_code == 415
    # the cast's short way too
    cast = post(client, "text/plain", url="/api/voting/no-such-election/ballots")
    assert cast.status_code == 415


def test_json_goes_through(client):
    assert post(client).status_code == 404  # past the guard: the election does not exist
    assert post(client, "application/json; charset=utf-8").status_code == 404
    assert client.post("/api/voting/no-such-election/sign-out").status_code == 415  # multipart
    for media_type in ("", "text/plain"):  # no body: nothing to refuse (WSGI says text/plain)
        empty = client.generic("POST", "/api/voting/x/sign-out", content_type=media_type)
        assert empty.status_code in (401, 404)
    assert client.get("/api/health", content_type="text/plain").status_code == 200


def test_a_documented_upload_takes_multipart(client):
    response = client.post("/api/registry/imports", {"file": b""})  # multipart/form-data
    assert response.status_code != 415
    assert post(client, "text/plain", url="/api/registry/imports").status_code == 415


def test_a_foreign_origin_is_refused(client):
    for origin in ("https://evil.example", "null", "http://testserver.evil.example"):
        response = post(client, HTTP_ORIGIN=origin)
        assert response.status_code == 403, origin
        assert response.json()["error"]["code"] == "api.origin_refused"
    response = post(client, "text/plain", HTTP_ORIGIN="https://evil.example")
    assert response.status_code == 403
    no_origin = post(client, HTTP_SEC_FETCH_SITE="cross-site")
    assert no_origin.status_code == 403


def test_the_sites_own_origin_and_allowed_ones_go_through(client):
    assert post(client, HTTP_ORIGIN="http://testserver").status_code == 404
    assert post(client, HTTP_ORIGIN="https://partner.example.kz").status_code == 404
    assert post(client, HTTP_SEC_FETCH_SITE="same-origin").status_code == 404
    assert client.get("/api/health", HTTP_ORIGIN="https://evil.example").status_code == 200


def test_a_json_body_that_is_not_an_object_is_refused(client):
    for body in ("[]", "[1, 2]", '"text"', "42", "null"):
        response = post(client, body=body)
        assert response.status_code == 400, body
        assert response.json()["error"]["code"] == "bad_request"
