"""`saylau smtp-intake`: an SMTP listener (aiosmtpd) for the hotline address.

Mail to another address is refused at RCPT (no relaying). Each message is stored and read
by `mail_intake.receive` in a worker thread (the ORM is synchronous); if storing fails the
client is told to try again later (451), so a message is never silently lost.
"""

from __future__ import annotations

import logging
from typing import Any

from aiosmtpd.controller import Controller
from asgiref.sync import sync_to_async
from django.db import close_old_connections

from saylau.complaints import mail_intake, replies
from saylau.web.uploads import MAX_UPLOAD_BYTES

logger = logging.getLogger(__name__)
# aiosmtpd logs every command line and each sender and recipient at INFO: a complainant's
# address must not reach the logs, so only its warnings do.
logging.getLogger("mail.log").setLevel(logging.WARNING)
#: a message may carry a few pieces of evidence (base64 adds a third)
MAX_MESSAGE_BYTES = 4 * MAX_UPLOAD_BYTES


def _mailbox(address: str) -> str:
    local, _at, domain = address.strip().lower().rpartition("@")
    return f"{local.split('+', 1)[0]}@{domain}"


def _receive(raw: bytes) -> int:
    close_old_connections()
    try:
        return mail_intake.receive(raw).pk
    finally:
        close_old_connections()


class HotlineHandler:
    def __init__(self, address: str | None = None) -> None:
        self.address = _mailbox(address or replies.hotline_address())

    async def handle_RCPT(  # aiosmtpd calls its hooks by these names
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        if _mailbox(address) != self.address:
            return "550 5.1.1 Not the hotline address"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        raw = envelope.original_content or envelope.content
        try:
            pk = await sync_to_async(_receive, thread_sensitive=False)(bytes(raw))
        except Exception:
            logger.exception("mail not stored")
            return "451 4.3.0 Not stored, try again later"
        logger.info("mail %s stored", pk)
        return "250 2.0.0 Message accepted"


def controller(host: str, port: int, address: str | None = None) -> Controller:
    """A listener on `host`:`port` (start() it; stop() it)."""
    return Controller(
        HotlineHandler(address),
        hostname=host,
        port=port,
        data_size_limit=MAX_MESSAGE_BYTES,
        server_hostname="saylau-hotline",
    )
