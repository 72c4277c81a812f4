"""The token of a request that django-ninja's bearer authentication let through."""

from __future__ import annotations

from django.http import HttpRequest


def bearer_token(request: HttpRequest) -> str:
    """What the authenticator returned (the voters' and the seats' authenticators return the
    token itself). django-ninja sets `request.auth`; django-stubs' HttpRequest does not
    declare that attribute."""
    return str(request.auth)  # type: ignore[attr-defined]
