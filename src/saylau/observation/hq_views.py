"""The headquarters' pages (/<lang>/hq/…): one election's station map and table, incident
counts and feed, refused reports, and the exports. Coordinators and HQ accounts only."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from saylau.elections import services as elections
from saylau.observation import dashboard, exports
from saylau.observation.incidents import CATEGORIES
from saylau.observation.stations_map import HEIGHT, WIDTH, dots, regions
from saylau.observation.views import observer_page
from saylau.stations.models import Station

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@observer_page
def overview(request: HttpRequest, election: str) -> HttpResponse:
    found = elections.get_election(election)
    rows = dashboard.station_rows(request.user, found, timezone.now())
    by_category, by_region = dashboard.incident_counts(request.user, found)
    context = {
        "election": found,
        "rows": rows,
        "dots": dots(rows),
        "outlines": regions(rows),
        "width": WIDTH,
        "height": HEIGHT,
        "categories": [(CATEGORIES.get(c, c), n) for c, n in by_category.most_common()],
        "regions": sorted(by_region.items()),
        "feed": dashboard.feed(request.user, found),
        "refused": dashboard.refused(request.user),
        "missing": sum(r.missing_check_in for r in rows),
        "copies": sum(r.copies for r in rows),
    }
    return render(request, "observation/hq.html", context)


def _download(data: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@observer_page
def stations_csv(request: HttpRequest, election: str) -> HttpResponse:
    found = elections.get_election(election)
    rows = dashboard.station_rows(request.user, found, timezone.now())
    return _download(exports.stations_csv(rows), "text/csv; charset=utf-8", f"{election}.csv")


@observer_page
def stations_xlsx(request: HttpRequest, election: str) -> HttpResponse:
    found = elections.get_election(election)
    rows = dashboard.station_rows(request.user, found, timezone.now())
    return _download(exports.stations_xlsx(rows), XLSX, f"{election}.xlsx")


@observer_page
def evidence(request: HttpRequest, election: str, station: str) -> HttpResponse:
    found = elections.get_election(election)
    place = get_object_or_404(Station, election=found, code=station)
    data = exports.evidence_bundle(request.user, place)
    return _download(data, "application/zip", f"evidence-{election}-{station}.zip")
