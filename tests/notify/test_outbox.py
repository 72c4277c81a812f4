import io

import pytest

from saylau.notify import outbox, send_sms
from saylau.notify.backends.outbox import OutboxGateway
from saylau.notify.models import OutboxMessage

pytestmark = pytest.mark.django_db


def test_outbox_keeps_messages_and_prints_them(caplog):
    send_sms("+7 701 123 45 67", "Сіздің кодыңыз: 482913", gateway=OutboxGateway())
    send_sms("+7 702 000 00 01", "Second", gateway=OutboxGateway())
    assert OutboxMessage.objects.count() == 2
    stream = io.StringIO()
    assert outbox.print_outbox(stream) == 2
    lines = stream.getvalue().splitlines()
    assert "+77011234567" in lines[0] and "482913" in lines[0]
    assert "Second" in lines[1]
    assert outbox.clear() == 2


def test_dev_outbox_page_only_with_debug_and_its_flag(client, settings):
    send_sms("+77011234567", "Код 111222", gateway=OutboxGateway())
    for debug, flag in ((False, False), (True, False), (False, True)):
        settings.DEBUG, settings.SAYLAU_DEV_OUTBOX = debug, flag
        response = client.get("/dev/outbox", HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 404
        assert "111222" not in response.content.decode()
    settings.DEBUG = settings.SAYLAU_DEV_OUTBOX = True
    response = client.get("/dev/outbox", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Development outbox" in body and "111222" in body


def test_dev_outbox_page_translated(client, settings):
    settings.DEBUG = settings.SAYLAU_DEV_OUTBOX = True
    body = client.get("/dev/outbox", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert 'lang="ru"' in body
    assert "Development outbox" not in body
