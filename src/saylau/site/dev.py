"""/dev/outbox only when SAYLAU_DEV_OUTBOX asks for it (the demo does), never by DEBUG alone."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse

from saylau.notify.views import outbox_view


def dev_outbox(request: HttpRequest) -> HttpResponse:
    if not getattr(settings, "SAYLAU_DEV_OUTBOX", False):
        raise Http404
    return outbox_view(request)
