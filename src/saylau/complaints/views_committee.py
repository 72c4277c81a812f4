"""The committee's pages (staff only), /<lang>/committee/…: the cases with overdue deadlines,
the hotline console, a case with the steps the user's role allows, evidence downloads.
Thin: each step is a workflow call; a refusal is shown with nothing changed."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.models import User
from django.db.models import Q
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from saylau.complaints import intake, roles, workflow
from saylau.complaints.errors import ComplaintNotFound
from saylau.complaints.forms import (
    SANCTION_LABELS,
    AppealDecisionForm,
    AssignForm,
    CallForm,
    CategoryForm,
    DecisionForm,
    TextForm,
)
from saylau.complaints.models import Complaint, Evidence, Status
from saylau.elections import services as elections
from saylau.elections.models import Election
from saylau.errors import UserError
from saylau.web import uploads
from saylau.web.errors import error_response
from saylau.web.pages import user_page

View = Callable[..., HttpResponseBase]


def staff_page(permission: str) -> Callable[[View], View]:
    """Sign-in first, then `permission`; a refusal becomes its error page."""

    def decorate(view: View) -> View:
        @wraps(view)
        def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            roles.require(request.user, permission)
            return view(request, *args, **kwargs)

        return user_page("committee:login")(checked)

    return decorate


def _complaint(reference: str) -> Complaint:
    found = Complaint.objects.filed().select_related("election").filter(reference=reference).first()
    if found is None:
        raise ComplaintNotFound(
            _("There is no complaint %(reference)s.") % {"reference": reference}
        )
    return found


@staff_page(roles.VIEW)
def cases(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    found = Complaint.objects.filed().select_related("election", "assignee")
    found = found.order_by("-created_at")
    if status in Status.values:
        found = found.filter(status=status)
    now = timezone.now()
    overdue = Q(status=Status.UNDER_REVIEW, deadline__lt=now)
    context = {
        "rows": found[:500],
        "statuses": [c for c in Status.choices if c[0] != Status.DRAFT],
        "status": status,
        "now": now,
        "overdue": Complaint.objects.filter(overdue).order_by("deadline"),
        "can_log_call": roles.allowed(request.user, roles.LOG_CALL),
    }
    return render(request, "complaints/committee/cases.html", context)


@staff_page(roles.LOG_CALL)
def hotline(request: HttpRequest) -> HttpResponse:
    found = _elections_or_404(request)
    form = CallForm(request.POST or None, election=found, language=translation.get_language())
    if request.method == "POST" and form.is_valid():
        new = intake.NewComplaint(
            form.cleaned_data["category"],
            form.cleaned_data["description"],
            form.where(),
            form.contact(),
            form.cleaned_data["anonymous"],
        )
        try:
            complaint, code = intake.submit(
                found, new, channel="hotline", actor=request.user.get_username()
            )
        except UserError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            context = {"complaint": complaint, "code": code, "election": found}
            return render(request, "complaints/committee/logged.html", context)
    context = {"form": form, "election": found, "elections": Election.objects.all()}
    return render(
        request, "complaints/committee/hotline.html", context, status=400 if form.errors else 200
    )


def _elections_or_404(request: HttpRequest) -> Election:
    slug = request.GET.get("election") or request.POST.get("election")
    if slug:
        return elections.get_election(slug)
    found = Election.objects.order_by("-created_at").first()
    if found is None:
        raise ComplaintNotFound(_("There is no election yet."))
    return found


def _members() -> list[tuple[str, str]]:
    users = User.objects.filter(
        Q(groups__permissions__codename="decide_complaint") | Q(is_superuser=True), is_active=True
    ).distinct()
    return [(str(u.pk), u.get_full_name() or u.get_username()) for u in users.order_by("username")]


STEPS = ("more", "merge", "category", "assign", "decide", "appeal", "appeal_decision", "final")


def _forms(request: HttpRequest, complaint: Complaint, step: str) -> dict[str, Any]:
    def bound(name: str) -> Any:
        return request.POST if step == name else None

    language = translation.get_language()
    return {
        "more": TextForm(bound("more"), label=_("What evidence is missing")),
        "merge": TextForm(bound("merge"), label=_("Reference of the complaint it repeats")),
        "category": CategoryForm(bound("category"), initial={"category": complaint.category}),
        "assign": AssignForm(bound("assign"), members=_members()),
        "decide": DecisionForm(bound("decide"), election=complaint.election, language=language),
        "appeal": TextForm(bound("appeal"), label=_("Grounds of the appeal")),
        "appeal_decision": AppealDecisionForm(bound("appeal_decision")),
    }


def _take(request: HttpRequest, complaint: Complaint, step: str, form: Any) -> str:
    user = request.user
    if step == "final":
        workflow.make_final(complaint, user)
        return _("The decision is final; its sanctions are in force.")
    if not form.is_valid():
        raise _Invalid
    data = form.cleaned_data
    if step == "more":
        workflow.ask_for_more(complaint, user, data["text"])
        return _("The complainant is asked for more evidence.")
    if step == "merge":
        workflow.merge(complaint, user, data["text"])
        return _("The complaint is merged.")
    if step == "category":
        workflow.recategorise(complaint, user, data["category"])
        return _("The kind of violation is changed.")
    if step == "assign":
        assignee = User.objects.filter(pk=data["assignee"]).first()
        workflow.assign(complaint, user, assignee, data["deadline"])
        return _("The case is under review.")
    if step == "decide":
        workflow.decide(
            complaint,
            user,
            substantiated=data["substantiated"],
            reasoning=data["reasoning"],
            sanctions=form.sanctions(),
        )
        return _("The decision is recorded; the appeal window is open.")
    if step == "appeal":
        workflow.log_appeal(complaint, user, data["text"])
        return _("The appeal is registered.")
    workflow.decide_appeal(complaint, user, upheld=data["upheld"], reasoning=data["reasoning"])
    return _("The appeal is decided; the decision is final.")


class _Invalid(Exception):
    """A step's form has errors: the page is shown again with them."""


