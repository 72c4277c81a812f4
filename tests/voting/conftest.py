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
