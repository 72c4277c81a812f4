"""Voter session tokens that vouch for themselves (decision 0015).

A token is `s1.<election id>.<expiry, Unix seconds>.<32 random characters>.<MAC>`, the MAC
an HMAC-SHA-256 (first 16 bytes, base64url) of everything before it under a key derived
from SECRET_KEY. The session itself is still the database row keyed by the token's SHA-256
(`signin.token_digest`): sign-out deletes it, and every cast checks it there.

What the MAC adds is a check without a round trip: a token that vouches for an election
now was issued by this service for it at a sign-in (an SMS code) and has not expired — so
the cast may verify the ballot (the CPU part) *before* it asks the database anything, and
ask everything in one call afterwards. A token that does not vouch (forged, expired, made
under another SECRET_KEY, or from before this format) is not refused here: its cast takes
the way that asks the database first. So nobody without a sign-in can make the server
verify anything.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import hashlib
import hmac
import secrets

from django.conf import settings

PREFIX = "s1"
_PURPOSE = b"saylau.voting.session-token"


@functools.lru_cache(maxsize=4)
def _key(secret: str) -> bytes:
    return hmac.new(secret.encode(), _PURPOSE, hashlib.sha256).digest()


def _mac(body: str) -> str:
    digest = hmac.new(_key(settings.SECRET_KEY), body.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:16]).rstrip(b"=").decode()


def issue(election_id: int, expires_at: dt.datetime) -> str:
    """A new token for a session of `election_id` that ends at `expires_at`."""
    body = f"{PREFIX}.{election_id}.{int(expires_at.timestamp())}.{secrets.token_urlsafe(24)}"
    return f"{body}.{_mac(body)}"


def election_vouched_for(token: str, now: dt.datetime) -> int | None:
    """The election id `token` was issued for by this service, if it has not expired at
    `now`; None says nothing against the token: the database decides (see above)."""
    parts = token.split(".")
    if len(parts) != 5 or parts[0] != PREFIX or not (parts[1].isdigit() and parts[2].isdigit()):
        return None
    body, _dot, mac = token.rpartition(".")
    if not hmac.compare_digest(mac.encode(), _mac(body).encode()):
        return None
    return int(parts[1]) if int(parts[2]) > now.timestamp() else None
