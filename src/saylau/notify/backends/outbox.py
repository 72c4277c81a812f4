"""Development gateway: messages go to the database, to be read at /dev/outbox or by the CLI."""

from __future__ import annotations

import logging

from saylau.notify.gateway import SendResult, SmsMessage

logger = logging.getLogger(__name__)


class OutboxGateway:
    @classmethod
    def from_settings(cls) -> OutboxGateway:
        return cls()

    def send(self, message: SmsMessage) -> SendResult:
        from saylau.notify.models import OutboxMessage

        OutboxMessage.objects.create(
            to=message.to, body=message.body, sender=message.sender, reference=message.reference
        )
        logger.info("SMS %s put in the development outbox", message.reference)
        return SendResult(reference=message.reference, provider_id=f"outbox:{message.reference}")
