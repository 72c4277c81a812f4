"""The report pages under /<language>/analysis/<election>/: the report on saylau's own results
for the election, its report.json, report.pdf and figures. Public once the results are
announced (the online tally decrypted, as the consolidated results' exports), staff only
before. Thin: the report comes from analysis.report_cache (computed once per inputs)."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from saylau.analysis import pages, report_cache
from saylau.elections import services as elections
from saylau.elections.models import Election
from saylau.paper.views_results import stored_data_checked
from saylau.voting.views import election_or_404
from saylau.web.errors import error_response

#: An SVG figure is a document of its own when opened: no script at all, its own styles only.
SVG_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
TYPES = {"svg": "image/svg+xml", "png": "image/png"}
#: The views only read (the report's files are written outside the database): outside the
#: request's transaction, so a long first computation holds no lock on SQLite and a page's
#: figures load in parallel.
READ_ONLY = transaction.non_atomic_requests


def announced(election: Election) -> bool:
    """The results are announced: the online tally is decrypted (tallied or published)."""
    return elections.election_results(election) is not None


def _shown(request: HttpRequest, slug: str) -> Election | HttpResponse:
    """The election if this request may see its report; else the answer (404, 403)."""
    election = election_or_404(request, slug)
    if isinstance(election, HttpResponse):
        return election
    user = getattr(request, "user", None)
    if announced(election) or (user is not None and user.is_staff):
        return election
    return error_response(
        request,
        403,
        _("The analysis of this election is published once its results are announced."),
    )


@READ_ONLY
@require_GET
@stored_data_checked
def report_page(request: HttpRequest, slug: str) -> HttpResponse:
    election = _shown(request, slug)
    if isinstance(election, HttpResponse):
        return election
    report, _folder = report_cache.report_of(election)
    lang = request.LANGUAGE_CODE
    context = {
        "election": election,
        "report": report,
        "tests": pages.entries(report, election.manifest, lang),
        "figures": pages.figures(report),
        "skipped": pages.skipped(report, election.manifest, lang),
        "online_ballots": pages.online_ballots(report, election.manifest, lang),
        "public": announced(election),
    }
    return render(request, "analysis/report.html", context)


def _file(data: bytes, content_type: str, name: str | None = None) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    if name is not None:
        response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@READ_ONLY
@require_GET
@stored_data_checked
def report_json(request: HttpRequest, slug: str) -> HttpResponse:
    election = _shown(request, slug)
    if isinstance(election, HttpResponse):
        return election
    _report, data = report_cache.read(election, "report.json")
    return _file(data, "application/json", f"{slug}-analysis.json")


@READ_ONLY
@require_GET
@stored_data_checked
def report_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    election = _shown(request, slug)
    if isinstance(election, HttpResponse):
        return election
    lang = request.LANGUAGE_CODE
    _report, data = report_cache.read(election, f"{lang}/report.pdf")
    return _file(data, "application/pdf", f"{slug}-analysis.{lang}.pdf")


@READ_ONLY
@require_GET
@stored_data_checked
def figure(request: HttpRequest, slug: str, file: str) -> HttpResponse:
    """NAME.svg or NAME.png of one of the report's figures, in the URL's language."""
    name, _dot, ext = file.rpartition(".")
    election = _shown(request, slug)
    if isinstance(election, HttpResponse):
        return election
    report, _folder = report_cache.report_of(election)
    if name not in report.get("figures", []) or ext not in TYPES:
        return error_response(request, 404, _("This report has no such figure."))
    _report, data = report_cache.read(election, f"{request.LANGUAGE_CODE}/{name}.{ext}")
    response = _file(data, TYPES[ext])
    if ext == "svg":
        response["Content-Security-Policy"] = SVG_POLICY
    return response
