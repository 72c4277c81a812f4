"""The public recruitment pages (/<lang>/observe/join/…, /<lang>/observe/training/…): the
application, the phone's code (with a new code on request), the personal link and a lost
one issued again, the training page and a module's quiz. Thin: each page calls a service;
a refusal is shown on the form in the user's language with what was typed kept, or as its
error page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from saylau.errors import UserError
from saylau.observation import code_quota, lost_link, personal_link, recruitment, training
from saylau.observation.errors import NotFound, ObservationForbidden
from saylau.observation.models import CharterSignature, Observer, Organisation
from saylau.observation.recruit_forms import ApplicationForm, LostLinkForm, QuizForm
from saylau.voting.forms import CodeForm
from saylau.voting.signin import clean_code
from saylau.web.pages import user_page
from saylau.web.proxy import client_ip

PENDING = "observation.recruit.pending"  # the applicant whose phone is not confirmed yet
APPLICANT = "observation.recruit.applicant"  # the applicant who opened their personal link
LOST = "observation.recruit.lost"  # a lost link's request (lost_link.State)
View = Callable[..., HttpResponseBase]


#: A refusal outside a form becomes its error page in the user's language.
public_page = user_page(None)


def _signed(slug: str) -> Organisation:
    """The organisation, if it signed the charter (only those recruit here)."""
    found = Organisation.objects.filter(slug=slug).first()
    if found is None or not CharterSignature.objects.filter(organisation=found).exists():
        raise NotFound(_("No organisation that signed the observation charter has this address."))
    return found


def _refused(form: Any, error: UserError) -> int:
    """Show a service's refusal on the form; undo its writes unless they are the record."""
    if not error.keep_changes:
        transaction.set_rollback(True)
    form.add_error(error.field if error.field in form.fields else None, str(error.message))
    return 429 if error.status == 429 else 400


def _code_refused(form: Any, error: UserError, context: dict[str, Any]) -> int:
    """A confirmation page's refusal: of the code typed (on the form), or of a new code
    asked for (nothing was written: shown above the form)."""
    if form.is_bound:
        return _refused(form, error)
    context["refusal"] = str(error)
    return 429 if error.status == 429 else 400


def _observer_in_session(request: HttpRequest, key: str) -> Observer | None:
    pk = request.session.get(key)
    if not isinstance(pk, int):
        return None
    return Observer.objects.filter(pk=pk).select_related("organisation").first()


def _with_headers(response: HttpResponse, error: UserError | None) -> HttpResponse:
    for name, value in (error.headers if error is not None else {}).items():
        response[name] = value
    return response


@require_http_methods(["GET", "POST"])
@public_page
def join(request: HttpRequest, org: str) -> HttpResponse:
    organisation = _signed(org)
    form = ApplicationForm(request.POST or None, organisation=organisation)
    status, refusal = 200, None
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                observer = recruitment.apply(
                    organisation,
                    data["full_name"],
                    data["iin"],
                    data["phone"],
                    data["region"],
                    data["availability"],
                    timezone.now(),
                    source=code_quota.source_key(client_ip(request)),
                )
            except UserError as error:
                status, refusal = _refused(form, error), error
            else:
                request.session.cycle_key()
                request.session[PENDING] = observer.pk
                return redirect("observation:recruit:confirm", org=organisation.slug)
    context = {
        "form": form,
        "organisation": organisation,
        "already": refusal is not None and refusal.code == "observation.already_applied",
    }
    response = render(request, "observation/recruit/join.html", context, status=status)
    return _with_headers(response, refusal)


@require_http_methods(["GET", "POST"])
@public_page
def confirm(request: HttpRequest, org: str) -> HttpResponse:
    organisation = _signed(org)
    observer = _observer_in_session(request, PENDING)
    if observer is None or observer.organisation_id != organisation.pk:
        return redirect("observation:recruit:join", org=organisation.slug)
    form = CodeForm(request.POST if request.POST.get("step") == "verify" else None)
    context: dict[str, Any] = {
        "form": form,
        "organisation": organisation,
        "phone": observer.phone[-4:],
    }
    status, refusal = 200, None
    try:
        if request.POST.get("step") == "resend":
            recruitment.resend_code(
                observer, timezone.now(), source=code_quota.source_key(client_ip(request))
            )
            context["notice"] = _("A new code was sent. Only the newest code works.")
        elif form.is_bound and form.is_valid():
            now = timezone.now()
            recruitment.verify_phone(observer, clean_code(form.cleaned_data["code"]), now)
            token = personal_link.issue(observer, now)
            return _link_page(request, organisation, observer, token, PENDING)
        elif form.is_bound:
            status = 400
    except UserError as error:
        status, refusal = _code_refused(form, error, context), error
    response = render(request, "observation/recruit/confirm.html", context, status=status)
    return _with_headers(response, refusal)


