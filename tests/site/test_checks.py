import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from saylau.site.checks import (
    check_durable_board,
    check_production_settings,
    require_production_settings,
)


def ids(settings):
    return {problem.id for problem in check_production_settings()}


def test_debug_skips_deploy_checks(settings):
    settings.DEBUG = True
    assert ids(settings) == set()


def test_production_needs_a_secret_key(settings):
    settings.DEBUG = False
    settings.SAYLAU_SECRET_KEY_FROM_ENV = False
    settings.ALLOWED_HOSTS = []
    settings.SAYLAU_SMS_BACKEND = "outbox"
    assert ids(settings) == {"saylau.E001", "saylau.W001", "saylau.W002"}
    with pytest.raises(ImproperlyConfigured):
        require_production_settings()
    settings.SAYLAU_SECRET_KEY_FROM_ENV = True
    settings.ALLOWED_HOSTS = ["primaries.example.kz"]
    settings.SAYLAU_SMS_BACKEND = "http"
    assert ids(settings) == set()
    require_production_settings()


@pytest.mark.django_db
def test_the_board_needs_commits_that_wait_for_their_flush():
    if connection.vendor != "postgresql":
        assert check_durable_board(databases=["default"]) == []  # SQLite: nothing to check
        return
    assert check_durable_board(databases=["default"]) == []
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
    try:
        assert [p.id for p in check_durable_board(databases=["default"])] == ["saylau.E002"]
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")
    assert check_durable_board(databases=None) == []  # not asked to look at a database
