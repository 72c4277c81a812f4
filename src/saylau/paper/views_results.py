"""The public consolidated results: per election, district and station, and their CSV and
JSON exports. Thin: the numbers come from paper.results. Nothing shows before voting is
over; before the online tally is decrypted the pages show the paper count, provisional."""

from __future__ import annotations

import csv
import functools
import io
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from saylau.elections.models import Election
from saylau.paper import counting, results
from saylau.protocol.canonical import canonical_json
from saylau.protocol.errors import InvalidManifest
from saylau.protocol.failures import MESSAGES, CodedError
from saylau.protocol.paper_protocol import COUNT_MESSAGES, InvalidProtocolCounts
from saylau.protocol.sanctions import SanctionProblem
from saylau.stations.models import Station
from saylau.voting.public import voting_over
from saylau.voting.views import election_or_404
from saylau.web.errors import error_response, json_error
from saylau.web.spreadsheet import neutral

NOT_YET = "paper/results/not_yet.html"
View = Callable[..., HttpResponse]


def stored_data_checked(view: View) -> View:
    """A stored protocol or a sanction that does not fit the manifest is named on the page
    (409), never a server error."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, slug: str, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, slug, *args, **kwargs)
        except (InvalidProtocolCounts, InvalidManifest, SanctionProblem, CodedError) as error:
            message = _misfit(error)
            if request.path.endswith(".json"):
                return json_error(409, "paper.protocol_does_not_fit", message)
            election = election_or_404(request, slug)
            if isinstance(election, HttpResponse):
                return election
            return render(request, NOT_YET, {"election": election, "message": message}, status=409)

    return wrapped


def _misfit(error: Exception) -> str:
    """What does not fit, in the user's language (the catalogue has the codes' templates)."""
    if isinstance(error, SanctionProblem):
        problem = _(MESSAGES[error.code]) % error.params if error.code in MESSAGES else str(error)
        return _("A sanction does not fit the election: %(problem)s") % {"problem": problem}
    problem = str(error)
    if isinstance(error, InvalidProtocolCounts):
        problem = _(COUNT_MESSAGES[error.code]) % error.params
    elif isinstance(error, CodedError) and error.code in MESSAGES:
        problem = _(MESSAGES[error.code]) % error.params
    return _("A stored protocol does not fit the election: %(problem)s") % {"problem": problem}


def _open(request: HttpRequest, slug: str) -> Election | HttpResponse:
    """The election, or the answer to give instead: 404, or 409 while voting goes on."""
    election = election_or_404(request, slug)
    if isinstance(election, HttpResponse) or voting_over(election):
        return election
    message = _("The results appear here once voting is over.")
    context = {"election": election, "message": message}
    return render(request, NOT_YET, context, status=409)


@require_GET
@stored_data_checked
def election_page(request: HttpRequest, slug: str) -> HttpResponse:
    election = _open(request, slug)
    if isinstance(election, HttpResponse):
        return election
    found = results.consolidated(election)
    context = {
        "election": election,
        "provisional": found.provisional,
        "margin": found.document["recount_margin"],
        "districts": results.district_results(found, request.LANGUAGE_CODE),
        "has_paper": counting.has_paper(election),
    }
    return render(request, "paper/results/election.html", context)


@require_GET
@stored_data_checked
def district_page(request: HttpRequest, slug: str, district: str) -> HttpResponse:
    election = _open(request, slug)
    if isinstance(election, HttpResponse):
        return election
    found = results.consolidated(election)
    shown = [d for d in results.district_results(found, request.LANGUAGE_CODE) if d.id == district]
    if not shown:
        return error_response(request, 404, _("This election has no such district."))
    context = {
        "election": election,
        "provisional": found.provisional,
        "margin": found.document["recount_margin"],
        "district": shown[0],
        "stations": Station.objects.filter(election=election, district=district),
        "annulled_stations": found.notes.stations,
    }
    return render(request, "paper/results/district.html", context)


@require_GET
@stored_data_checked
def station_page(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    election = _open(request, slug)
    if isinstance(election, HttpResponse):
        return election
    station = Station.objects.filter(election=election, code=code).first()
    if station is None:
        return error_response(request, 404, _("This election has no such polling station."))
    found = results.consolidated(election)
    district = next(
        d
        for d in results.district_results(found, request.LANGUAGE_CODE)
        if d.id == station.district
    )
    context = {
        "election": election,
        "station": station,
        "district": district,
        "contests": results.station_contests(election, station, request.LANGUAGE_CODE),
        "annulled_by": found.notes.stations.get(station.code, ""),
        "provisional": found.provisional,
    }
    return render(request, "paper/results/station.html", context)


def _csv(name: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([neutral(v) for v in row] for row in rows)
    response = HttpResponse(buffer.getvalue().encode("utf-8"), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _final(request: HttpRequest, slug: str) -> tuple[Election, results.Consolidated] | HttpResponse:
    election = _open(request, slug)
    if isinstance(election, HttpResponse):
        return election
    found = results.consolidated(election)
    if found.provisional:
        error = results.ConsolidationNotReady()
        if request.path.endswith(".json"):
            return json_error(error.status, error.code, str(error))
        context = {"election": election, "message": str(error)}
        return render(request, NOT_YET, context, status=error.status)
    return election, found


@require_GET
@stored_data_checked
def results_json(request: HttpRequest, slug: str) -> HttpResponse:
    """The consolidation document, canonical JSON (the record's consolidation.json)."""
    got = _final(request, slug)
    if isinstance(got, HttpResponse):
        return got
    election, found = got
    response = HttpResponse(canonical_json(found.document), content_type="application/json")
    response["Content-Disposition"] = f'inline; filename="{election.slug}-consolidation.json"'
    return response


@require_GET
@stored_data_checked
def results_csv(request: HttpRequest, slug: str) -> HttpResponse:
    got = _final(request, slug)
    if isinstance(got, HttpResponse):
        return got
    election, found = got
    rows = results.results_table(found, request.LANGUAGE_CODE)
    return _csv(f"{election.slug}-results.csv", results.RESULTS_COLUMNS, rows)


@require_GET
@stored_data_checked
def protocols_csv(request: HttpRequest, slug: str) -> HttpResponse:
    election = _open(request, slug)
    if isinstance(election, HttpResponse):
        return election
    header, rows = results.protocols_table(election)
    return _csv(f"{election.slug}-protocols.csv", header, rows)
