"""What Django's error reports (the DEBUG page, e-mails to admins) may show: no secret, and
no URL, DSN or database setting (a DATABASE_URL carries the password), whether in the
settings or in the request's environment."""

from __future__ import annotations

import re

from django.views.debug import SafeExceptionReporterFilter


class SaylauReporterFilter(SafeExceptionReporterFilter):
    hidden_settings = re.compile(
        "API|TOKEN|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE|URL|DSN|DATABASE", flags=re.IGNORECASE
    )
