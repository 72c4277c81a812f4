"""The commission's pages: stations, a station's protocols, entry, the supervisor's view, the
scan, who voted, a recount. Thin: each page reads or calls a service, and a refusal is shown
in the user's language with nothing changed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from saylau.elections import services as elections
from saylau.elections.models import Election
from saylau.errors import UserError
from saylau.paper import entry, roles, scans, services
from saylau.paper.dashboard import contest_rows, entry_rows
from saylau.paper.entry_errors import NotFound, PaperForbidden
from saylau.paper.forms import EntryForm, RecountForm, ResolveForm, ScanForm, VotedForm
from saylau.paper.models import Protocol
from saylau.paper.voted import read_upload
from saylau.stations.models import Station
from saylau.web.pages import user_page

View = Callable[..., HttpResponseBase]


#: Sign-in first; a refusal (PaperError, ElectionNotFound …) becomes its error page.
staff_page = user_page("paper:login")


def _place(slug: str, code: str) -> tuple[Election, Station]:
    election = elections.get_election(slug)
    station = Station.objects.filter(election=election, code=code).first()
    if station is None:
        raise NotFound(_("There is no station %(station)s in this election.") % {"station": code})
    return election, station


def _visible(request: HttpRequest, slug: str, code: str) -> tuple[Election, Station]:
    election, station = _place(slug, code)
    if not roles.visible_stations(request.user).filter(pk=station.pk).exists():
        raise PaperForbidden(
            _("You are not on the commission of station %(station)s.") % {"station": station.code}
        )
    return election, station


def _station_url(election: Election, station: Station) -> str:
    return reverse("paper:station", args=[election.slug, station.code])


def _again(
    request: HttpRequest, template: str, context: dict[str, Any], error: UserError
) -> HttpResponse:
    context["error"] = str(error)
    return render(request, template, context, status=error.status)


@staff_page
def stations(request: HttpRequest) -> HttpResponse:
    found = roles.visible_stations(request.user).select_related("election")
    rows = [(s, s.election) for s in found.order_by("election__slug", "number")]
    return render(request, "paper/entry/stations.html", {"rows": rows})


@staff_page
def station(request: HttpRequest, election: str, station: str) -> HttpResponse:
    found, place = _visible(request, election, station)
    context = {
        "election": found,
        "station": place,
        "contests": contest_rows(found, place, request.user, translation.get_language()),
        "can_mark_voted": roles.acts_for(request.user, roles.MARK_VOTED, place),
    }
    return render(request, "paper/entry/station.html", context)


@staff_page
def enter(request: HttpRequest, election: str, station: str, contest: str) -> HttpResponse:
    found, place = _place(election, station)
    roles.require(request.user, roles.ENTER, place)
    race = entry.contest_of(found, place, contest)
    form = EntryForm(request.POST or None, contest=race, language=translation.get_language())
    context = {"election": found, "station": place, "contest": race, "form": form}
    if request.method == "POST" and form.is_valid():
        try:
            protocol = services.submit_entry(found, place, contest, request.user, form.typed())
        except UserError as error:
            return _again(request, "paper/entry/enter.html", context, error)
        messages.success(request, _entered_message(protocol))
        return redirect(_station_url(found, place))
    return render(request, "paper/entry/enter.html", context, status=400 if form.errors else 200)


def _entered_message(protocol: Protocol) -> str:
    protocol.refresh_from_db()
    if protocol.status == Protocol.Status.ACCEPTED:
        return _("Your entry is saved. The two entries agree and the protocol is accepted.")
    if protocol.status == Protocol.Status.CONFLICT:
        return _("Your entry is saved. The two entries differ: a supervisor will settle them.")
    if protocol.entries.filter(round=protocol.entry_round).exists():
        return _("Your entry is saved. Another operator now makes the second entry.")
    if protocol.failures:
        return _(
            "Your entry is saved. The entries agree, but the protocol breaks control relations."
        )
    return _("Your entry is saved. The entries agree; the protocol needs its scan.")


@staff_page
def resolve(request: HttpRequest, election: str, station: str, contest: str) -> HttpResponse:
    found, place = _place(election, station)
    roles.require(request.user, roles.RESOLVE, place)
    race = entry.contest_of(found, place, contest)
    protocol = entry.get_protocol(found, place, contest)
    language = translation.get_language()
    context: dict[str, Any] = {"election": found, "station": place, "contest": race}
    context["protocol"] = protocol
    if protocol.status != Protocol.Status.CONFLICT:
        return render(request, "paper/entry/resolve.html", context)
    rows = entry_rows(protocol, race, language)
    differing = [(r.key, r.first, r.second) for r in rows if r.differs]
    data = request.POST if request.method == "POST" and "settle" in request.POST else None
    form = ResolveForm(data, contest=race, language=language, rows=differing)
    context.update(rows=rows, form=form)
    if request.method == "POST":
        try:
            if "reenter" in request.POST:
                services.request_reentry(protocol, request.user)
                messages.success(request, _("Both operators now enter this protocol again."))
                return redirect(_station_url(found, place))
            if form.is_valid():
                services.resolve(protocol, request.user, form.values())
                messages.success(request, _("The differing lines are settled."))
                return redirect(_station_url(found, place))
        except UserError as error:
            return _again(request, "paper/entry/resolve.html", context, error)
    return render(request, "paper/entry/resolve.html", context, status=400 if form.errors else 200)


@staff_page
def scan(request: HttpRequest, election: str, station: str, contest: str) -> HttpResponse:
    found, place = _place(election, station)
    roles.require(request.user, roles.UPLOAD_SCAN, place)
    race = entry.contest_of(found, place, contest)
    protocol = entry.get_protocol(found, place, contest)
    form = ScanForm(request.POST or None, request.FILES or None)
    context = {"election": found, "station": place, "contest": race, "protocol": protocol}
    context["form"] = form
    if request.method == "POST" and form.is_valid():
        try:
            data = scans.read_limited(form.cleaned_data["scan"].chunks())
            protocol = services.upload_scan(protocol, request.user, data)
        except UserError as error:
            return _again(request, "paper/entry/scan.html", context, error)
        if protocol.status == Protocol.Status.ACCEPTED:
            messages.success(request, _("The scan is stored and the protocol is accepted."))
        else:
            messages.success(request, _("The scan is stored."))
        return redirect(_station_url(found, place))
    return render(request, "paper/entry/scan.html", context, status=400 if form.errors else 200)


@transaction.non_atomic_requests
@staff_page
def voted(request: HttpRequest, election: str, station: str) -> HttpResponse:
    found, place = _place(election, station)
    roles.require(request.user, roles.MARK_VOTED, place)
    form = VotedForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"election": found, "station": place, "form": form}
    if request.method == "POST" and form.is_valid():
        try:
            data = read_upload(form.cleaned_data["voted"].chunks())
            context["report"] = services.mark_voted(found, place, request.user, data)
        except UserError as error:
            return _again(request, "paper/entry/voted.html", context, error)
        context["form"] = VotedForm()
    return render(request, "paper/entry/voted.html", context, status=400 if form.errors else 200)


@staff_page
def recount(request: HttpRequest, election: str, station: str, contest: str) -> HttpResponse:
    found, place = _place(election, station)
    roles.require(request.user, roles.OPEN_RECOUNT, place)
    race = entry.contest_of(found, place, contest)
    form = RecountForm(request.POST or None)
    context = {"election": found, "station": place, "contest": race, "form": form}
    context["protocol"] = entry.latest(found, place, contest)
    if request.method == "POST" and form.is_valid():
        try:
            reason = form.cleaned_data["reason"]
            services.open_recount(found, place, contest, request.user, reason)
        except UserError as error:
            return _again(request, "paper/entry/recount.html", context, error)
        messages.success(request, _("The recount is open: enter its protocol twice."))
        return redirect(_station_url(found, place))
    return render(request, "paper/entry/recount.html", context, status=400 if form.errors else 200)


@staff_page
def scan_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    protocol = Protocol.objects.filter(pk=pk).select_related("station", "election").first()
    if protocol is None or not protocol.scan:
        raise NotFound(_("This protocol has no scan."))
    _visible(request, protocol.election.slug, protocol.station.code)
    response = FileResponse(protocol.scan.open("rb"), content_type=scans.content_type_of(protocol))
    response["Content-Disposition"] = "inline"
    return response
