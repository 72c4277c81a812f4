"""The public pages: the complaint form, "check my complaint" (reference and access code:
status, more evidence, an appeal) and the register of decisions with its CSV and JSON.
Thin: each page calls a service; a refusal is shown in the user's language, the form kept."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from saylau.complaints import flood, intake, places, register, workflow
from saylau.complaints.errors import ComplaintError
from saylau.complaints.forms import (
    SANCTION_LABELS,
    CheckForm,
    ComplaintForm,
    MoreForm,
    TextForm,
)
from saylau.complaints.models import Category, Complaint, Status
from saylau.complaints.uploads_in import evidence_files
from saylau.elections import services as elections
from saylau.elections.models import Election
from saylau.errors import UserError
from saylau.web.errors import error_response
from saylau.web.proxy import client_ip


def _elections() -> list[Election]:
    return list(Election.objects.order_by("-created_at"))


def _refused(form: Any, error: UserError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, str(error))


@require_GET
def start(request: HttpRequest) -> HttpResponse:
    found = _elections()
    if len(found) == 1:
        return redirect("complaints:new", found[0].slug)
    return render(request, "complaints/start.html", {"elections": found})


def new(request: HttpRequest, election: str) -> HttpResponse:
    try:
        found = elections.get_election(election)
    except UserError as error:
        return error_response(request, 404, str(error))
    language = translation.get_language()
    form = ComplaintForm(
        request.POST or None, request.FILES or None, election=found, language=language
    )
    if request.method == "POST" and form.is_valid():
        try:
            new = intake.NewComplaint(
                form.cleaned_data["category"],
                form.cleaned_data["description"],
                form.where(),
                form.contact(),
                form.cleaned_data["anonymous"],
                evidence_files(request),
            )
            complaint, code = intake.submit(
                found,
                new,
                channel="web",
                actor="public",
                source=flood.source_key(client_ip(request)),
            )
        except UserError as error:
            _refused(form, error)
        else:
            context = {"complaint": complaint, "code": code, "election": found}
            return render(request, "complaints/received.html", context)
    status = 400 if form.errors else 200
    context = {"form": form, "election": found}
    return render(request, "complaints/new.html", context, status=status)


def _case_context(complaint: Complaint) -> dict[str, Any]:
    decision = getattr(complaint, "decision", None)
    return {"complaint": complaint, "decision": decision, "Status": Status}


def check(request: HttpRequest) -> HttpResponse:
    """Reference and access code in every POST: no session is kept for a complainant."""
    form = CheckForm(request.POST or None)
    context: dict[str, Any] = {"form": form}
    if request.method != "POST" or not form.is_valid():
        return render(request, "complaints/check.html", context, status=400 if form.errors else 200)
    try:
        complaint = intake.find(form.cleaned_data["reference"], form.cleaned_data["code"])
    except ComplaintError as error:
        form.add_error(None, str(error))
        return render(request, "complaints/check.html", context, status=404)
    context.update(_case_context(complaint))
    step = request.POST.get("step", "")
    more = MoreForm(request.POST if step == "more" else None, request.FILES or None)
    appeal = TextForm(request.POST if step == "appeal" else None, label=_("Grounds of the appeal"))
    context.update(more=more, appeal=appeal)
    try:
        if step == "more" and more.is_valid():
            with transaction.atomic():
                intake.add_more(
                    complaint, more.cleaned_data["text"], evidence_files(request), "complainant"
                )
            context["notice"] = _("Thank you: the committee will look at the case again.")
        elif step == "appeal" and appeal.is_valid():
            workflow.complainant_appeal(complaint, appeal.cleaned_data["text"])
            context["notice"] = _("Your appeal is registered.")
    except UserError as error:
        _refused(more if step == "more" else appeal, error)
    complaint.refresh_from_db()
    context.update(_case_context(complaint))
    return render(request, "complaints/check.html", context)


def _register_election(request: HttpRequest) -> Election | None:
    slug = request.GET.get("election", "")
    if slug:
        return Election.objects.filter(slug=slug).first()
    return Election.objects.order_by("-created_at").first()


def _labelled(election: Election, language: str) -> list[dict[str, Any]]:
    """The register's rows with the category, district and sanction names in `language`."""
    categories = dict(Category.choices)
    districts = dict(places.district_choices(election, language))
    return [
        {
            "row": row,
            "category": categories.get(row.category, row.category),
            "district": districts.get(row.district, row.district),
            "sanctions": [(SANCTION_LABELS.get(s["kind"], s["kind"]), s) for s in row.sanctions],
        }
        for row in register.rows(election)
    ]


@require_GET
def register_page(request: HttpRequest) -> HttpResponse:
    found = _register_election(request)
    rows = _labelled(found, translation.get_language()) if found is not None else []
    context = {"election": found, "elections": _elections(), "rows": rows}
    return render(request, "complaints/register.html", context)


@require_GET
def register_json(request: HttpRequest, election: str) -> HttpResponse:
    found = Election.objects.filter(slug=election).first()
    if found is None:
        return error_response(request, 404)
    return JsonResponse(register.as_json(found), json_dumps_params={"ensure_ascii": False})


@require_GET
def register_csv(request: HttpRequest, election: str) -> HttpResponse:
    found = Election.objects.filter(slug=election).first()
    if found is None:
        return error_response(request, 404)
    response = HttpResponse(register.as_csv(found), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="decisions-{found.slug}.csv"'
    return response
