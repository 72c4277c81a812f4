"""Site-wide pages."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from saylau.registry import services as registry
from saylau.voting import public


def home(request: HttpRequest) -> HttpResponse:
    elections = [
        {"election": e, "voting_over": public.voting_over(e)} for e in public.listed_elections()
    ]
    context = {"elections": elections, "rolls": registry.published_rolls()}
    return render(request, "saylau_site/home.html", context)
