"""With DEBUG on: only this computer gets answers, bind hosts must be the loopback, and no
error report shows a database URL or another secret."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory
from django.views.debug import ExceptionReporter

from saylau.site.env import LoopbackRequired, is_loopback_host, require_loopback_bind
from saylau.site.reporting import SaylauReporterFilter

PASSWORD = "".join(["hun", "ter2"])  # not in this source: tracebacks show source lines
SECRET_URL = f"postgres://saylau:{PASSWORD}@db.internal:5432/saylau"


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.8.9.10", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("LOCALHOST", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.5", False),
        ("example.kz", False),
        ("localhost.example.kz", False),
        ("", False),
    ],
)
def test_is_loopback_host(host, loopback):
    assert is_loopback_host(host) is loopback


def test_a_debug_site_binds_the_loopback_only():
    require_loopback_bind("127.0.0.1", debug=True)
    require_loopback_bind("0.0.0.0", debug=False)
    with pytest.raises(LoopbackRequired) as refused:
        require_loopback_bind("0.0.0.0", debug=True)
    assert isinstance(refused.value, ImproperlyConfigured)
    assert "0.0.0.0" in str(refused.value)


@pytest.mark.django_db
def test_a_foreign_host_gets_a_plain_400_not_the_debug_page(client, settings, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", SECRET_URL)
    settings.DEBUG = True
    settings.ALLOWED_HOSTS = ["localhost"]
    for extra in (
        {"HTTP_HOST": "evil.example"},
        {"HTTP_HOST": "localhost", "REMOTE_ADDR": "203.0.113.9"},
        {"HTTP_HOST": "evil.example", "REMOTE_ADDR": "203.0.113.9"},
    ):
        for path in ("/en/", "/api/health", "/admin/", "/no/such/page"):
            response = client.get(path, HTTP_ACCEPT_LANGUAGE="en", **extra)
            body = response.content.decode()
            assert response.status_code == 400, (path, extra)
            assert "only answers on this computer" in body
            assert PASSWORD not in body and "DATABASE" not in body and "Traceback" not in body
    assert client.get("/api/health", HTTP_HOST="localhost:8000").status_code == 200
    settings.DEBUG = False  # production: the host check is Django's (ALLOWED_HOSTS)
    assert (
        client.get("/api/health", HTTP_HOST="localhost", REMOTE_ADDR="203.0.113.9").status_code
        == 200
    )


def test_error_reports_hide_urls_dsns_and_database_settings(settings, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", SECRET_URL)
    settings.DATABASE_URL = SECRET_URL
    settings.SENTRY_DSN = "https://key@sentry.example/1"
    assert settings.DEFAULT_EXCEPTION_REPORTER_FILTER.endswith("SaylauReporterFilter")
    request = RequestFactory().get("/", DATABASE_URL=SECRET_URL)  # as runserver puts os.environ
    try:
        raise RuntimeError("boom")
    except RuntimeError as error:
        reporter = ExceptionReporter(request, type(error), error, error.__traceback__)
        text = reporter.get_traceback_text() + reporter.get_traceback_html()
    assert PASSWORD not in text
    assert "RuntimeError" in text
    safe = SaylauReporterFilter().get_safe_settings()
    assert "sentry.example" not in safe["SENTRY_DSN"]
    assert PASSWORD not in str(safe["DATABASES"]) and PASSWORD not in safe["DATABASE_URL"]
