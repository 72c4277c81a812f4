"""Sending one-time codes.

`background` (the default): the SMS goes out from a small thread pool after the sign-in
transaction commits, so the answer to "send me a code" takes as long whether or not the
details matched the roll (an SMS provider's latency would otherwise tell). `inline` sends in
the request (tests and development with the outbox). The phone number and the text live in
memory only; failures are logged without them.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db import connection, transaction

from saylau.notify.gateway import SmsError, send_sms

logger = logging.getLogger(__name__)
_pool: ThreadPoolExecutor | None = None


def _executor() -> ThreadPoolExecutor:
    global _pool
    if _pool is None:
        _pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="saylau-otp-sms")
    return _pool


def _send(phone: str, body: str) -> None:
    try:
        send_sms(phone, body)
    except SmsError as error:  # messages carry no phone number or text
        logger.warning("one-time code not sent: %s", error)
    except Exception:
        logger.exception("one-time code not sent: unexpected error")


def _send_in_thread(phone: str, body: str) -> None:
    try:
        _send(phone, body)
    finally:
        # The thread's own database connection (outbox backend): kept for the next message
        # while SAYLAU_DB_CONN_MAX_AGE allows (a new PostgreSQL connection per code would
        # cost more than the message), closed when it is obsolete or broken.
        connection.close_if_unusable_or_obsolete()


def dispatch(phone: str, body: str) -> None:
    if getattr(settings, "SAYLAU_OTP_SMS_MODE", "background") == "inline":
        _send(phone, body)
        return
    transaction.on_commit(lambda: _executor().submit(_send_in_thread, phone, body), robust=True)
