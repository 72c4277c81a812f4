"""Polling stations, their commissions, and which members vote on paper at which station.

Beneath the elections and voting apps (decision 0020): the election is named by its model's
label, not imported. A station's `code` is its public id: the `precinct` of a paper override
on the board and the `station` of a published protocol.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Station(models.Model):
    """A polling station of an election, in one district of the manifest."""

    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="+")
    code = models.CharField(max_length=64)
    number = models.PositiveIntegerField()
    district = models.CharField(max_length=64)
    address = models.TextField(blank=True, default="")
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    #: the electors registered at the station, when the stations file gives them (decision
    #: 0048): the station's size in the sample designs when it has no paper voter list
    voters = models.PositiveIntegerField(
        null=True, blank=True, verbose_name=_("registered electors")
    )

    class Meta:
        ordering = ["district", "number"]
        verbose_name = _("polling station")
        verbose_name_plural = _("polling stations")
        permissions = [("view_voter_list", _("Can download a station's voter list"))]
        constraints = [
            models.UniqueConstraint(fields=["election", "code"], name="stations_station_code"),
            models.UniqueConstraint(fields=["election", "number"], name="stations_station_number"),
        ]

    def __str__(self) -> str:
        return self.code


class CommissionMember(models.Model):
    """A member of a station's commission; `user` is their account when they enter data."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("chair")
        DEPUTY = "deputy", _("deputy chair")
        SECRETARY = "secretary", _("secretary")
        MEMBER = "member", _("commission member")

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="commission")
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.MEMBER)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["station", "role", "name"]
        verbose_name = _("commission member")
        verbose_name_plural = _("commission members")

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"


class PaperAssignment(models.Model):
    """Member `member_id` of the election's roll votes on paper at station `station` (its code)."""

    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="+")
    member_id = models.BigIntegerField()
    station = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("paper voter")
        verbose_name_plural = _("paper voters")
        indexes = [models.Index(fields=["election", "station"], name="stations_paper_station")]
        constraints = [
            models.UniqueConstraint(fields=["election", "member_id"], name="stations_paper_member")
        ]
