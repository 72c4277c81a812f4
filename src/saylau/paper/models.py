"""A station's protocol for one contest, its two operators' entries, and its revisions.

A protocol moves draft → (two entries agree, or a supervisor settles what differs) →
accepted, when every control relation holds; a protocol that breaks one stays a draft with
its failures. A recount adds a revision with a reason; the accepted revision with the highest
number counts, and the older ones are kept (superseded).
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from saylau.protocol.consolidation import DEFAULT_RECOUNT_MARGIN


class ScanStorage(FileSystemStorage):
    """MEDIA_ROOT, or `<var dir>/media` when the site sets none (never the working directory)."""

    @cached_property
    def base_location(self) -> str:
        media = self._value_or_setting(getattr(self, "_location", None), settings.MEDIA_ROOT)
        return str(media or Path(settings.VAR_DIR) / "media")


def scan_storage() -> ScanStorage:
    return ScanStorage()


class Protocol(models.Model):
    """Revision `revision` of the protocol of `station` for contest `contest`."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        CONFLICT = "conflict", _("entries differ")
        ACCEPTED = "accepted", _("accepted")
        SUPERSEDED = "superseded", _("superseded by a recount")

    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="+")
    station = models.ForeignKey("stations.Station", on_delete=models.PROTECT, related_name="+")
    contest = models.CharField(max_length=64)
    revision = models.PositiveIntegerField(default=1)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    reason = models.TextField(blank=True, default="")  # why a recount revision was made
    counts = models.JSONField(null=True, blank=True)  # the settled lines (FIELDS)
    options = models.JSONField(null=True, blank=True)  # the settled votes, option id → n
    failures = models.JSONField(default=list, blank=True)  # [{"code", "params"}] of a draft
    scan = models.FileField(upload_to="paper/scans/", storage=scan_storage, null=True, blank=True)
    scan_sha256 = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    # The round of double entry being typed: a conflict sent back for re-entry, or a settled
    # draft corrected, starts the next round; every round's entries are kept.
    entry_round = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["station", "contest", "revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["election", "station", "contest", "revision"], name="paper_protocol_rev"
            ),
            # The record's rule (protocol.documents.check_revision): a recount says why, the
            # first count gives no reason. Held here so no stored row breaks the results.
            models.CheckConstraint(
                condition=(Q(revision=1) & Q(reason="")) | (Q(revision__gt=1) & ~Q(reason="")),
                name="paper_protocol_reason",
            ),
        ]
        permissions = [
            ("enter_protocol", "Can enter a paper protocol of their station"),
            ("resolve_protocol", "Can settle the differing entries of a paper protocol"),
            ("upload_scan", "Can upload the scan of a signed paper protocol"),
            ("mark_voted", "Can upload who voted on paper at their station"),
            ("open_recount", "Can open a recount of a paper protocol"),
            ("any_station", "Can act for every paper station"),
        ]

    @property
    def is_counting(self) -> bool:
        """Accepted or superseded: a protocol with its counts, options and scan hash."""
        return self.status in (self.Status.ACCEPTED, self.Status.SUPERSEDED)


class ProtocolEntry(models.Model):
    """One operator's typing of a protocol (entry 1 or 2 of a round of double entry)."""

    protocol = models.ForeignKey(Protocol, on_delete=models.CASCADE, related_name="entries")
    round = models.PositiveIntegerField(default=1)
    number = models.PositiveSmallIntegerField()  # 1 or 2
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    counts = models.JSONField()
    options = models.JSONField()
    entered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["protocol", "round", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["protocol", "round", "number"], name="paper_entry_round_number"
            )
        ]


class Resolution(models.Model):
    """A supervisor's settlement of the lines two entries of a round disagree on.

    `values` = {"counts": {line: n}, "options": {option id: n}}: only the differing lines; the
    others are what both operators typed."""

    protocol = models.ForeignKey(Protocol, on_delete=models.CASCADE, related_name="resolutions")
    round = models.PositiveIntegerField()
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    values = models.JSONField()
    resolved_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["protocol", "round"]
        constraints = [
            models.UniqueConstraint(fields=["protocol", "round"], name="paper_resolution_round")
        ]


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
        verbose_name = _("paper settings")
        verbose_name_plural = _("paper settings")

    def __str__(self) -> str:
        return str(self.election_id)
