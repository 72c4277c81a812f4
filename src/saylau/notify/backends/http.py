"""Generic HTTP SMS provider: one JSON POST per message, bearer token authentication.

Request::

    POST <SAYLAU_SMS_URL>
    Authorization: Bearer <SAYLAU_SMS_TOKEN>
    Content-Type: application/json
    Idempotency-Key: <reference>

    {"to": "+77011234567", "text": "…", "sender": "saylau", "reference": "<hex>"}

Any 2xx answer means accepted; a JSON body's ``id`` (or ``message_id``) is kept
as the provider's id. 4xx means rejected for good (``SmsRejected``); 5xx, a
timeout or a connection failure means unavailable (``SmsUnavailable``). Most
commercial gateways can be put behind this shape with a small adapter.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from saylau.notify.gateway import SendResult, SmsMessage, SmsRejected, SmsUnavailable

logger = logging.getLogger(__name__)


class HttpGateway:
    def __init__(self, url: str, token: str, *, timeout: float = 10.0) -> None:
        if urlsplit(url).scheme not in {"http", "https"} or not urlsplit(url).netloc:
            raise ImproperlyConfigured("SAYLAU_SMS_URL must be an http(s) URL")
        if not token:
            raise ImproperlyConfigured("SAYLAU_SMS_TOKEN is not set")
        self.url = url
        self.token = token
        self.timeout = timeout

    @classmethod
    def from_settings(cls) -> HttpGateway:
        return cls(
            settings.SAYLAU_SMS_URL, settings.SAYLAU_SMS_TOKEN, timeout=settings.SAYLAU_SMS_TIMEOUT
        )

    def send(self, message: SmsMessage) -> SendResult:
        payload = json.dumps(
            {
                "to": message.to,
                "text": message.body,
                "sender": message.sender,
                "reference": message.reference,
            },
            ensure_ascii=False,
        ).encode()
        request = urllib.request.Request(  # noqa: S310 - scheme checked in __init__
            self.url,
            data=payload,
            method="POST",
            headers={
                "Authorization": f"Bearer {self.token}",
                "Content-Type": "application/json; charset=utf-8",
                "Accept": "application/json",
                "Idempotency-Key": message.reference,
                "User-Agent": "saylau-sms/1",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                body = response.read(65536)
                status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
            error.close()
            if 400 <= status < 500 and status not in {408, 429}:
                logger.warning(
                    "SMS %s rejected by the provider (HTTP %d)", message.reference, status
                )
                raise SmsRejected(
                    f"the SMS provider rejected the message (HTTP {status})"
                ) from None
            logger.warning("SMS %s failed at the provider (HTTP %d)", message.reference, status)
            raise SmsUnavailable(f"the SMS provider failed (HTTP {status})") from None
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            reason = type(getattr(error, "reason", error)).__name__
            logger.warning("SMS %s: provider unreachable (%s)", message.reference, reason)
            raise SmsUnavailable(f"the SMS provider is unreachable ({reason})") from None
        provider_id = ""
        try:
            data = json.loads(body or b"{}")
            if isinstance(data, dict):
                provider_id = str(data.get("id") or data.get("message_id") or "")
        except ValueError:
            pass
        logger.info("SMS %s accepted by the provider (HTTP %d)", message.reference, status)
        return SendResult(reference=message.reference, provider_id=provider_id)
