"""The site's error handlers (Django's handler400…500 and CSRF failure view) and the 503 on
an overloaded database, all answering through ``saylau.web.errors.error_response``."""

from __future__ import annotations

import logging
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from saylau.web.errors import error_response

logger = logging.getLogger(__name__)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_response(request, 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_response(request, 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_response(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    return error_response(request, 500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return error_response(
        request,
        403,
        _("The form has expired or your browser blocked cookies. Reload the page and try again."),
    )


class OverloadMiddleware:
    """A database that is overloaded (lock timeout, no free connection, "database is locked")
    answers 503 with ``Retry-After``, never a 500: the request changed nothing, and trying
    again shortly is the right thing to do. The API has the same rule (api_errors)."""

    retry_after_seconds = 5

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response: HttpResponse = self.get_response(request)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from django.db import OperationalError

        if not isinstance(exception, OperationalError):
            return None
        logger.warning("database busy in %s %s: %s", request.method, request.path, type(exception))
        response = error_response(request, 503)
        response["Retry-After"] = str(self.retry_after_seconds)
        return response
