"""Pages: the voter's sign-in (IIN + phone, then the code), the public board, counts and
results, and the organisers' network clusters. Thin: the work is in the services."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from saylau.board import services as board
from saylau.elections import services as elections
from saylau.elections.errors import ElectionNotFound
from saylau.elections.models import Election
from saylau.errors import UserError
from saylau.voting import network, public, signin
from saylau.voting.forms import CodeForm, LookupForm, SignInForm
from saylau.web.errors import error_response
from saylau.web.proxy import client_ip

LATEST = 20


def _key(slug: str, what: str) -> str:
    return f"voting.{slug}.{what}"


def session_digest(request: HttpRequest, slug: str) -> str | None:
    """The voter session's token digest this browser's page session holds, if any."""
    digest = request.session.get(_key(slug, "token"))
    return digest if isinstance(digest, str) else None


def _fail(
    request: HttpRequest, form: Any, error: UserError, template: str, **context: Any
) -> HttpResponse:
    """Show a service's refusal on the form; undo its writes unless they are the record."""
    if not error.keep_changes:
        transaction.set_rollback(True)
    form.add_error(error.field if error.field in form.fields else None, str(error.message))
    response = render(request, template, {"form": form, **context}, status=error.status)
    for name, value in error.headers.items():
        response[name] = value
    return response


def election_or_404(request: HttpRequest, slug: str) -> Election | HttpResponse:
    try:
        return elections.get_election(slug)
    except ElectionNotFound as error:
        return error_response(request, 404, str(error))


def _rotate(request: HttpRequest, *, expires_at: Any = None) -> None:
    """A new session key at each sign-in step; the page session lasts as the voter's."""
    request.session.cycle_key()
    if expires_at is not None:
        request.session.set_expiry(expires_at)
    else:
        request.session.set_expiry(signin.voter_session_ttl())


@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest, slug: str) -> HttpResponse:
    election = election_or_404(request, slug)
    if isinstance(election, HttpResponse):
        return election
    # After a sign-out the page's script forgets the tab's code link and booth state.
    signed_out = request.method == "GET" and request.GET.get("signed-out") == "1"
    template, context = "voting/sign_in.html", {"election": election, "signed_out": signed_out}
    if public.voting_over(election):
        return render(request, "voting/closed.html", context)
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            issued = signin.request_code(
                election, form.cleaned_data["iin"], form.cleaned_data["phone"], client_ip(request)
            )
        except UserError as error:
            return _fail(request, form, error, template, **context)
        _rotate(request)  # a planted session key never carries a sign-in
        request.session[_key(slug, "challenge")] = issued.challenge
        return redirect("voting:code", slug=slug)
    return render(request, template, {"form": form, **context})


@require_http_methods(["GET", "POST"])
def enter_code(request: HttpRequest, slug: str) -> HttpResponse:
    election = election_or_404(request, slug)
    if isinstance(election, HttpResponse):
        return election
    challenge = request.session.get(_key(slug, "challenge"))
    if not challenge:
        return redirect("voting:sign-in", slug=slug)
    template = "voting/code.html"
    context = {"election": election, "notice": signin.code_sent_message()}
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            session = signin.verify_code(
                election, challenge, form.cleaned_data["code"], client_ip(request)
            )
        except UserError as error:
            return _fail(request, form, error, template, **context)
        request.session.pop(_key(slug, "challenge"), None)
        _rotate(request, expires_at=session.expires_at)
        # Only a reference: the token's digest, which the API does not accept as a token.
        request.session[_key(slug, "token")] = signin.token_digest(session.token)
        return redirect("voting:signed-in", slug=slug)
    return render(request, template, {"form": form, **context})


def signed_in(request: HttpRequest, slug: str) -> HttpResponse:
    election = election_or_404(request, slug)
    if isinstance(election, HttpResponse):
        return election
    try:
        member_id = signin.session_member_by_digest(election, session_digest(request, slug))
    except UserError:
        return redirect("voting:sign-in", slug=slug)
    status = public.voter_status(election, member_id, request.LANGUAGE_CODE)
    return render(request, "voting/signed_in.html", {"election": election, "status": status})


@require_POST
def sign_out(request: HttpRequest, slug: str) -> HttpResponse:
    digest = request.session.pop(_key(slug, "token"), None)
    election = election_or_404(request, slug)
    if digest and not isinstance(election, HttpResponse):
        signin.end_session_by_digest(election, digest)
    return redirect(reverse("voting:sign-in", kwargs={"slug": slug}) + "?signed-out=1")


@login_required(login_url="admin:login")
def networks(request: HttpRequest, slug: str) -> HttpResponse:
    if not request.user.has_perm("elections.run_election"):
        raise PermissionDenied
    election = election_or_404(request, slug)
    if isinstance(election, HttpResponse):
        return election
    clusters = network.clusters(election)
    return render(request, "voting/networks.html", {"election": election, "clusters": clusters})


def board_page(request: HttpRequest, slug: str) -> HttpResponse:
    election = election_or_404(request, slug)
    if isinstance(election, HttpResponse):
        return election
    state = board.info(election)
    form = LookupForm(request.GET or None)
    found: dict[str, Any] | None = None
    not_found = False
    if form.is_bound and form.is_valid() and state.head is not None:
        code = form.cleaned_data["code"].strip().lower()
        leaf = board.leaf_by_code(election, code)
        if leaf is not None and leaf.index >= state.size:
            state = board.info(election)  # appended after the head above: a newer one
        if leaf is None:
            not_found = True
        else:
            assert state.head is not None
            proof = board.inclusion_proof(election, leaf.index, state.head.tree_size)
            found = {
                "leaf": leaf,
                "path": [h.hex() for h in proof.path],
                "replaced_by": public.replaced_by(election, code),
            }
    latest = board.leaves(election, max(0, state.size - LATEST), min(LATEST, state.size))
    board.make_durable()  # what this page shows is on disk (decision 0011)
    return render(
        request,
        "voting/board.html",
        {
            "election": election,
            "state": state,
            "root_hash": state.head.root_hash.hex() if state.head else "",
            "signature": state.head.signature.hex() if state.head else "",
            "latest": list(reversed(latest)),
            "form": form,
            "found": found,
            "not_found": not_found,
        },
    )


def counts_page(request: HttpRequest, slug: str) -> HttpResponse:
    election = election_or_404(request, slug)
    if isinstance(election, HttpResponse):
        return election
    counts = public.district_counts(election, request.LANGUAGE_CODE)
    return render(
        request,
        "voting/counts.html",
        {
            "election": election,
            "counts": counts,
            "record_available": public.record_zip(election) is not None,
        },
    )


def results_page(request: HttpRequest, slug: str) -> HttpResponse:
    election = election_or_404(request, slug)
    if isinstance(election, HttpResponse):
        return election
    results = public.results(election)
    if results is None:
        error = public.ResultsNotReady(election)
        context = {"election": election, "message": error.message}
        return render(request, "voting/results.html", context, status=error.status)
    rows = public.result_rows(election, results, request.LANGUAGE_CODE)
    context = {"election": election, "results": results, "rows": rows}
    return render(request, "voting/results.html", context)
