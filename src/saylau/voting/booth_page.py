"""What the booth page shows and hands to its script: the voter's ballot (every contest with
its rule in plain words, its candidates' names and parties in the page's language) and the
data island booth.js reads (the election's public parameters, the voter's public
credential, the URLs it calls, its strings)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.templatetags.static import static
from django.urls import reverse

from saylau.elections import services as elections
from saylau.elections.models import Election
from saylau.voting import booth_text, public


def contests(election: Election, district: str, language: str) -> list[dict[str, Any]]:
    """The district's contests as the ballot form shows them."""
    manifest = elections.election_context(election).manifest
    shown = []
    for contest in manifest.contests_for(district):
        against = contest.against_all_index
        options = [
            {
                "index": j,
                "name": public.in_language(option.name, language, option.id),
                "party": public.in_language(option.party, language) if option.party else "",
                "against_all": option.against_all,
            }
            for j, option in enumerate(contest.options)
        ]
        against_name = None
        if against is not None:
            against_name = public.in_language(contest.options[against].name, language)
        shown.append(
            {
                "id": contest.id,
                "name": public.in_language(contest.name, language, contest.id),
                "rule": booth_text.rule_text(contest, against_name),
                "min": contest.min_marks,
                "max": contest.max_marks,
                "against_all": against,
                "options": options,
            }
        )
    return shown


def island(
    request: HttpRequest,
    election: Election,
    status: dict[str, Any],
    shown: list[dict[str, Any]],
) -> dict[str, Any]:
    """The data island (json_script): everything the page script needs, nothing secret."""
    slug = election.slug
    return {
        "slug": slug,
        "manifest": election.manifest,
        "joint_public_key": election.joint_public_key,
        "fingerprint": elections.election_context(election).fingerprint.hex(),
        "board_public_key": election.board_public_key,
        "district": status["district"],
        "credential": status["credential"],
        "contests": [
            {
                "id": c["id"],
                "name": c["name"],
                "min": c["min"],
                "max": c["max"],
                "against_all": c["against_all"],
                "options": [o["name"] for o in c["options"]],
                "parties": [o["party"] for o in c["options"]],
            }
            for c in shown
        ],
        "urls": {
            "cast": reverse("voting:booth-cast", args=[slug]),
            "lookup": f"/api/voting/{slug}/board/ballots/",
            "check": reverse("voting:check", args=[slug]),
            "sign_in": reverse("voting:sign-in", args=[slug]),
            "worker": static("saylau_site/js/booth-worker.js"),
        },
        "csrf_token": get_token(request),
        "strings": booth_text.strings(),
    }
