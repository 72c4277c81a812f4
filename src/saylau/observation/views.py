"""The observer's phone pages (/<lang>/observe/…): their accreditations, and one station's
reports (check-in/out, checklists, incidents). The page's script sends through the API and
its service worker queues what cannot be sent yet. Thin: each page reads a service."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation

from saylau.observation.errors import NotFound
from saylau.observation.incidents import CATEGORIES
from saylau.observation.models import Accreditation, Checklist
from saylau.observation.roles import observer_of
from saylau.paper.entry import keys_of
from saylau.paper.forms import label_of
from saylau.protocol.manifest import manifest_from_json
from saylau.stations.models import Station
from saylau.web.pages import user_page
from saylau.web.service_worker import worker_response

View = Callable[..., HttpResponseBase]
WORKER = "saylau_site/js/observe-sw.js"


#: Sign-in first; a refusal becomes its error page in the user's language.
observer_page = user_page("observation:login")


@observer_page
def home(request: HttpRequest) -> HttpResponse:
    observer = observer_of(request.user)
    rows = Accreditation.objects.filter(observer=observer).select_related("station")
    return render(request, "observation/home.html", {"observer": observer, "rows": rows})


def _items(checklist: Checklist, language: str) -> list[dict[str, str]]:
    return [
        {"id": str(item["id"]), "text": str(item.get(language) or item.get("en") or item["id"])}
        for item in checklist.items
    ]


@observer_page
def station(request: HttpRequest, pk: int) -> HttpResponse:
    observer = observer_of(request.user)
    found = Accreditation.objects.filter(observer=observer, pk=pk).select_related("station")
    accreditation = found.first()
    if accreditation is None:
        raise NotFound(_no_accreditation())
    language = translation.get_language() or "kk"
    checklists = [
        {"phase": c.phase, "label": c.get_phase_display(), "items": _items(c, language)}
        for c in Checklist.objects.filter(election_id=accreditation.station.election_id)
    ]
    context = {
        "contests": _contests(accreditation.station, language),
        "a": accreditation,
        "station": accreditation.station,
        "checklists": checklists,
        "categories": [(code, label) for code, label in CATEGORIES.items()],
        "scope": reverse("observation:home"),
    }
    return render(request, "observation/station.html", context)


def _contests(station: Station, language: str) -> list[dict[str, Any]]:
    """The station's contests with the lines of their protocol, for the copy's form."""
    manifest = manifest_from_json(station.election.manifest)
    return [
        {
            "id": contest.id,
            "lines": [
                {"name": f"{k[0]}.{k[1]}", "label": label_of(contest, k, language)}
                for k in keys_of(contest)
            ],
        }
        for contest in manifest.contests_for(station.district)
    ]


def _no_accreditation() -> str:
    from django.utils.translation import gettext as _

    return _("You have no such accreditation.")


def service_worker(request: HttpRequest) -> HttpResponse:
    """The observer pages' service worker, served from a path whose scope covers them."""
    return worker_response(WORKER)


def charter(request: HttpRequest) -> HttpResponse:
    """The observation charter and the organisations that signed it (public)."""
    from saylau.observation.models import CharterSignature

    signatures = CharterSignature.objects.select_related("organisation").order_by("signed_at")
    return render(request, "observation/charter.html", {"signatures": signatures})
