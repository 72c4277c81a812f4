"""Public pages: an election roll's per-district counts."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from saylau.registry import services
from saylau.web.errors import error_response


def roll_counts(request: HttpRequest, election: str) -> HttpResponse:
    try:
        counts = services.published_counts(election)
    except services.RegistryError as error:
        return error_response(request, 404, str(error))
    return render(request, "registry/roll_counts.html", {"roll": counts})
