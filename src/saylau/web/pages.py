"""The one decorator of the HTML pages that refuse with a UserError: sign-in first (to the
app's own sign-in page) where asked, and a refusal becomes its error page in the user's
language (403 and 404 as raised, anything else 400) — never a server error. What the view
wrote before the refusal is undone, unless the refusal is itself the record
(`UserError.keep_changes`), by the API's rule (web.non_atomic.undo_writes)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponseBase
from django.urls import reverse

from saylau.errors import UserError
from saylau.web.errors import error_response
from saylau.web.non_atomic import undo_writes

View = Callable[..., HttpResponseBase]


def user_page(login: str | None) -> Callable[[View], View]:
    """`login`: the URL name of the sign-in page a signed-out visitor is sent to; None for a
    page open to everyone."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if login is not None and not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path(), reverse(login))
            try:
                return view(request, *args, **kwargs)
            except UserError as error:
                if not error.keep_changes:
                    undo_writes(request)
                status = error.status if error.status in (403, 404) else 400
                return error_response(request, status, str(error))

        return wrapped

    return decorate
