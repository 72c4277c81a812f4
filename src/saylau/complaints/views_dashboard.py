"""The committee's dashboard and the intake's flagged mail."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from saylau.complaints import dashboard as stats
from saylau.complaints import mailbox, places, roles, workflow
from saylau.complaints.models import Category, InboundMail, Status
from saylau.complaints.views_committee import _elections_or_404, staff_page
from saylau.elections.models import Election
from saylau.errors import UserError
from saylau.web.errors import error_response


@staff_page(roles.VIEW)
def dashboard(request: HttpRequest) -> HttpResponse:
    election = _elections_or_404(request)
    summary = stats.summary(election)
    categories = dict(Category.choices)
    statuses = dict(Status.choices)
    districts = dict(places.district_choices(election, translation.get_language()))
    context = {
        "election": election,
        "elections": Election.objects.all(),
        "summary": summary,
        "by_category": [(categories.get(k, k), n) for k, n in summary.by_category],
        "by_status": [(statuses.get(k, k), n) for k, n in summary.by_status],
        "by_district": [(districts.get(k, k), n) for k, n in summary.by_district],
        "chart": stats.day_chart(summary.per_day, _("Complaints per day")),
        "overdue": workflow.overdue(election),
    }
    return render(request, "complaints/committee/dashboard.html", context)


@staff_page(roles.HANDLE_MAIL)
def mail(request: HttpRequest) -> HttpResponseBase:
    if request.method == "POST":
        try:
            mailbox.mark_handled(int(request.POST.get("mail", "0") or 0), request.user)
            messages.success(request, _("The message is marked as handled."))
        except (UserError, ValueError) as error:
            return error_response(
                request, 400, str(error) if isinstance(error, UserError) else None
            )
        return redirect("committee:mail")
    raw = request.GET.get("raw")
    if raw:
        item = InboundMail.objects.filter(pk=int(raw) if raw.isdigit() else 0).first()
        if item is None:
            return error_response(request, 404)
        return FileResponse(item.raw.open("rb"), content_type="message/rfc822")
    return render(request, "complaints/committee/mail.html", {"rows": mailbox.flagged()})
