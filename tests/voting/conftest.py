"""Voting test fixtures (see helpers.py)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.voting.helpers import Api, World, build_world


@pytest.fixture(autouse=True)
def inline_sms(settings):
    settings.SAYLAU_OTP_SMS_MODE = "inline"
    settings.ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]


@pytest.fixture
def world_factory(db, members):
    def make(**kwargs: Any) -> World:
        return build_world(members, **kwargs)

    return make


@pytest.fixture
def world(world_factory) -> World:
    return world_factory()


@pytest.fixture
def api(client, world) -> Api:
    return Api(client, world.election.slug)


@pytest.fixture
def database_url(db) -> str:
    """The test database's URL, for app servers started as other processes (PostgreSQL only:
    they must share the database with this test)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://…): the app server shares it")
    s = connection.settings_dict
    return f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
