"""The exit poll's pages (/<lang>/exitpoll/…): the public list and poll page (method, seed,
sample, and the estimates once the polls close), its CSV, and the interviewer's phone pages,
whose script sends through the API and whose service worker queues what cannot be sent yet.
Thin: each page reads a service."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from saylau.exitpoll import estimates
from saylau.exitpoll.errors import Embargoed, PollNotFound
from saylau.exitpoll.models import Interviewer, Poll, SampledStation
from saylau.exitpoll.polls import answer_choices, get_poll
from saylau.exitpoll.results import results, results_csv
from saylau.exitpoll.roles import is_pollster, runs
from saylau.web.pages import user_page
from saylau.web.service_worker import worker_response

View = Callable[..., HttpResponseBase]
WORKER = "saylau_site/js/exitpoll-sw.js"


def exitpoll_page(signed_in: bool) -> Callable[[View], View]:
    """A refusal becomes its error page in the user's language; `signed_in`: sign-in first."""
    return user_page("exitpoll:login" if signed_in else None)


def signed_in_id(request: HttpRequest) -> int:
    """The signed-in user's id (the page's decorator has made sure there is one)."""
    return int(request.user.pk or 0)


def language() -> str:
    return translation.get_language() or "kk"


@exitpoll_page(signed_in=False)
def index(request: HttpRequest) -> HttpResponse:
    polls = Poll.objects.select_related("election").order_by("-created_at")
    mine = (
        Interviewer.objects.filter(user_id=request.user.pk).exists()
        if request.user.is_authenticated
        else False
    )
    context = {"polls": polls, "pollster": is_pollster(request.user), "interviewer": mine}
    return render(request, "exitpoll/index.html", context)


@exitpoll_page(signed_in=False)
def poll_page(request: HttpRequest, slug: str) -> HttpResponse:
    poll = get_poll(slug)
    found = results(request.user, poll, timezone.now(), language())
    sampled = poll.sampled.select_related("station").order_by("stratum", "station__code")
    context = {
        "poll": poll,
        "title": poll.election.title(language()),
        "r": found,
        "sampled": sampled,
        "runs": runs(request.user, poll),
        "strata": sorted((poll.design or {}).get("strata", {}).items()),
    }
    return render(request, "exitpoll/poll.html", context)


@exitpoll_page(signed_in=False)
def poll_csv(request: HttpRequest, slug: str) -> HttpResponse:
    poll = get_poll(slug)
    found = results(request.user, poll, timezone.now(), language())
    if not found.visible:
        raise Embargoed(_("The estimates are published once the polls close."))
    response = HttpResponse(results_csv(found), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="exitpoll-{poll.slug}.csv"'
    return response


@exitpoll_page(signed_in=True)
def mine(request: HttpRequest) -> HttpResponse:
    """The signed-in interviewer's stations, in every poll they interview for."""
    rows = (
        SampledStation.objects.filter(interviewers__user_id=signed_in_id(request))
        .select_related("station", "poll")
        .order_by("poll__name", "station__code")
    )
    return render(request, "exitpoll/mine.html", {"rows": rows})


@exitpoll_page(signed_in=True)
def station(request: HttpRequest, pk: int) -> HttpResponse:
    """An assigned station's page: one form per respondent, and the refusal counters."""
    sampled = (
        SampledStation.objects.filter(pk=pk, interviewers__user_id=signed_in_id(request))
        .select_related("station", "poll__election")
        .first()
    )
    if sampled is None:
        raise PollNotFound(_("You are not assigned to this station."))
    tally = next(t for t in estimates.tallies(sampled.poll) if t.sampled.pk == sampled.pk)
    context = {
        "s": sampled,
        "poll": sampled.poll,
        "choices": answer_choices(sampled.poll, language()),
        "tally": tally,
        "scope": reverse("exitpoll:index"),
    }
    return render(request, "exitpoll/station.html", context)


def service_worker(request: HttpRequest) -> HttpResponse:
    """The interviewer pages' service worker, served from a path whose scope covers them."""
    return worker_response(WORKER)
