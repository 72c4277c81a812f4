"""Staff pages of the stations: a station's printable voter list (PDF).

Organisers (permission stations.view_voter_list) may download any station's list, a
commission member only their own station's (CommissionMember.user). The election is looked
up by its model's label: the elections app is above this one (decision 0020).
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse

from saylau.stations import services
from saylau.stations.models import CommissionMember, Station
from saylau.web.errors import error_response

PERMISSION = "stations.view_voter_list"


def may_print(user: Any, station: Station) -> bool:
    """Organisers may print every station's list, commission members their station's."""
    if user.has_perm(PERMISSION):
        return True
    return CommissionMember.objects.filter(station=station, user_id=user.pk).exists()


def _election(slug: str) -> Any:
    election_model = apps.get_model("elections", "Election")
    return election_model.objects.filter(slug=slug).first()


@login_required(login_url="admin:login")
def voter_list_pdf(request: HttpRequest, slug: str, code: str, lang: str) -> HttpResponse:
    election = _election(slug)
    if election is None:
        return error_response(request, 404)
    try:
        station = services.station_by_code(election, code)
        if not may_print(request.user, station):
            return error_response(request, 403)
        content = services.voter_list_pdf(election, station, lang)
    except services.StationError as error:
        status = 404 if error.status == 404 else 500
        return error_response(request, status, str(error))
    response = HttpResponse(content, content_type="application/pdf")
    filename = f"voters-{slug}-{station.code}.{lang}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
