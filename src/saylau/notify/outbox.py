"""Read the development outbox (for /dev/outbox, ``make demo`` and tests)."""

from __future__ import annotations

from typing import TextIO

from saylau.notify.models import OutboxMessage


def recent(limit: int = 100) -> list[OutboxMessage]:
    return list(OutboxMessage.objects.all()[:limit])


def clear() -> int:
    deleted, _ = OutboxMessage.objects.all().delete()
    return deleted


def print_outbox(stream: TextIO, limit: int = 100) -> int:
    """Print the latest messages, oldest first; returns how many were printed."""
    messages = list(reversed(recent(limit)))
    for message in messages:
        stream.write(f"[{message.created_at:%H:%M:%S}] SMS to {message.to}: {message.body}\n")
    return len(messages)
