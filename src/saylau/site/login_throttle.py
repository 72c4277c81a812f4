"""The staff sign-ins (/admin/login/ and the apps' `web.login.StaffLoginView`, e.g.
/<lang>/paper/login/) are throttled per user name and per network address, with one count.

SAYLAU_ADMIN_LOGIN_USER_FAILURES (5) wrong passwords for one user name, or
SAYLAU_ADMIN_LOGIN_IP_FAILURES (20) from one address, within SAYLAU_ADMIN_LOGIN_WINDOW
seconds (15 minutes) refuse further tries, right or wrong, for SAYLAU_ADMIN_LOGIN_LOCKOUT
seconds (15 minutes); the refusal says until when. Rows live in the database (several app
servers share them) and are keyed by an HMAC, so no user name or address is stored.
"""

from __future__ import annotations

import datetime as dt
import hmac
from typing import Any

from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from saylau.site.models import LoginThrottle
from saylau.voting.network import network_of
from saylau.voting.signin import local_time_text
from saylau.web.proxy import client_ip


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def _key(kind: str, value: str) -> str:
    message = b"saylau.site.login\x00" + kind.encode() + b"\x00" + value.encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, "sha256").hexdigest()


def _keys(ip: str, username: str) -> list[tuple[str, int]]:
    """(key, failure limit) of the address's and the user name's counters."""
    keys = [(_key("ip", network_of(ip)), _setting("SAYLAU_ADMIN_LOGIN_IP_FAILURES", 20))]
    if username:
        limit = _setting("SAYLAU_ADMIN_LOGIN_USER_FAILURES", 5)
        keys.append((_key("user", username.strip().lower()), limit))
    return keys


def locked_until(ip: str, username: str, now: dt.datetime) -> dt.datetime | None:
    """When tries from this address or for this user name may start again, if not now."""
    keys = [key for key, _limit in _keys(ip, username)]
    ends = [
        end
        for end in LoginThrottle.objects.filter(key__in=keys, locked_until__gt=now).values_list(
            "locked_until", flat=True
        )
        if end is not None
    ]
    return max(ends, default=None)


@transaction.atomic
def record_failure(ip: str, username: str, now: dt.datetime) -> None:
    window = dt.timedelta(seconds=_setting("SAYLAU_ADMIN_LOGIN_WINDOW", 900))
    lockout = dt.timedelta(seconds=_setting("SAYLAU_ADMIN_LOGIN_LOCKOUT", 900))
    for key, limit in _keys(ip, username):
        row, _created = LoginThrottle.objects.select_for_update().get_or_create(
            key=key, defaults={"window_start": now}
        )
        if now >= row.window_start + window:
            row.window_start, row.failures = now, 0
        row.failures += 1
        if row.failures >= limit:
            row.locked_until, row.failures, row.window_start = now + lockout, 0, now
        row.save()


def record_success(username: str) -> None:
    LoginThrottle.objects.filter(key=_key("user", username.strip().lower())).delete()


def refused_message(until: dt.datetime) -> str:
    return _("Too many failed sign-ins. Please try again after %(time)s.") % {
        "time": local_time_text(until)
    }


class _Throttled(AuthenticationForm):
    """Refuses while throttled and counts wrong passwords (mixed into the login forms)."""

    def clean(self) -> dict[str, Any]:
        now = timezone.now()
        ip = client_ip(self.request) if self.request is not None else ""
        username = str(self.cleaned_data.get("username") or "")
        until = locked_until(ip, username, now)
        if until is not None:
            raise ValidationError(refused_message(until), code="throttled")
        try:
            cleaned = super().clean()
        except ValidationError:
            record_failure(ip, username, now)
            raise
        record_success(username)
        return cleaned


class ThrottledAdminAuthenticationForm(_Throttled, AdminAuthenticationForm):
    """The admin's login form, throttled."""


class ThrottledAuthenticationForm(_Throttled):
    """The staff pages' login form (no `is_staff` needed: commissions, hotline…), throttled."""
