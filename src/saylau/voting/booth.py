"""The voting booth in the browser: the page, and the page's cast.

The page (booth.html + booth.js) takes the voter's credential code, shows their district's
ballot, and encrypts, proves and signs it in a Web Worker; the server never sees the code or
the marks. The cast posts the encrypted ballot with the web session (its cookie and CSRF
token) and goes through the one cast path, `cast.cast_for_page_session`; its answer is the
API's (`api.cast_answer`, or the API's error shape).
"""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from saylau.errors import UserError
from saylau.voting import api, booth_page, cast, public, signin
from saylau.voting.errors import TooLarge
from saylau.voting.views import election_or_404, session_digest
from saylau.web.errors import json_error


@require_GET
def booth(request: HttpRequest, slug: str) -> HttpResponse:
    election = election_or_404(request, slug)
    if isinstance(election, HttpResponse):
        return election
    if public.voting_over(election):
        return render(request, "voting/closed.html", {"election": election})
    try:
        member_id = signin.session_member_by_digest(election, session_digest(request, slug))
    except UserError:
        # The browser keeps this URL's fragment (a code link's #code=…) across the redirect;
        # the sign-in page's script moves it out of the address bar for the booth to take
        # after sign-in (frontend/src/booth/code-link.js).
        return redirect("voting:sign-in", slug=slug)
    status = public.voter_status(election, member_id, request.LANGUAGE_CODE)
    context = {"election": election, "status": status}
    if status["district"] is not None:
        shown = booth_page.contests(election, status["district"], request.LANGUAGE_CODE)
        context.update(contests=shown, booth=booth_page.island(request, election, status, shown))
    response = render(request, "voting/booth.html", context)
    response["Cache-Control"] = "no-store"  # the page carries the session's CSRF token
    return response


@require_POST
@transaction.non_atomic_requests  # the cast commits its leaf itself (as the API's, 0010)
def booth_cast(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        try:
            body = request.body
        except RequestDataTooBig:
            raise TooLarge(_("The request is too large.")) from None
        result = cast.cast_for_page_session(slug, session_digest(request, slug), body)
    except UserError as error:
        response = json_error(error.status, error.code, str(error.message))
        for name, value in error.headers.items():
            response[name] = value
        return response
    return JsonResponse(
        api.cast_answer(result),
        status=200 if result.repeat else 201,
        json_dumps_params={"ensure_ascii": False},
    )
