import pytest
from django.core.exceptions import ImproperlyConfigured

from saylau.notify import SmsRejected, get_gateway, send_sms
from saylau.notify.backends.http import HttpGateway
from saylau.notify.backends.outbox import OutboxGateway
from saylau.notify.gateway import SendResult, SmsMessage


class Recorder:
    def __init__(self):
        self.sent = []

    def send(self, message):
        self.sent.append(message)
        return SendResult(reference=message.reference)


def test_send_sms_normalises_the_number_and_uses_the_sender(settings):
    settings.SAYLAU_SMS_SENDER = "NurOtan"
    gateway = Recorder()
    result = send_sms("8 (701) 123-45-67", "Код: 123456", gateway=gateway)
    (message,) = gateway.sent
    assert message.to == "+77011234567"
    assert message.sender == "NurOtan"
    assert result.reference == message.reference and len(message.reference) == 32


@pytest.mark.parametrize(
    ("to", "body"), [("+7 916 123 45 67", "x"), ("garbage", "x"), ("+77011234567", "   ")]
)
def test_send_sms_refuses_bad_input_without_echoing_it(to, body):
    gateway = Recorder()
    with pytest.raises(SmsRejected) as error:
        send_sms(to, body, gateway=gateway)
    assert gateway.sent == []
    assert "916" not in str(error.value)


def test_backend_from_settings(settings):
    settings.SAYLAU_SMS_BACKEND = "outbox"
    assert isinstance(get_gateway(), OutboxGateway)
    settings.SAYLAU_SMS_BACKEND = "http"
    settings.SAYLAU_SMS_URL = "http://127.0.0.1:9/sms"
    settings.SAYLAU_SMS_TOKEN = "t"
    gateway = get_gateway()
    assert isinstance(gateway, HttpGateway) and gateway.url == "http://127.0.0.1:9/sms"
    settings.SAYLAU_SMS_BACKEND = "saylau.notify.backends.outbox.OutboxGateway"
    assert isinstance(get_gateway(), OutboxGateway)


@pytest.mark.parametrize(
    ("url", "token"),
    [("", "t"), ("ftp://x/sms", "t"), ("file:///etc/passwd", "t"), ("http://127.0.0.1/sms", "")],
)
def test_http_gateway_needs_an_http_url_and_a_token(url, token):
    with pytest.raises(ImproperlyConfigured):
        HttpGateway(url, token)


def test_message_defaults():
    a, b = SmsMessage(to="+77011234567", body="x"), SmsMessage(to="+77011234567", body="x")
    assert a.reference != b.reference
