"""Shared test setup.

pytest-django configures Django from ``saylau.site.settings`` (pyproject.toml);
tests that need the database ask for it (``db`` fixture or ``django_db`` mark),
so crypto and protocol tests run without one. DATABASE_URL chooses SQLite
(default, in memory) or PostgreSQL (``postgres://postgres@127.0.0.1:5432/test``).
"""

from __future__ import annotations

import csv
import io

import pytest

MEMBER_HEADER = ("iin", "full_name", "phone", "district", "join_date")


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    if settings.configured:
        # Fast hashing: tests create users, they do not test password storage.
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every transactional test restores the database it found (serialized rollback): a
    plain one's flush re-runs post_migrate (groups, permissions), and a serialized test
    after it then fails to restore rows that are already there."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        fixtures = getattr(item, "fixturenames", ())
        transactional = bool(marker and marker.kwargs.get("transaction")) or any(
            f in fixtures for f in ("transactional_db", "live_server")
        )
        if transactional and not (marker and marker.kwargs.get("serialized_rollback")):
            kwargs = dict(marker.kwargs) if marker else {}
            kwargs.update(transaction=True, serialized_rollback=True)
            item.add_marker(
                pytest.mark.django_db(*(marker.args if marker else ()), **kwargs), append=False
            )


@pytest.fixture
def english():
    """Run a test in English (the site's default language is Kazakh)."""
    from django.utils import translation

    with translation.override("en"):
        yield


def _csv_bytes(rows, header=MEMBER_HEADER, delimiter=","):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    if header is not None:
        writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


@pytest.fixture
def make_csv():
    """``make_csv(rows, header=..., delimiter=...)`` → the bytes of a CSV member file."""
    return _csv_bytes


@pytest.fixture
def members():
    """``members(n, seed=0)`` → ``n`` valid synthetic member rows (lists of strings)."""
    from saylau.registry import synth

    def make(n, seed=0):
        return [list(m.row()) for m in synth.generate(n, seed=seed)]

    return make


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: a test database reuses ids after a rollback, so
    a cached value keyed by them (paper.results_cache) could outlive its test."""
    yield
    from django.core.cache import cache

    cache.clear()
