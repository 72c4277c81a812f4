"""Public pages: "check my ballot" (the browser verifies the board's answer itself, with
frontend/src/pages/check.js) and how this election can be verified, and by whom."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from saylau.board.models import LeafKind
from saylau.voting import public
from saylau.voting.views import election_or_404

#: Stands for the tracking code in the look-up URL the page script fills in.
CODE_SLOT = "CODE"


def messages() -> dict[str, str]:
    """What the page script says, in the page's language (the script holds no text)."""
    return {
        "invalid": _("A tracking code has 64 characters 0–9 and a–f."),
        "checking": _("Checking in this browser…"),
        "network": _("The server could not be reached. Check your connection and try again."),
        "not_found": _("No ballot with this tracking code is on the board."),
        "not_open": _("The board opens when voting opens."),
        "verified": _("Verified: this ballot is on the bulletin board."),
        "verified_detail": _(
            "This browser checked the board's signature on its latest tree head and the "
            "proof that this ballot is a leaf under that head."
        ),
        "failed": _("Not verified: the board's answer does not hold."),
        "failed_detail": _(
            "Do not rely on this answer. Keep your receipt, try again later, and report it "
            "to the party's control committee."
        ),
        "fail.head": _("The signature on the tree head is not the board's."),
        "fail.inclusion": _("The proof that the ballot is in the board's log does not hold."),
        "fail.leaf": _("The leaf the server sent is not the ballot with this tracking code."),
        "fail.election": _(
            "The election's fingerprint does not match its manifest and joint public key."
        ),
        "fail.replaced": _(
            "The server says a re-vote replaced this ballot, but that re-vote does not check."
        ),
        "fail.other": _("The board's answer is malformed."),
        "technical": _("Technical detail"),
        "leaf": _("Leaf"),
        "leaf_of": _("%(index)s of %(size)s"),
        "recorded": _("Recorded at"),
        "kind": _("Kind"),
        "status": _("Does it count?"),
        "latest": _("This is the voter's latest ballot so far: it counts unless replaced later."),
        "superseded": _(
            "A later ballot of the same voter (a re-vote) replaced this one: only the "
            "latest ballot counts."
        ),
        "check_newer": _("Check the newer ballot"),
        "ballot": _("The ballot on the board"),
        "head": _("Signed tree head"),
        "head_size": _("Leaves"),
        "head_time": _("Signed at"),
        "root": _("Root hash"),
        "board_key": _("Board public key"),
        **{f"kind.{kind}": str(label) for kind, label in LeafKind.choices},
    }


def check_page(request: HttpRequest, slug: str) -> HttpResponse:
    election = election_or_404(request, slug)
    if isinstance(election, HttpResponse):
        return election
    data = {
        "election_url": reverse("api:election_info", kwargs={"slug": slug}),
        "ballot_url": reverse("api:board_ballot", kwargs={"slug": slug, "code": CODE_SLOT}),
        "code_slot": CODE_SLOT,
        "messages": messages(),
    }
    return render(request, "voting/check.html", {"election": election, "check_data": data})


def how_to_verify(request: HttpRequest, slug: str) -> HttpResponse:
    election = election_or_404(request, slug)
    if isinstance(election, HttpResponse):
        return election
    language = request.LANGUAGE_CODE
    context: dict[str, Any] = {
        "election": election,
        "fingerprint": public.election_parameters(election, language)["fingerprint"],
        "record_available": public.record_zip(election) is not None,
    }
    return render(request, "voting/how_to_verify.html", context)
