"""The organiser API (session + permissions: organiser, auditor, anonymous) and the bearer-token
API of trustees and the CA."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from saylau.demo import play as demo
from saylau.elections import services
from saylau.elections.models import AuditEvent, Election, RelayedMessage, Status
from tests.elections.conftest import SLUG, close_roll, staff

pytestmark = pytest.mark.django_db
BASE = "/api/elections"


def post(client, path, body=None, token=None, lang="en", **extra):
    headers = {"HTTP_ACCEPT_LANGUAGE": lang}
    if token is not None:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client.post(
        path, json.dumps(body or {}), content_type="application/json", **headers, **extra
    )


def get(client, path, token=None, lang="en"):
    headers = {"HTTP_ACCEPT_LANGUAGE": lang}
    if token is not None:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client.get(path, **headers)


def test_creating_needs_an_organiser(client, manifest):
    body = {"manifest": manifest, "trustees": 3, "threshold": 2, "ip_policy": "limit"}
    assert post(client, f"{BASE}/", body).status_code == 401
    staff(client, "auditor")
    response = post(client, f"{BASE}/", body)
    assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"
    assert Election.objects.count() == 0


def test_organiser_creates_and_gets_the_tokens_once(client, manifest):
    staff(client, "organiser")
    body = {
        "manifest": manifest,
        "trustees": 3,
        "threshold": 2,
        "ip_policy": "limit",
        "opens_at": "2030-01-01T08:00:00",
        "trustee_names": ["Aigerim", "Bolat"],
    }
    response = post(client, f"{BASE}/", body)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["election"]["slug"] == SLUG and data["election"]["status"] == "draft"
    assert data["election"]["ip_policy"] == "limit"
    assert data["election"]["opens_at"].startswith("2030-01-01T08:00:00+05")  # Almaty time
    names = [t["name"] for t in data["tokens"]]
    assert names == ["Credential authority", "Aigerim", "Bolat", "Trustee 3"]
    detail = get(client, f"{BASE}/{SLUG}").json()
    assert "token" not in json.dumps(detail)
    created = AuditEvent.objects.get(action="election.created")
    assert created.actor == "user:organiser-user"


def test_organiser_uploads_a_yaml_file(client):
    import yaml

    staff(client, "organiser")
    text = yaml.safe_dump(demo.sample_manifest("from-yaml"), allow_unicode=True)
    upload = SimpleUploadedFile("m.yaml", text.encode(), content_type="application/x-yaml")
    response = client.post(
        f"{BASE}/upload", {"file": upload, "trustees": 4, "threshold": 3}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 201, response.content
    assert len(response.json()["tokens"]) == 5
    bad = SimpleUploadedFile("m.yaml", b"districts: [", content_type="application/x-yaml")
    response = client.post(f"{BASE}/upload", {"file": bad}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "election.invalid_manifest" and "YAML syntax" in error["message"]


def test_transitions_need_run_election_and_say_why_they_are_refused(client, election):
    url = f"{BASE}/{SLUG}/transition"
    assert post(client, url, {"to": "roll_closed"}).status_code == 401
    staff(client, "auditor")
    assert post(client, url, {"to": "roll_closed"}).status_code == 403
    client.logout()
    staff(client, "organiser")
    for lang, word in (("en", "no roll"), ("ru", "нет"), ("kk", "жоқ")):
        response = post(client, url, {"to": "roll_closed"}, lang=lang)
        assert response.status_code == 409
        assert response.json()["error"]["code"] == "election.transition_refused"
        assert word in response.json()["error"]["message"].lower()
    assert post(client, url, {"to": "sideways"}).status_code == 422
    close_roll(SLUG, {"KZ-75": 1})
    response = post(client, url, {"to": "roll_closed"})
    assert response.status_code == 200 and response.json()["status"] == "roll_closed"
    assert response.json()["next_stage"] == "keys_ready"


def test_audit_log_is_for_staff(client, election):
    url = f"{BASE}/{SLUG}/audit"
    assert get(client, url).status_code == 401
    staff(client, "auditor")
    events = get(client, url).json()
    assert [e["action"] for e in events] == ["election.created"]


def test_public_list_and_detail(client, election):
    listed = get(client, f"{BASE}/", lang="ru").json()
    assert listed == [
        {"slug": SLUG, "title": "Праймериз", "status": "draft", "opens_at": None, "closes_at": None}
    ]
    assert get(client, f"{BASE}/nope").status_code == 404


def test_schedule_and_tokens_and_forced_phase_need_an_organiser(client, election):
    for path, method in (
        (f"{BASE}/{SLUG}/ceremony/close-phase", post),
        (f"{BASE}/{SLUG}/seats/trustee/1/token", post),
        (f"{BASE}/{SLUG}/tally/prepare", post),
    ):
        assert method(client, path).status_code == 401
    staff(client, "organiser")
    response = client.put(
        f"{BASE}/{SLUG}/schedule",
        json.dumps(
            {"opens_at": "2030-01-02T08:00:00+05:00", "closes_at": "2030-01-01T08:00:00+05:00"}
        ),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400 and "close after it opens" in response.content.decode()
    old = next(t.token for t in election.issued_tokens if t.index == 1)
    new = post(client, f"{BASE}/{SLUG}/seats/trustee/1/token").json()["token"]
    assert get(client, f"{BASE}/{SLUG}/ceremony", token=old).status_code == 401
    assert get(client, f"{BASE}/{SLUG}/ceremony", token=new).status_code == 200
    response = post(client, f"{BASE}/{SLUG}/ceremony/close-phase")
    assert response.status_code == 409 and "cannot be skipped" in response.content.decode()
    response = post(client, f"{BASE}/{SLUG}/tally/prepare")
    assert response.status_code == 409


@pytest.mark.parametrize(
    "closes_at",
    [
        "9999-12-31T23:59:59-14:00",  # past year 9999 in UTC: used to be a 500 (OverflowError)
        "0001-01-01T00:00:00+14:00",  # before year 1 in UTC: the same
        "9999-12-31T23:59:59Z",
        "1999-12-31T23:00:00Z",
    ],
)
@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_implausible_times_are_refused_in_the_users_language(client, election, closes_at, lang):
    staff(client, "organiser")
    response = client.put(
        f"{BASE}/{SLUG}/schedule",
        json.dumps({"opens_at": None, "closes_at": closes_at}),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE=lang,
    )
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["fields"][0]["field"] == "closes_at"
    assert {"en": "2000 and 2099", "ru": "2000 и 2099", "kk": "2000 және 2099"}[lang] in (
        error["message"]
    )
    election.refresh_from_db()
    assert election.closes_at is None  # nothing changed
    body = {"manifest": election.manifest | {"election_id": "later"}, "opens_at": closes_at}
    response = post(client, f"{BASE}/", body, lang=lang)
    assert response.status_code == 400 and response.json()["error"]["fields"][0]["field"] == (
        "opens_at"
    )
    assert not Election.objects.filter(slug="later").exists()


def test_bearer_tokens_open_only_their_own_seat(client, election, manifest):
    tokens = {t.index: t.token for t in election.issued_tokens}
    ceremony = f"{BASE}/{SLUG}/ceremony"
    assert get(client, ceremony).status_code == 401
    assert get(client, ceremony, token="sly_nonsense").status_code == 401
    assert get(client, ceremony, token=tokens[0]).status_code == 401  # the CA is no trustee
    assert get(client, f"{BASE}/{SLUG}/ca/roll", token=tokens[1]).status_code == 401
    other = services.create_election({**manifest, "election_id": "other"}, actor="test")
    response = get(client, f"{BASE}/other/ceremony", token=tokens[1])
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "election.bad_token"
    assert (
        get(client, f"{BASE}/other/ceremony", token=other.issued_tokens[2].token).json()["you"] == 2
    )


def test_ceremony_messages_over_http(client, election, tmp_path):
    from saylau import trustee
    from saylau.crypto.rand import DeterministicRng

    tokens = {t.index: t.token for t in election.issued_tokens}
    kf = trustee.init_keyfile(demo.InProcessClient(election, 1), "x", 1, "", DeterministicRng("a"))
    url = f"{BASE}/{SLUG}/ceremony/messages"
    response = post(client, url, {"kind": "deal", "payload": {}}, token=tokens[1])
    assert response.status_code == 409 and response.json()["error"]["code"] == "ceremony.conflict"
    response = post(
        client,
        url,
        {"kind": "transport_key", "payload": kf.transport_key},
        token=tokens[2],
        lang="ru",
    )
    assert response.status_code == 422
    assert response.json()["error"]["message"].startswith("Сервер отклонил сообщение")
    # the refusal is kept in the audit log although the request failed
    assert AuditEvent.objects.filter(action="ceremony.rejected").count() == 2
    response = post(
        client, url, {"kind": "transport_key", "payload": kf.transport_key}, token=tokens[1]
    )
    assert response.status_code == 201 and response.json() == {"accepted": True, "phase": "keys"}
    assert RelayedMessage.objects.count() == 1
    response = post(client, url, {"kind": "nonsense", "payload": {}}, token=tokens[1])
    assert response.status_code == 422 and response.json()["error"]["code"] == "invalid_input"


def test_decryption_shares_need_a_closed_election(client, election):
    token = election.issued_tokens[1].token
    response = post(client, f"{BASE}/{SLUG}/tally/shares", {"districts": {}}, token=token)
    assert response.status_code == 409
    assert get(client, f"{BASE}/{SLUG}/tally/sums", token=token).status_code == 409


def test_the_ca_roll_needs_a_closed_roll_and_the_ca_token(client, election):
    token = election.issued_tokens[0].token
    url = f"{BASE}/{SLUG}/ca/roll"
    assert get(client, url, token=token).status_code == 409  # still a draft
    members = close_roll(SLUG, {"KZ-75": 2, "KZ-71": 1})
    services.transition(election, Status.ROLL_CLOSED, actor="test")
    page = get(client, url, token=token).json()
    assert page["districts"] == {"KZ-75": 2, "KZ-71": 1} and page["next"] is None
    assert {m["phone"] for m in page["members"]} == {m.phone for m in members}
    assert {m["language"] for m in page["members"]} == {"kk"}
    exported = AuditEvent.objects.get(action="ca.roll_exported")
    assert exported.details == {"members": 3}
    first = get(client, f"{url}?limit=2", token=token).json()
    assert len(first["members"]) == 2 and first["next"] == first["members"][-1]["member"]
    rest = get(client, f"{url}?after={first['next']}", token=token).json()
    assert len(rest["members"]) == 1 and rest["next"] is None