def _link_page(
    request: HttpRequest, organisation: Organisation, observer: Observer, token: str, done: str
) -> HttpResponse:
    """The personal link `token`, shown and sent by SMS; the session's step `done` is over."""
    url = request.build_absolute_uri(reverse("observation:recruit:enter", kwargs={"token": token}))
    personal_link.send(observer, url)
    request.session.pop(done, None)
    request.session[APPLICANT] = observer.pk
    context = {"organisation": organisation, "url": url, "renewed": done == LOST}
    return render(request, "observation/recruit/confirmed.html", context)


@require_http_methods(["GET", "POST"])
@public_page
def lost(request: HttpRequest, org: str) -> HttpResponse:
    """ "I lost my link": IIN and phone; the same answer whether or not they applied."""
    organisation = _signed(org)
    form = LostLinkForm(request.POST or None)
    status, refusal = 200, None
    if request.method == "POST":
        status = 400
        if form.is_valid():
            previous = request.session.get(LOST)
            try:
                state = lost_link.ask(
                    organisation,
                    form.cleaned_data["iin"],
                    form.cleaned_data["phone"],
                    timezone.now(),
                    source=code_quota.source_key(client_ip(request)),
                    previous=previous if isinstance(previous, dict) else None,
                )
            except UserError as error:
                status, refusal = _refused(form, error), error
            else:
                request.session[LOST] = state
                return redirect("observation:recruit:lost-confirm", org=organisation.slug)
    context = {"form": form, "organisation": organisation}
    response = render(request, "observation/recruit/lost.html", context, status=status)
    return _with_headers(response, refusal)


@require_http_methods(["GET", "POST"])
@public_page
def lost_confirm(request: HttpRequest, org: str) -> HttpResponse:
    organisation = _signed(org)
    state = request.session.get(LOST)
    if not isinstance(state, dict) or state.get("organisation") != organisation.pk:
        return redirect("observation:recruit:lost", org=organisation.slug)
    form = CodeForm(request.POST if request.POST.get("step") == "verify" else None)
    context: dict[str, Any] = {"form": form, "organisation": organisation, "lost": True}
    status, refusal = 200, None
    try:
        if request.POST.get("step") == "resend":
            state = lost_link.resend(
                organisation, state, timezone.now(), code_quota.source_key(client_ip(request))
            )
            context["notice"] = _("A new code was sent. Only the newest code works.")
        elif form.is_bound and form.is_valid():
            try:
                observer, token = lost_link.renew(
                    state, clean_code(form.cleaned_data["code"]), timezone.now()
                )
            finally:
                request.session[LOST] = state  # the try counts, right or wrong
            return _link_page(request, organisation, observer, token, LOST)
        elif form.is_bound:
            status = 400
    except UserError as error:
        status, refusal = _code_refused(form, error, context), error
    request.session[LOST] = state
    context["phone"] = state["phone"]
    response = render(request, "observation/recruit/confirm.html", context, status=status)
    return _with_headers(response, refusal)


@public_page
def enter(request: HttpRequest, token: str) -> HttpResponse:
    """The personal link: the applicant is put in this browser's session, the token leaves
    the address bar."""
    observer = personal_link.observer_of_token(token)
    if observer is None:
        raise NotFound(_("This link does not work: it is mistyped or a newer one replaced it."))
    request.session.cycle_key()
    request.session[APPLICANT] = observer.pk
    return redirect("observation:recruit:training")


def _applicant(request: HttpRequest) -> Observer:
    observer = _observer_in_session(request, APPLICANT)
    if observer is None:
        raise ObservationForbidden(
            _("Open the personal link we sent you by SMS to see your training.")
        )
    return observer


@public_page
def training_page(request: HttpRequest) -> HttpResponse:
    observer = _applicant(request)
    language = translation.get_language() or "kk"
    context = {
        "observer": observer,
        "progress": recruitment.progress(observer),
        "modules": training.modules(observer, language),
        "sessions": training.sessions(observer),
    }
    return render(request, "observation/recruit/training.html", context)


@require_http_methods(["GET", "POST"])
@public_page
def quiz(request: HttpRequest, pk: int) -> HttpResponse:
    observer = _applicant(request)
    module = training.module_of(observer, pk)
    language = translation.get_language() or "kk"
    questions = training.questions(module, language)
    form = QuizForm(request.POST or None, questions=questions)
    context: dict[str, Any] = {
        "title": training.title_of(module, language),
        "module": module,
        "total": len(questions),
    }
    status = 200
    if request.method == "POST":
        if form.is_valid():
            attempt = recruitment.take_quiz(
                observer, module, training.answers_from(module, form.cleaned_data)
            )
            context["attempt"] = attempt
            form = QuizForm(None, questions=questions)  # a retry starts afresh
        else:
            status = 400
    context["form"] = form
    return render(request, "observation/recruit/quiz.html", context, status=status)
