"""The incident taxonomy: stable codes (stored, exported) and their labels."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

CATEGORIES = {
    "observer_obstructed": _("Observer obstructed or removed"),
    "ballot_stuffing": _("Ballot stuffing"),
    "carousel": _("Carousel or multiple voting"),
    "voter_pressure": _("Pressure on voters or vote buying"),
    "secrecy": _("Secrecy of the vote broken"),
    "list_irregularity": _("Voter list irregularity"),
    "counting": _("Counting irregularity"),
    "protocol_refused": _("Protocol copy refused"),
    "procedure": _("Other breach of procedure"),
    "other": _("Other"),
}