@staff_page(roles.VIEW)
def case(request: HttpRequest, reference: str) -> HttpResponse:
    complaint = _complaint(reference)
    step = request.POST.get("step", "") if request.method == "POST" else ""
    forms = _forms(request, complaint, step)
    context: dict[str, Any] = {"complaint": complaint, "forms": forms, "Status": Status}
    status = 200
    if step in STEPS:
        try:
            messages.success(request, _take(request, complaint, step, forms.get(step)))
            return redirect("committee:case", complaint.reference)
        except _Invalid:
            status = 400
        except UserError as error:
            context["error"] = str(error)
            status = error.status
    complaint.refresh_from_db()
    decision = getattr(complaint, "decision", None)
    context.update(
        decision=decision,
        evidence=complaint.evidence.all(),
        sanctions=[
            (SANCTION_LABELS.get(s.kind, s.kind), s)
            for s in (decision.sanctions.all() if decision else [])
        ],
        can=_abilities(request.user, complaint),
        now=timezone.now(),
    )
    return render(request, "complaints/committee/case.html", context, status=status)


def _abilities(user: Any, complaint: Complaint) -> dict[str, bool]:
    def may(permission: str) -> bool:
        return roles.allowed(user, permission)

    s = complaint.status
    decider = may(roles.ASSIGN) or (may(roles.DECIDE) and complaint.assignee_id == user.pk)
    return {
        "triage": may(roles.TRIAGE) and s in (Status.RECEIVED, Status.MORE_INFO),
        "category": may(roles.TRIAGE)
        and s in (Status.RECEIVED, Status.MORE_INFO, Status.UNDER_REVIEW),
        "ask": may(roles.TRIAGE) and s == Status.RECEIVED,
        "assign": may(roles.ASSIGN) and s in (Status.RECEIVED, Status.UNDER_REVIEW),
        "decide": decider and s == Status.UNDER_REVIEW,
        "sanction": may(roles.SANCTION),
        "appeal": may(roles.LOG_APPEAL) and s == Status.DECIDED,
        "appeal_decision": may(roles.DECIDE_APPEAL) and s == Status.APPEALED,
        "final": may(roles.DECIDE_APPEAL) and s == Status.DECIDED,
        "contacts": may(roles.TRIAGE),
    }


@staff_page(roles.VIEW)
def evidence_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    item = Evidence.objects.filter(pk=pk).exclude(complaint__status=Status.DRAFT).first()
    if item is None:
        return error_response(request, 404)
    return FileResponse(
        item.file.open("rb"), content_type=uploads.MIME.get(item.kind, "application/octet-stream")
    )
