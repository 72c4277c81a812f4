"""The HQ's PVT page (/<lang>/hq/<election>/pvt/): the sample design for a target margin and
a public seed, the drawn stations, and the estimate from the observers' copies against the
official result, the numbers written for the page's language. Thin: pvt_page does it."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import numberformat, translation
from django.utils.translation import gettext as _

from saylau.elections import services as elections
from saylau.i18n import gettext_noop
from saylau.observation import pvt_page
from saylau.observation.roles import require_headquarters
from saylau.observation.views import observer_page
from saylau.protocol.manifest import manifest_from_json
from saylau.stations.services import describe_sizes
from saylau.survey.design import ALLOCATIONS
from saylau.survey.errors import SurveyError
from saylau.voting.public import in_language

DEFAULT_MARGIN = "0.02"
#: (decimal mark, thousands separator) per language: Kazakh and Russian write 1 964,5
#: (a no-break space), English 1,964.5; Django has no Kazakh number format of its own
SEPARATORS = {"kk": (",", "\u00a0"), "ru": (",", "\u00a0"), "en": (".", ",")}


def number(value: float | int, places: int = 0) -> str:
    """`value` rounded to `places` decimals, written for the active language."""
    mark, thousands = SEPARATORS.get(translation.get_language() or "kk", SEPARATORS["en"])
    rounded = round(value, places) if places else round(value)
    return numberformat.format(
        rounded, mark, places, grouping=3, thousand_sep=thousands, force_grouping=True
    )


def percent(value: float) -> str:
    """A share as a percentage with two decimals, in the page's language (50,03 % in kk/ru)."""
    return f"{number(100 * value, 2)}\u00a0%"


def _margin(text: str) -> float:
    try:
        return float(text.replace(",", ".").strip())
    except ValueError:
        raise SurveyError("survey.margin", margin=text) from None


def _spread(
    request: HttpRequest, found: Any, contest: Any, frame: pvt_page.Frame
) -> pvt_page.Spread:
    """The spread typed in the link (SurveyError if it is not a number in (0, 0.5]), else
    the one estimated from the data."""
    text = request.GET.get("sd", "").strip()
    if not text:
        return pvt_page.spread(request.user, found, contest, frame)
    try:
        sd = float(text.replace(",", "."))
    except ValueError:
        raise SurveyError("survey.sd", sd=text) from None
    if not 0 < sd <= 0.5:
        raise SurveyError("survey.sd", sd=text)
    return pvt_page.Spread(sd, "given")


#: what the page says of the spread it planned with, by its source
SPREAD_TEXTS = {
    "given": gettext_noop("Spread of a share between stations: %(sd)s, as given in the link."),
    "official": gettext_noop(
        "Spread of a share between stations: %(sd)s, estimated from the official results of"
        " %(n)s stations (the option whose share varies most)."
    ),
    "copies": gettext_noop(
        "Spread of a share between stations: %(sd)s, estimated from the observers' copies of"
        " %(n)s stations (the option whose share varies most)."
    ),
    "assumed": gettext_noop(
        "Spread of a share between stations: %(sd)s, assumed: there are no results or copies"
        " yet to estimate it from."
    ),
}


def _ratio_rows(found: pvt_page.Estimated, names: dict[str, str]) -> list[dict[str, Any]]:
    if found.estimate is None:
        return []
    r = found.estimate.shares
    rows = []
    for j, oid in enumerate(found.options):
        row = _entry(r, j, names.get(oid, oid), found.shares[j] if found.shares else None)
        rows.append(row)
    if found.estimate.turnout is not None:
        rows.append(_entry(found.estimate.turnout, 0, _("Turnout"), found.turnout))
    return rows


def _entry(r: Any, j: int, name: str, official: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "name": name,
        "estimate": percent(float(r.estimate[j])),
        "interval": f"{percent(float(r.low[j]))} – {percent(float(r.high[j]))}",
        "bootstrap": (
            f"{percent(float(r.boot_low[j]))} – {percent(float(r.boot_high[j]))}"
            if r.boot_low is not None
            else "—"
        ),
        "official": "—",
        "inside": None,
    }
    if official is not None:
        row["official"] = percent(official.official)
        row["inside"] = official.inside_analytic
        row["difference"] = number(100 * official.difference, 2)
    return row


@observer_page
def page(request: HttpRequest, election: str) -> HttpResponse:
    found = elections.get_election(election)
    require_headquarters(request.user)
    language = request.LANGUAGE_CODE
    manifest = manifest_from_json(found.manifest)
    contest = pvt_page.contest_of(found, request.GET.get("contest", ""))
    margin_text = request.GET.get("margin", DEFAULT_MARGIN)
    seed = request.GET.get("seed", "").strip()
    allocation = request.GET.get("allocation", "proportional")
    if allocation not in ALLOCATIONS:
        allocation = "proportional"
    frame = pvt_page.frame(found, contest)
    sd_text = request.GET.get("sd", "").strip()
    context: dict[str, Any] = {
        "election": found,
        "contests": [(c.id, in_language(c.name, language, c.id)) for c in manifest.contests],
        "contest": contest,
        "margin": margin_text,
        "seed": seed,
        "allocation": allocation,
        "allocations": ALLOCATIONS,
        "frame": len(frame.stations),
        "sd": sd_text,
        "sizes_text": describe_sizes(frame.size_sources),
    }
    names = {o.id: in_language(o.name, language, o.id) for o in contest.options}
    try:
        used = _spread(request, found, contest, frame)
        drawn = pvt_page.draw(
            frame, margin=_margin(margin_text), seed=seed, allocation=allocation, sd=used.sd
        )
    except SurveyError as error:
        context["error"] = pvt_page.survey_message(error)
        return render(request, "observation/pvt.html", context, status=400)
    context["design"] = drawn.design
    context["spread"] = used
    sd_shown = number(used.sd, pvt_page.SD_PLACES)
    context["spread_text"] = _(SPREAD_TEXTS[used.source]) % {"sd": sd_shown, "n": used.stations}
    kept = {"contest": contest.id, "margin": margin_text, "allocation": allocation}
    context["design_link"] = "?" + urlencode({**kept, "seed": seed, "sd": f"{used.sd:g}"})
    context["strata"] = [
        (h, drawn.design.sizes[h], drawn.design.sample[h]) for h in sorted(drawn.design.sizes)
    ]
    context["expected"] = percent(drawn.design.expected_margin)
    context["n_text"] = number(drawn.design.n)
    context["confidence"] = f"{number(100 * drawn.design.confidence)}\u00a0%"
    context["frame_text"] = number(len(frame.stations))
    if seed:
        estimated = pvt_page.estimate(request.user, found, contest, drawn, frame)
        context["drawn"] = drawn.stations
        context["estimated"] = estimated
        context["estimate"] = estimated.estimate
        context["table"] = _ratio_rows(estimated, names)
    return render(request, "observation/pvt.html", context)
