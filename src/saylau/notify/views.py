"""/dev/outbox: the development outbox, only when DEBUG is on (404 otherwise)."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from saylau.notify import outbox


def outbox_view(request: HttpRequest) -> HttpResponse:
    if not settings.DEBUG:
        raise Http404
    return render(request, "notify/outbox.html", {"messages_sent": outbox.recent(200)})
