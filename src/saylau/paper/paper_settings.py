"""An election's paper settings: the recount margin (a contest whose winners lead by at most
this many votes, or that ties, is flagged for recount; default 2), and its staff page.

Its own module beside models.py (which the protocol workflow owns); the app's `ready` imports
it through `record_parts`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import admin
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from saylau.elections.audit import audit
from saylau.elections.models import Election
from saylau.protocol.consolidation import DEFAULT_RECOUNT_MARGIN

if TYPE_CHECKING:
    _PaperSettingsAdmin = admin.ModelAdmin["PaperSettings"]
else:
    _PaperSettingsAdmin = admin.ModelAdmin


class PaperSettings(models.Model):
    """The paper settings of one election (absent: the defaults)."""

    election = models.OneToOneField(
        "elections.Election", on_delete=models.CASCADE, related_name="+"
    )
    recount_margin = models.PositiveIntegerField(
        _("recount margin"),
        default=DEFAULT_RECOUNT_MARGIN,
        help_text=_(
            "A contest is flagged for recount when it ties or its winners lead by at most "
            "this many votes."
        ),
    )

    class Meta:
        app_label = "paper"
        verbose_name = _("paper settings")
        verbose_name_plural = _("paper settings")

    def __str__(self) -> str:
        return str(self.election_id)


def recount_margin(election: Election) -> int:
    """The election's recount margin (DEFAULT_RECOUNT_MARGIN unless set)."""
    found = (
        PaperSettings.objects.filter(election=election)
        .values_list("recount_margin", flat=True)
        .first()
    )
    return DEFAULT_RECOUNT_MARGIN if found is None else found


@admin.register(PaperSettings)
class PaperSettingsAdmin(_PaperSettingsAdmin):
    list_display = ("election", "recount_margin")

    def save_model(
        self, request: HttpRequest, obj: PaperSettings, form: object, change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        audit(
            obj.election,
            f"user:{request.user.get_username()}",
            "paper.recount_margin_set",
            recount_margin=obj.recount_margin,
        )
