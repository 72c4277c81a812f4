"""The pollster's pages: register a poll, design and draw its sample, add interviewers and
assign them to the sampled stations. Pollsters only (403 otherwise, never a 500)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from saylau.elections.models import Election
from saylau.errors import UserError
from saylau.exitpoll import applications, interviewers, polls, sampling
from saylau.exitpoll.errors import PollNotFound
from saylau.exitpoll.forms import AssignForm, DesignForm, InterviewerForm, RegisterForm
from saylau.exitpoll.models import Entry, Interviewer
from saylau.exitpoll.roles import require_pollster, require_runs
from saylau.exitpoll.views import exitpoll_page, language
from saylau.stations.services import describe_sizes, station_sizes

#: the latest refused entries the interviewers page lists
REFUSED_SHOWN = 200


def _refused(form: object, error: UserError) -> None:
    """The service's refusal shown on its field (or on the form)."""
    field = error.field if error.field in getattr(form, "fields", {}) else None
    form.add_error(field, str(error))  # type: ignore[attr-defined]


@exitpoll_page(signed_in=True)
def register(request: HttpRequest) -> HttpResponseBase:
    require_pollster(request.user)
    initial = {"organisation": applications.approved_organisation(request.user)}
    form = RegisterForm(request.POST or None, language=language(), initial=initial)
    if request.method == "POST" and form.is_valid():
        slug, contest = form.cleaned_data["contest"].split("|", 1)
        election = Election.objects.get(slug=slug)
        try:
            poll = polls.register(
                request.user,
                election,
                contest,
                form.cleaned_data["name"],
                form.cleaned_data["organisation"],
                form.cleaned_data["method"],
            )
        except UserError as e:
            _refused(form, e)
        else:
            return redirect("exitpoll:design", slug=poll.slug)
    return render(request, "exitpoll/register.html", {"form": form})


@exitpoll_page(signed_in=True)
def design(request: HttpRequest, slug: str) -> HttpResponseBase:
    poll = polls.get_poll(slug)
    require_runs(request.user, poll)
    initial = {"turnout": poll.turnout or 0.6, "margin": poll.margin, "seed": poll.seed}
    initial |= {"response_rate": poll.response_rate, "quota": poll.quota}
    form = DesignForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        asked = sampling.Asked(**form.cleaned_data)
        try:
            sampling.design(request.user, poll, asked, timezone.now())
        except UserError as e:
            _refused(form, e)
        else:
            return redirect("exitpoll:interviewers", slug=poll.slug)
    stations = sampling.frame(poll)
    sizes = describe_sizes(station_sizes(poll.election, stations).counts())
    context = {"poll": poll, "form": form, "frame": len(stations), "sizes_text": sizes}
    return render(request, "exitpoll/design.html", context)


@exitpoll_page(signed_in=True)
def people(request: HttpRequest, slug: str) -> HttpResponseBase:
    """The poll's interviewers (with their phones: the pollster's page only), a new one, and
    the entries refused because their station was not the interviewer's (kept, not lost)."""
    poll = polls.get_poll(slug)
    require_runs(request.user, poll)
    form = InterviewerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            made = interviewers.add(request.user, poll, **form.cleaned_data)
        except UserError as e:
            _refused(form, e)
        else:
            return redirect("exitpoll:assign", slug=poll.slug, pk=made.pk)
    rows = poll.interviewers.prefetch_related("stations__station")
    refused = poll.entries.filter(status=Entry.Status.REFUSED).select_related("interviewer")
    context = {"poll": poll, "form": form, "rows": rows, "refused": refused[:REFUSED_SHOWN]}
    return render(request, "exitpoll/interviewers.html", context)


@exitpoll_page(signed_in=True)
def assign(request: HttpRequest, slug: str, pk: int) -> HttpResponseBase:
    poll = polls.get_poll(slug)
    require_runs(request.user, poll)
    person = Interviewer.objects.filter(poll=poll, pk=pk).first()
    if person is None:
        raise PollNotFound(_("This poll has no such interviewer."))
    sampled = list(poll.sampled.select_related("station").order_by("stratum", "station__code"))
    initial = {"stations": [str(s.pk) for s in person.stations.all()]}
    form = AssignForm(request.POST or None, sampled=sampled, initial=initial)
    if request.method == "POST" and form.is_valid():
        ids = [int(v) for v in form.cleaned_data["stations"]]
        try:
            interviewers.assign(request.user, person, ids)
        except UserError as e:
            _refused(form, e)
        else:
            return redirect("exitpoll:interviewers", slug=poll.slug)
    return render(request, "exitpoll/assign.html", {"poll": poll, "person": person, "form": form})
