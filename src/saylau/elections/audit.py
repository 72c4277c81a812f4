"""The append-only audit log: every staff action, trustee message and CA upload is an event.

Details never hold an IIN or a phone number (callers pass ids, counts and reasons); the
record's audit.jsonl is passed through saylau.registry.redact as a second line of defence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from saylau.elections.models import AuditEvent, Election
from saylau.protocol.canonical import canonical_json
from saylau.registry.redact import redact


def audit(election: Election | None, actor: str, action: str, **details: Any) -> AuditEvent:
    """Append an audit event. `details` must hold no personal data (no IIN, no phone)."""
    return AuditEvent.objects.create(election=election, actor=actor, action=action, details=details)


_HEX = re.compile(r"[0-9a-f]{32,}")


def _redacted(value: Any) -> Any:
    """Mask IINs and phones in every text value (hex keys and hashes are left whole)."""
    if isinstance(value, str):
        return value if _HEX.fullmatch(value) else redact(value)
    if isinstance(value, list):
        return [_redacted(v) for v in value]
    if isinstance(value, dict):
        return {k: _redacted(v) for k, v in value.items()}
    return value


def audit_lines(election: Election) -> Iterator[bytes]:
    """The election's audit events as canonical JSON lines, redacted, oldest first."""
    events = AuditEvent.objects.filter(election=election).order_by("id")
    for event in events.iterator():
        yield canonical_json(
            {
                "id": event.pk,
                "at": event.at.isoformat(),
                "actor": _redacted(event.actor),
                "action": event.action,
                "details": _redacted(event.details),
            }
        )


def audit_events(election: Election, limit: int = 1000) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(election=election).order_by("-id")[:limit])
