"""A service worker script served from a path whose scope covers the pages it queues for
(the observers' and the interviewers' phone pages)."""

from __future__ import annotations

from django.contrib.staticfiles import finders
from django.http import Http404, HttpResponse


def worker_response(static_path: str) -> HttpResponse:
    """The built script at `static_path`, allowed any scope and never cached stale."""
    path = finders.find(static_path)
    if not path or isinstance(path, list):
        raise Http404
    with open(path, "rb") as source:
        response = HttpResponse(source.read(), content_type="text/javascript")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response
