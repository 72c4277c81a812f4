"""Error pages and JSON errors that say what is wrong, in the user's language.

One JSON shape for every error the site returns::

    {"error": {"code": "not_found", "message": "…", "fields": [{"field": "…", "message": "…"}]}}

No traceback, exception text or submitted value ever reaches the user. The page is the
site's template ``saylau_site/error.html`` (the apps' pages extend its base the same way).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _


def error_body(
    code: str, message: str, fields: list[dict[str, str]] | None = None
) -> dict[str, Any]:
    body: dict[str, Any] = {"code": code, "message": message}
    if fields:
        body["fields"] = fields
    return {"error": body}


def json_error(
    status: int, code: str, message: str, fields: list[dict[str, str]] | None = None
) -> JsonResponse:
    return JsonResponse(
        error_body(code, message, fields),
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )


def wants_json(request: HttpRequest) -> bool:
    if request.path.startswith("/api/"):
        return True
    accept = request.headers.get("Accept", "")
    return "application/json" in accept and "text/html" not in accept


def _messages() -> dict[int, tuple[str, str, str]]:
    return {
        400: ("bad_request", _("Bad request"), _("The request could not be understood.")),
        403: ("forbidden", _("Access denied"), _("You do not have permission to do this.")),
        404: ("not_found", _("Page not found"), _("The page you asked for does not exist.")),
        503: (
            "unavailable",
            _("Too busy"),
            _("The service is busy right now and nothing was changed. Please try again shortly."),
        ),
        500: (
            "server_error",
            _("Server error"),
            _("Something went wrong on our side and nothing was changed. Please try again later."),
        ),
    }


def error_response(request: HttpRequest, status: int, message: str | None = None) -> HttpResponse:
    code, title, default_message = _messages()[status]
    message = message or default_message
    if wants_json(request):
        return json_error(status, code, message)
    html = loader.get_template("saylau_site/error.html").render(
        {"status": status, "title": title, "message": message}
    )
    return HttpResponse(html, status=status)
