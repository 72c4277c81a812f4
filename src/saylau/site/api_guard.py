"""What a state-changing call to /api/ must look like before any view sees it.

- Its body is JSON (415 otherwise), or of a media type its operation documents in the
  OpenAPI schema (the staff's file uploads take multipart/form-data). A web page on another
  site can send `text/plain` without asking the browser's leave; it cannot send JSON.
- A browser's `Origin` is this site's own, or one of SAYLAU_API_ALLOWED_ORIGINS (403
  otherwise). A client that sends no Origin (a script, the CLI) is not a browser driven by a
  page, and goes through.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from saylau.web.errors import json_error

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
JSON_TYPES = frozenset({"application/json"})


@functools.cache
def _documented_types() -> tuple[tuple[re.Pattern[str], frozenset[str]], ...]:
    """(path pattern, media types) of every operation whose body is not JSON."""
    from saylau.site.api import api

    found = []
    for path, operations in api.get_openapi_schema().get("paths", {}).items():
        types: set[str] = set()
        for operation in operations.values():
            types.update(operation.get("requestBody", {}).get("content", {}))
        if types - JSON_TYPES:
            pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(path))
            found.append((re.compile(pattern), frozenset(types)))
    return tuple(found)


def _allowed_types(path: str) -> frozenset[str]:
    for pattern, types in _documented_types():
        if pattern.fullmatch(path):
            return types | JSON_TYPES
    return JSON_TYPES


def _has_body(request: HttpRequest) -> bool:
    length = request.META.get("CONTENT_LENGTH") or "0"
    return not (length.isdigit() and int(length) == 0) or "HTTP_TRANSFER_ENCODING" in request.META


def _origin_allowed(request: HttpRequest, origin: str) -> bool:
    if origin == f"{request.scheme}://{request.get_host()}":
        return True
    allowed = getattr(settings, "SAYLAU_API_ALLOWED_ORIGINS", None)
    if allowed is None:
        allowed = settings.CSRF_TRUSTED_ORIGINS
    return origin in allowed


def refusal(request: HttpRequest) -> HttpResponse | None:
    """The answer that refuses this API call, or None to let it through."""
    if request.method in SAFE_METHODS or not request.path.startswith("/api/"):
        return None
    origin = request.headers.get("Origin")
    cross_site = request.headers.get("Sec-Fetch-Site") == "cross-site"
    if (origin is not None and not _origin_allowed(request, origin)) or (
        origin is None and cross_site
    ):
        message = _("This request came from another website and was refused.")
        return json_error(403, "api.origin_refused", message)
    # Only a body has a media type to check: WSGI servers say text/plain when there is none.
    media_type = (request.content_type or "").split(";")[0].strip().lower()
    if _has_body(request):
        if media_type not in _allowed_types(request.path):
            message = _("Send the request body as JSON (Content-Type: application/json).")
            return json_error(415, "api.unsupported_media_type", message)
    return None


class ApiRequestGuardMiddleware:
    """Applies `refusal` (after LocaleMiddleware, for the language, and CommonMiddleware, for
    the host check; before the cast's short way)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return refusal(request) or self.get_response(request)
