"""The SMS gateway interface and the function everyone else calls.

A gateway has one method, ``send(message) -> SendResult``. It raises
``SmsRejected`` when the provider refuses the message for good (bad number,
bad credentials) and ``SmsUnavailable`` when trying again later may work
(timeout, provider down). Neither the exceptions nor the log lines carry the
phone number or the text.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from saylau.registry import phone as phone_rules

BACKENDS = {
    "outbox": "saylau.notify.backends.outbox.OutboxGateway",
    "http": "saylau.notify.backends.http.HttpGateway",
}


class SmsError(Exception):
    """Sending failed; the message says why, without personal data."""


class SmsRejected(SmsError):
    """The provider refused the message; sending it again will not help."""


class SmsUnavailable(SmsError):
    """The provider could not be reached or failed; try again later."""


@dataclass(frozen=True, slots=True)
class SmsMessage:
    to: str  # E.164, +7…
    body: str
    sender: str = ""
    reference: str = field(default_factory=lambda: uuid.uuid4().hex)


@dataclass(frozen=True, slots=True)
class SendResult:
    reference: str
    provider_id: str = ""


class SmsGateway(Protocol):
    def send(self, message: SmsMessage) -> SendResult: ...


def get_gateway(name: str | None = None) -> SmsGateway:
    """The configured gateway (``settings.SAYLAU_SMS_BACKEND``), built from settings."""
    path = name or settings.SAYLAU_SMS_BACKEND
    gateway_class = import_string(BACKENDS.get(path, path))
    return gateway_class.from_settings()  # type: ignore[no-any-return]


def send_sms(to: str, body: str, *, gateway: SmsGateway | None = None) -> SendResult:
    """Send ``body`` to the Kazakhstan mobile number ``to`` (any usual spelling)."""
    try:
        number = phone_rules.normalize(to)
    except phone_rules.PhoneError as error:
        raise SmsRejected(f"not a Kazakhstan mobile number ({error.code})") from None
    if not body.strip():
        raise SmsRejected("empty message")
    message = SmsMessage(to=number, body=body, sender=settings.SAYLAU_SMS_SENDER)
    return (gateway or get_gateway()).send(message)
