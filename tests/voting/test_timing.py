"""Server-Timing: off by default; with SAYLAU_SERVER_TIMING the CPU time of the request and
of the ballot's verification."""

from __future__ import annotations

import pytest
from django.db import connection

from saylau.client.voting import _server_timing
from tests.voting.helpers import Api

pytestmark = pytest.mark.django_db


def test_off_by_default(world, api):
    voter = world.voters[0]
    response = api.cast(world.ballot(voter), api.sign_in(voter))
    assert response.status_code == 201 and "Server-Timing" not in response.headers


def test_a_cast_says_where_its_cpu_went(world, client, settings):
    settings.SAYLAU_SERVER_TIMING = True
    settings.MIDDLEWARE = ["saylau.web.timing.ServerTimingMiddleware", *settings.MIDDLEWARE]
    api = Api(client, world.election.slug)
    voter = world.voters[0]
    token = api.sign_in(voter)
    for choice in (0, 1):  # a first cast (on PostgreSQL without the look-up), a revote
        response = api.cast(world.ballot(voter, choice=choice), token)
        assert response.status_code == 201
        metrics = _server_timing(response.headers["Server-Timing"])
        assert {"app", "verify", "parse", "append", "receipt"} <= set(metrics)
        assert ("look-up" in metrics) == (choice == 1 or connection.vendor != "postgresql")
        assert 0 < metrics["verify"] < metrics["app"]
        assert sum(v for k, v in metrics.items() if k != "app") <= metrics["app"] * 1.001
    # a refused ballot is timed too (the middleware wraps every answer)
    refused = api.post("/ballots", body=b"{", token=api.sign_in(world.voters[1], ip="10.0.0.9"))
    assert refused.status_code == 400 and "app;dur=" in refused.headers["Server-Timing"]


def test_the_client_reads_server_timing():
    assert _server_timing("app;dur=9.8, verify;dur=6.9") == {"app": 9.8, "verify": 6.9}
    assert _server_timing('cache;desc="hit", db;dur=x, total;dur=1') == {"total": 1.0}
    assert _server_timing(None) == {}
