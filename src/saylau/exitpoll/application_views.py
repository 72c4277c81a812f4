"""A polling organisation applies for the pollster role (/<lang>/exitpoll/apply/), reads its
application's state (/<lang>/exitpoll/application/), and staff decide
(/<lang>/exitpoll/applications/). Thin: exitpoll.applications does it."""

from __future__ import annotations

from django.contrib.auth import login
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from saylau.errors import UserError
from saylau.exitpoll import applications
from saylau.exitpoll.forms import ApplyForm, DecideForm
from saylau.exitpoll.models import PollsterApplication
from saylau.exitpoll.roles import is_pollster
from saylau.exitpoll.views import exitpoll_page
from saylau.web.proxy import client_ip

BACKEND = "django.contrib.auth.backends.ModelBackend"
DECIDED_SHOWN = 200  # the latest decided applications the staff page lists


@require_http_methods(["GET", "POST"])
@exitpoll_page(signed_in=False)
def apply(request: HttpRequest) -> HttpResponseBase:
    signed_in = request.user.is_authenticated
    form = ApplyForm(request.POST or None, signed_in=signed_in)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            found = applications.apply(
                request.user,
                organisation=data["organisation"],
                email=data["email"],
                method=data["method"],
                username=data.get("username", ""),
                password=data.get("password", ""),
                now=timezone.now(),
                source=applications.source_key(client_ip(request)),
            )
        except UserError as e:
            field = e.field if e.field in form.fields else None
            form.add_error(field, str(e))
            status = e.status
        else:
            if not signed_in:
                login(request, found.user, backend=BACKEND)
            return redirect("exitpoll:application")
    if form.errors and status == 200:
        status = 400
    context = {"form": form, "pollster": is_pollster(request.user)}
    return render(request, "exitpoll/apply.html", context, status=status)


@exitpoll_page(signed_in=True)
def application(request: HttpRequest) -> HttpResponseBase:
    context = {"applications": applications.mine(request.user)}
    return render(request, "exitpoll/application.html", context)


@require_http_methods(["GET", "POST"])
@exitpoll_page(signed_in=True)
def decide(request: HttpRequest) -> HttpResponseBase:
    applications.require_staff(request.user)
    form = DecideForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                applications.decide(
                    request.user,
                    form.cleaned_data["application"],
                    approve=form.cleaned_data["decision"] == "approve",
                    reason=form.cleaned_data["reason"],
                    now=timezone.now(),
                )
            except UserError as e:
                form.add_error(None, str(e))
                status = e.status if e.status != 403 else 400
            else:
                return redirect("exitpoll:applications")
        else:
            status = 400
    every = PollsterApplication.objects.select_related("user", "decided_by")
    pending = PollsterApplication.Status.PENDING
    context = {
        "form": form,
        "pending": every.filter(status=pending).order_by("created_at"),
        "decided": every.exclude(status=pending).order_by("-decided_at")[:DECIDED_SHOWN],
    }
    return render(request, "exitpoll/applications.html", context, status=status)
