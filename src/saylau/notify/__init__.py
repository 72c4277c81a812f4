"""Notifications: one small SMS gateway interface, a development outbox and an HTTP provider.

    from saylau.notify import send_sms
    send_sms("+77011234567", "Your code: 123456")

The backend comes from ``settings.SAYLAU_SMS_BACKEND`` (``outbox``, ``http`` or a
dotted class path); see ``saylau.notify.gateway``.
"""

from saylau.notify.gateway import (
    SendResult,
    SmsError,
    SmsGateway,
    SmsMessage,
    SmsRejected,
    SmsUnavailable,
    get_gateway,
    send_sms,
)

__all__ = [
    "SendResult",
    "SmsError",
    "SmsGateway",
    "SmsMessage",
    "SmsRejected",
    "SmsUnavailable",
    "get_gateway",
    "send_sms",
]
