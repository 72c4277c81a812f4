import io
import logging
import logging.config

import pytest
from django.conf import settings

from saylau.registry.redact import RedactingFilter, redact

IIN = "900101300007"


@pytest.mark.parametrize(
    "text",
    [
        f"member {IIN} signed in",
        "phone +77011234567 verified",
        "phone +7 701 123 45 67 verified",
        "phone +7 (701) 123-45-67 verified",
        "phone 8 701 123 45 67 verified",
        "phone 87011234567 verified",
        f"GET /api/x?iin={IIN}&phone=%2B77011234567",
    ],
)
def test_redact(text):
    out = redact(text)
    assert IIN not in out
    assert "7011234567" not in out and "123 45 67" not in out and "123-45-67" not in out


def test_redact_keeps_ordinary_numbers():
    text = "imported 835000 members in 41.2 s at 2020-09-11 14:48:07, status 200"
    assert redact(text) == text


def test_filter_rewrites_args_exceptions_and_stacks():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactingFilter())
    logger = logging.getLogger("saylau.test.redact")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("member %s phone %s", IIN, "+77011234567")
        logger.warning("dict args %(iin)s", {"iin": IIN})
        try:
            raise ValueError(f"bad member {IIN}")
        except ValueError:
            logger.exception("failed for +7 701 123 45 67")
        logger.warning("stack", stack_info=True, extra={"note": IIN})
        logger.warning("broken format %d", IIN)
    finally:
        logger.removeHandler(handler)
    out = stream.getvalue()
    assert IIN not in out and "7011234567" not in out and "123 45 67" not in out
    assert "[IIN]" in out and "[PHONE]" in out and "ValueError" in out


def test_every_configured_handler_redacts():
    config = settings.LOGGING
    for name, handler in config["handlers"].items():
        assert "redact" in handler.get("filters", []), name
    # Django's own loggers propagate to the redacting root handler.
    for name in ("django", "django.server", "saylau"):
        assert config["loggers"][name]["handlers"] == []
        assert config["loggers"][name]["propagate"] is True


def test_live_configuration_redacts_django_request_logs():
    root = logging.getLogger()
    console = next(
        h for h in root.handlers if any(isinstance(f, RedactingFilter) for f in h.filters)
    )
    stream = io.StringIO()
    old = console.setStream(stream)
    try:
        logging.getLogger("django.request").warning("Not Found: /roll/%s/", IIN)
        logging.getLogger("saylau.anything").error("sms to %s failed", "+77011234567")
    finally:
        console.setStream(old)
    out = stream.getvalue()
    assert "Not Found: /roll/[IIN]/" in out
    assert "sms to [PHONE] failed" in out


IIN_B = "880327397766"  # a valid IIN (check digit, birth date)


@pytest.mark.parametrize(
    "text",
    [
        "GET /api/x?iin=880327%20397766",
        "GET /api/x?iin=880327+397766",
        "member 8803-2739-7766 signed in",
        "member 8803 2739 7766 signed in",
        "member 880327_397766 signed in",
        "GET /api/x?iin=8803%2D2739%2D7766",
        "ref 12880327397766999 in a longer run",
        "ref 99880327397766 and ref 8803273977661",
    ],
)
def test_redact_iins_in_groups_and_inside_longer_runs(text):
    out = redact(text)
    digits = "".join(ch for ch in out if ch.isdigit())
    assert IIN_B not in digits, out
    assert "[IIN]" in out


def test_longer_runs_without_an_iin_stay():
    text = "leaf time 1733515000000, tree size 100 200, port 5432"
    assert redact(text) == text
