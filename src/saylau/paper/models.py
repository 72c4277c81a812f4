"""A station's protocol for one contest, its two operators' entries, and its revisions.

A protocol moves draft → (two entries agree, or a supervisor settles what differs) →
accepted, when every control relation holds; a protocol that breaks one stays a draft with
its failures. A recount adds a revision with a reason; the accepted revision with the highest
number counts, and the older ones are kept (superseded).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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
    scan = models.FileField(upload_to="paper/scans/", null=True, blank=True)
    scan_sha256 = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["station", "contest", "revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["election", "station", "contest", "revision"], name="paper_protocol_rev"
            )
        ]


class ProtocolEntry(models.Model):
    """One operator's typing of a protocol (entry 1 or 2 of the double entry)."""

    protocol = models.ForeignKey(Protocol, on_delete=models.CASCADE, related_name="entries")
    number = models.PositiveSmallIntegerField()  # 1 or 2
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    counts = models.JSONField()
    options = models.JSONField()
    entered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["protocol", "number"]
        constraints = [
            models.UniqueConstraint(fields=["protocol", "number"], name="paper_entry_number")
        ]
