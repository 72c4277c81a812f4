"""Exception handlers for the ninja API: clear, translated JSON, never a traceback."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from saylau.errors import UserError
from saylau.web.errors import error_body
from saylau.web.non_atomic import undo_writes

logger = logging.getLogger("saylau.api")

_E = TypeVar("_E", bound=Exception)


def _field_message(error: dict[str, Any]) -> str:
    kind = str(error.get("type", ""))
    if kind.startswith("saylau."):
        return str(error.get("msg", ""))  # our validators' own translated messages
    if kind == "missing":
        return _("This field is required.")
    if kind in {"json_invalid", "json_type"}:
        return _("The request body is not valid JSON.")
    if kind in {"string_too_short", "too_short"}:
        return _("This value is too short.")
    if kind in {"string_too_long", "too_long"}:
        return _("This value is too long.")
    if kind in {"greater_than", "greater_than_equal", "less_than", "less_than_equal"}:
        return _("This value is out of the allowed range.")
    if kind in {"enum", "literal_error"}:
        return _("This value is not one of the allowed choices.")
    if kind == "extra_forbidden":
        return _("This field is not allowed here.")
    if kind.startswith(("date", "datetime", "time")):
        return _("Enter a valid date (YYYY-MM-DD).")
    if kind.endswith(("_type", "_parsing")):
        return _("This value has the wrong type or format.")
    return _("This value is not valid.")


def translate_validation_errors(errors: list[dict[str, Any]]) -> list[dict[str, str]]:
    fields = []
    for error in errors:
        location = ".".join(str(part) for part in error.get("loc", ()))
        fields.append({"field": location, "message": _field_message(error)})
    return fields


def _status_message(status: int) -> tuple[str, str]:
    messages = {
        400: ("bad_request", _("The request could not be understood.")),
        401: ("not_authenticated", _("Please sign in first.")),
        403: ("forbidden", _("You do not have permission to do this.")),
        404: ("not_found", _("Not found.")),
        405: ("method_not_allowed", _("This method is not allowed here.")),
        409: ("conflict", _("This conflicts with the current state; nothing was changed.")),
        413: ("too_large", _("The request is too large.")),
        429: ("too_many_requests", _("Too many requests. Please wait and try again.")),
    }
    return messages.get(status, ("error", _("The request failed; nothing was changed.")))


RETRY_AFTER_SECONDS = 5


def unavailable_message() -> str:
    return _("The service is busy right now and nothing was changed. Please try again shortly.")


def _add_handler(
    api: NinjaAPI, exc_class: type[_E], handler: Callable[[HttpRequest, _E], HttpResponse]
) -> None:
    # django-ninja types a handler's argument as `_E | type[_E]`, but it only ever passes the
    # exception it caught (an instance: it looks the handler up by type(exc).__mro__).
    api.add_exception_handler(exc_class, handler)  # type: ignore[arg-type]


def install_error_handlers(api: NinjaAPI) -> None:
    def respond(request: HttpRequest, status: int, body: dict[str, Any]) -> HttpResponse:
        undo_writes(request)
        return api.create_response(request, body, status=status)

    def on_validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        fields = translate_validation_errors(list(exc.errors))
        message = _("Some fields are missing or not valid; nothing was changed.")
        return respond(request, 422, error_body("invalid_input", message, fields))

    def on_user_error(request: HttpRequest, exc: UserError) -> HttpResponse:
        fields = [{"field": exc.field, "message": str(exc.message)}] if exc.field else None
        body = error_body(exc.code, str(exc.message), fields)
        if exc.keep_changes:
            response = api.create_response(request, body, status=exc.status)
        else:
            response = respond(request, exc.status, body)
        for name, value in exc.headers.items():
            response[name] = value
        return response

    def on_database_busy(request: HttpRequest, exc: OperationalError) -> HttpResponse:
        # A lock timeout, a full connection pool, "database is locked": transient overload.
        logger.warning("database busy in %s %s: %s", request.method, request.path, type(exc))
        response = respond(request, 503, error_body("unavailable", unavailable_message()))
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response

    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        code, message = _status_message(exc.status_code)
        return respond(request, exc.status_code, error_body(code, message))

    def on_auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        code, message = _status_message(401)
        return respond(request, 401, error_body(code, message))

    def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        code, message = _status_message(404)
        return respond(request, 404, error_body(code, message))

    def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        code, message = _status_message(403)
        return respond(request, 403, error_body(code, message))

    def on_exception(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("unhandled error in %s %s", request.method, request.path)
        message = _(
            "Something went wrong on our side and nothing was changed. Please try again later."
        )
        return respond(request, 500, error_body("server_error", message))

    _add_handler(api, ValidationError, on_validation)
    _add_handler(api, UserError, on_user_error)
    _add_handler(api, AuthenticationError, on_auth_error)
    _add_handler(api, HttpError, on_http_error)
    _add_handler(api, Http404, on_not_found)
    _add_handler(api, PermissionDenied, on_permission_denied)
    _add_handler(api, OperationalError, on_database_busy)
    _add_handler(api, Exception, on_exception)
