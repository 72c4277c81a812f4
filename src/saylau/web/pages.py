"""The one decorator of the HTML pages that refuse with a UserError: sign-in first (to the
app's own sign-in page) where asked, and a refusal becomes its error page in the user's
language (403 and 404 as raised, anything else 400) — never a server error. With
`rollback`, what the view wrote before the refusal is undone, unless the refusal is itself
the record (`UserError.keep_changes`, as the API's handler does)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.http import HttpRequest, HttpResponseBase
from django.urls import reverse

from saylau.errors import UserError
from saylau.web.errors import error_response

View = Callable[..., HttpResponseBase]


def user_page(login: str | None, *, rollback: bool = False) -> Callable[[View], View]:
    """`login`: the URL name of the sign-in page a signed-out visitor is sent to; None for a
    page open to everyone. `rollback` only for views that run in the request's transaction."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if login is not None and not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path(), reverse(login))
            try:
                return view(request, *args, **kwargs)
            except UserError as error:
                if rollback and not error.keep_changes:
                    transaction.set_rollback(True)
                status = error.status if error.status in (403, 404) else 400
                return error_response(request, status, str(error))

        return wrapped

    return decorate
