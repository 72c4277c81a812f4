"""The cast's short way (voting.shortcut, decision 0013) answers every cast exactly as the API
served by ninja does: the same status, body and headers, for receipts and for every kind of
refusal, in every language; and it serves nothing but `POST …/ballots`."""

from __future__ import annotations

import copy
import json

import pytest
from django.db import OperationalError
from django.test import Client

from saylau.board.models import Leaf
from saylau.protocol.canonical import canonical_json
from saylau.voting.shortcut import CAST_PATH
from tests.voting.helpers import Api

pytestmark = pytest.mark.django_db

SHORTCUT = "saylau.voting.shortcut.CastShortcutMiddleware"
HEADERS = (
    "Content-Type",
    "Content-Language",
    "Vary",
    "Retry-After",
    "X-Frame-Options",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
)


@pytest.fixture
def ways(settings):
    """Two clients: one through the MIDDLEWARE as configured (with the short way), one
    through the same MIDDLEWARE without it (URL resolving and ninja's operation)."""
    assert SHORTCUT in settings.MIDDLEWARE
    short = Client()
    short.get("/api/health")  # loads the middleware chain now, with the short way
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != SHORTCUT]
    full = Client()
    full.get("/api/health")
    return short, full


def answer(response) -> tuple[int, bytes, dict[str, str | None]]:
    return (
        response.status_code,
        response.content,
        {name: response.headers.get(name) for name in HEADERS},
    )


def both(ways, path: str, body: bytes | str, **extra):
    """The same POST through both ways: the two answers (status, body, headers)."""
    return [
        answer(client.post(path, data=body, content_type="application/json", **extra))
        for client in ways
    ]


def bearer(token: str, lang: str = "ru") -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}", "HTTP_ACCEPT_LANGUAGE": lang}


def test_the_short_way_is_the_cast_path_only():
    slug = "primaries-2026"
    assert CAST_PATH.fullmatch(f"/api/voting/{slug}/ballots")["slug"] == slug
    for other in (
        f"/api/voting/{slug}/ballots/",
        f"/api/voting/{slug}/sign-in",
        f"/api/voting/{slug}/board",
        "/api/voting/a/b/ballots",
        f"/kk/api/voting/{slug}/ballots",
    ):
        assert CAST_PATH.fullmatch(other) is None, other


def test_a_receipt_and_its_repeat_are_the_same_either_way(world, client, ways):
    api = Api(client, world.election.slug)
    first, second = world.voters[0], world.voters[1]
    short, full = ways
    path = api.url("/ballots")
    bodies = {v.member_id: canonical_json(world.ballot(v).raw) for v in (first, second)}
    tokens = {v.member_id: api.sign_in(v, ip=f"10.0.1.{n}") for n, v in enumerate((first, second))}
    # a first cast each way: 201, the same fields in the same order, each leaf on the board
    made = [
        client_.post(
            path,
            data=bodies[v.member_id],
            content_type="application/json",
            **bearer(tokens[v.member_id]),
        )
        for client_, v in ((short, first), (full, second))
    ]
    assert [r.status_code for r in made] == [201, 201]
    assert list(made[0].json()) == list(made[1].json())
    assert list(made[0].json()["receipt"]) == list(made[1].json()["receipt"])
    assert answer(made[0])[2] == answer(made[1])[2]
    assert Leaf.objects.filter(election=world.election, kind="cast").count() == 2
    # the same ballot again, each way: the stored receipt, byte for byte
    for voter in (first, second):
        repeats = both(ways, path, bodies[voter.member_id], **bearer(tokens[voter.member_id]))
        assert repeats[0] == repeats[1]
        assert repeats[0][0] == 200


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_every_refusal_is_the_same_either_way(world, client, ways, settings, lang):
    api = Api(client, world.election.slug)
    voter, other = world.voters[0], world.voters[1]
    token = api.sign_in(voter)
    path = api.url("/ballots")
    ballot = canonical_json(world.ballot(voter).raw)
    tampered = copy.deepcopy(world.ballot(voter).raw)
    tampered["contests"][0]["choices"][0]["proof"]["responses"][0] = "00" * 32
    cases = {
        "no token": (path, ballot, {"HTTP_ACCEPT_LANGUAGE": lang}),
        "unknown token": (path, ballot, bearer("not-a-session", lang)),
        "not JSON": (path, b"{not json", bearer(token, lang)),
        "not a ballot": (path, json.dumps({"ballot": 1}), bearer(token, lang)),
        "a proof that fails": (path, canonical_json(tampered), bearer(token, lang)),
        "another's credential": (
            path,
            canonical_json(world.ballot(other).raw),
            bearer(token, lang),
        ),
        "no such election": (
            "/api/voting/no-such-election/ballots",
            ballot,
            bearer(token, lang),
        ),
    }
    size = Leaf.objects.count()
    for name, (url, body, extra) in cases.items():
        short, full = both(ways, url, body, **extra)
        assert short == full, name
        assert short[0] in (400, 401, 403, 404), (name, short[0])
        assert json.loads(short[1])["error"]["message"], name
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    short, full = both(ways, path, ballot, **bearer(token, lang))
    assert short == full and short[0] == 413
    assert Leaf.objects.count() == size  # nothing was stored by any of them


def test_a_busy_database_is_the_same_503_either_way(world, client, ways, monkeypatch):
    api = Api(client, world.election.slug)
    token = api.sign_in(world.voters[0])
    from saylau.board import lifecycle, procedure

    def db_error(*args, **kwargs):
        raise OperationalError("could not obtain lock")

    monkeypatch.setattr(lifecycle, "lock_state", db_error)
    monkeypatch.setattr(procedure, "append_ballot", db_error)
    body = canonical_json(world.ballot(world.voters[0]).raw)
    short, full = both(ways, api.url("/ballots"), body, **bearer(token))
    assert short == full
    assert short[0] == 503 and short[2]["Retry-After"]


def test_other_methods_and_hosts_are_djangos(world, ways, settings):
    short, full = ways
    path = f"/api/voting/{world.election.slug}/ballots"
    assert answer(short.get(path)) == answer(full.get(path))  # 405 from ninja, both ways
    assert short.get(path).status_code == 405
    settings.ALLOWED_HOSTS = ["saylau.example"]
    refused = short.post(path, data=b"{}", content_type="application/json")
    assert refused.status_code == 400  # DisallowedHost, before the short way
