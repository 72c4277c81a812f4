"""The site's own table: failed staff sign-ins (the admin login's throttle)."""

from __future__ import annotations

from django.db import models


class LoginThrottle(models.Model):
    """Failed staff sign-ins of one user name or one network address (by HMAC: neither is
    stored), in the current window, and until when further tries are refused."""

    key = models.CharField(max_length=64, unique=True)
    failures = models.PositiveIntegerField(default=0)
    window_start = models.DateTimeField()
    locked_until = models.DateTimeField(null=True, blank=True)
