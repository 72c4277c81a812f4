"""Caps on what one network may send through a public form (complaints, observer
applications): the network is kept only as an HMAC under the site's secret, and a refusal
says until when.

The callers name the network (voting.network.network_of: an IPv4 address or an IPv6 /64)
and count their own rows; this module holds what they share.
"""

from __future__ import annotations

import datetime as dt
import hmac
from collections.abc import Sequence
from typing import Any

from django.conf import settings


def network_key(purpose: str, network: str) -> str:
    """The HMAC of `network` for `purpose` (empty for no network): no address is stored."""
    if not network:
        return ""
    message = purpose.encode() + b"\x00" + network.encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, "sha256").hexdigest()


def refused_until(
    newest_first: Sequence[dt.datetime], limit: int, window: dt.timedelta
) -> dt.datetime | None:
    """When the next one is allowed, if `limit` were sent within the window (their times,
    newest first, at most `limit` of them); None if one more is allowed now."""
    if len(newest_first) < limit:
        return None
    return newest_first[limit - 1] + window


def rows_refused_until(
    rows: Any, key: str, limit: int, window: dt.timedelta, now: dt.datetime
) -> dt.datetime | None:
    """`refused_until` over a queryset of rows with `source_key` and `created_at` (the
    network's complaints, applications …): when the next one from `key` is allowed."""
    recent = list(
        rows.filter(source_key=key, created_at__gt=now - window)
        .order_by("-created_at")
        .values_list("created_at", flat=True)[:limit]
    )
    return refused_until(recent, limit, window)
