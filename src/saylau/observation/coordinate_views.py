"""The coordinator's progress page (/<lang>/observe/coordinate/<org>/): the applicants of
the regions they coordinate with their progress, filtered by status, and the steps that are
theirs (screen, mark attendance at a session, certify). Staff sign-in first; the IIN is shown
masked."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from saylau.errors import UserError
from saylau.observation import applicants, recruitment
from saylau.observation.errors import NotFound
from saylau.observation.models import Headquarters, Observer, Organisation
from saylau.observation.views import observer_page


def _organisation(slug: str) -> Organisation:
    found = Organisation.objects.filter(slug=slug).first()
    if found is None:
        raise NotFound(_("There is no such organisation."))
    return found


def _act(request: HttpRequest, hqs: list[Headquarters]) -> str:
    """Do the posted step; the notice to show."""
    user = request.user
    observer = applicants.applicant_of(hqs, request.POST.get("observer", ""))
    action = request.POST.get("action", "")
    if action in ("accept", "reject"):
        recruitment.screen(user, observer, accept=action == "accept")
        if action == "accept":
            return _("%(name)s is accepted.") % {"name": observer.full_name}
        return _("%(name)s is rejected.") % {"name": observer.full_name}
    if action == "attend":
        session = applicants.session_of(hqs, request.POST.get("session", ""))
        recruitment.mark_attendance(user, session, observer)
        return _("%(name)s attended the session.") % {"name": observer.full_name}
    if action == "certify":
        recruitment.certify(user, observer)
        return _("%(name)s is certified.") % {"name": observer.full_name}
    raise NotFound(_("There is no such step."))


@require_http_methods(["GET", "POST"])
@observer_page
def coordinate(request: HttpRequest, org: str) -> HttpResponse:
    organisation = _organisation(org)
    hqs = applicants.hqs_of(request.user, organisation)  # refused if not theirs
    status = request.GET.get("status", "")
    if status not in Observer.Status.values:
        status = ""
    context: dict[str, Any] = {"organisation": organisation, "hqs": hqs, "status": status}
    code = 200
    if request.method == "POST":
        try:
            with transaction.atomic():  # a refused step changes nothing; the page is read after
                context["notice"] = _act(request, hqs)
        except UserError as error:
            context["refusal"] = str(error)
            code = error.status
    sessions = applicants.sessions_of(hqs)
    cards = [
        {"r": row, "open_sessions": [s for s in sessions if s.pk not in row.attended]}
        for row in applicants.rows(hqs, organisation, status)
    ]
    context.update(cards=cards, statuses=Observer.Status.choices)
    return render(request, "observation/recruit/coordinate.html", context, status=code)
