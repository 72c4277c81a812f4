"""The HTTP provider against a real HTTP server on 127.0.0.1 in a thread."""

import json
import logging
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from saylau.notify import SmsRejected, SmsUnavailable, get_gateway, send_sms
from saylau.notify.backends.http import HttpGateway


class Receiver:
    """A tiny SMS provider: records requests, answers as told."""

    def __init__(self):
        self.requests = []
        self.status = 200
        self.body = b'{"id": "msg-1"}'
        self.delay = 0.0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                receiver.requests.append(
                    {
                        "path": self.path,
                        "headers": dict(self.headers),
                        "body": json.loads(self.rfile.read(length)),
                    }
                )
                time.sleep(receiver.delay)
                self.send_response(receiver.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(receiver.body)))
                self.end_headers()
                self.wfile.write(receiver.body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1/sms"
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


@pytest.fixture
def receiver():
    with Receiver() as running:
        yield running


def test_message_is_posted_with_token_and_json(receiver, settings):
    settings.SAYLAU_SMS_BACKEND = "http"
    settings.SAYLAU_SMS_URL = receiver.url
    settings.SAYLAU_SMS_TOKEN = "s3cret"
    settings.SAYLAU_SMS_SENDER = "saylau"
    result = send_sms("8 701 123 45 67", "Сіздің кодыңыз: 482913")
    assert result.provider_id == "msg-1"
    (request,) = receiver.requests
    assert request["path"] == "/v1/sms"
    assert request["headers"]["Authorization"] == "Bearer s3cret"
    assert request["headers"]["Idempotency-Key"] == result.reference
    assert request["body"] == {
        "to": "+77011234567",
        "text": "Сіздің кодыңыз: 482913",
        "sender": "saylau",
        "reference": result.reference,
    }


def test_accepts_any_2xx_and_an_empty_body(receiver):
    receiver.status, receiver.body = 202, b""
    result = send_sms("+77011234567", "x", gateway=HttpGateway(receiver.url, "t"))
    assert result.provider_id == ""


@pytest.mark.parametrize("status", [400, 401, 403, 422])
def test_client_errors_are_rejections(receiver, status):
    receiver.status, receiver.body = status, b'{"error": "bad"}'
    with pytest.raises(SmsRejected) as error:
        send_sms("+77011234567", "x", gateway=HttpGateway(receiver.url, "t"))
    assert str(status) in str(error.value)


@pytest.mark.parametrize("status", [429, 500, 502, 503])
def test_server_errors_are_unavailability(receiver, status):
    receiver.status = status
    with pytest.raises(SmsUnavailable):
        send_sms("+77011234567", "x", gateway=HttpGateway(receiver.url, "t"))


def test_timeout(receiver):
    receiver.delay = 1.0
    with pytest.raises(SmsUnavailable):
        send_sms("+77011234567", "x", gateway=HttpGateway(receiver.url, "t", timeout=0.2))


def test_connection_refused():
    with Receiver() as gone:
        url = gone.url
    with pytest.raises(SmsUnavailable):
        send_sms("+77011234567", "x", gateway=HttpGateway(url, "t", timeout=2))


def test_logs_never_carry_the_number_or_the_text(receiver, caplog, settings):
    settings.SAYLAU_SMS_URL, settings.SAYLAU_SMS_TOKEN = receiver.url, "t"
    caplog.set_level(logging.DEBUG)
    settings.SAYLAU_SMS_BACKEND = "http"
    send_sms("+77011234567", "code 482913", gateway=get_gateway())
    receiver.status = 500
    with pytest.raises(SmsUnavailable):
        send_sms("+77011234567", "code 482913", gateway=get_gateway())
    text = caplog.text
    assert "SMS" in text
    assert "7011234567" not in text and "482913" not in text
