"""Site-wide pages."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from saylau.registry import services as registry


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "saylau_site/home.html", {"rolls": registry.published_rolls()})
