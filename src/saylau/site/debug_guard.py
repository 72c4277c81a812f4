"""With DEBUG on, answer this computer only: a request from another address, or naming a
host that is not the loopback, gets a plain 400 before anything can show Django's debug
page (which lists settings and the environment). Off when DEBUG is off."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.http.request import split_domain_port
from django.utils import translation
from django.utils.translation import gettext as _

from saylau.site.env import is_loopback_host
from saylau.web.errors import error_response

# The name Django's test client sends (from 127.0.0.1); no computer is called that.
_TEST_CLIENT_HOST = "testserver"


def foreign(request: HttpRequest) -> bool:
    """Whether the request comes from, or names, anything but this computer."""
    if not is_loopback_host(request.META.get("REMOTE_ADDR", "")):
        return True
    raw = request.META.get("HTTP_HOST") or request.META.get("SERVER_NAME", "")
    domain, _port = split_domain_port(raw)
    return not (is_loopback_host(domain) or domain == _TEST_CLIENT_HOST)


class LoopbackWhenDebugMiddleware:
    """First in MIDDLEWARE: before any host check could fail into the debug page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.DEBUG and foreign(request):
            # Before LocaleMiddleware: the language from Accept-Language or the cookie.
            with translation.override(translation.get_language_from_request(request)):
                message = _(
                    "This site runs with debugging on and only answers on this computer "
                    "(127.0.0.1, ::1 or localhost)."
                )
                return error_response(request, 400, message)
        return self.get_response(request)
