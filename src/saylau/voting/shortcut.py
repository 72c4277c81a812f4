"""The cast's short way through Django (decision 0013): `POST /api/voting/<slug>/ballots`
goes from this middleware straight to the API's cast operation, without the middleware
after it (sessions, CSRF, authentication, messages), URL resolving or ninja's per-operation
machinery — every ballot of an election pays for those, and the cast uses none of them.

What the cast does need is kept, and kept the same as the API's: the request's language
and host check (LocaleMiddleware and CommonMiddleware come before this one), the security
and frame headers, Server-Timing and the 503 on a busy database (middleware before this
one), the bearer token read by the API's own authenticator, and the answer — success or
error — rendered by the API's renderer and exception handlers, so that a cast gets the same
bytes either way (tests/voting/test_shortcut.py compares the two). The operation stays in
the API (`voting.api.cast_ballot`), where the OpenAPI schema documents it; with this
middleware left out of MIDDLEWARE, ninja serves it as before.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

CAST_PATH = re.compile(r"/api/voting/(?P<slug>[^/]+)/ballots")


class CastShortcutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST":
            match = CAST_PATH.fullmatch(request.path_info)
            if match is not None:
                from saylau.voting.api import cast_directly

                return cast_directly(request, match["slug"])
        return self.get_response(request)
