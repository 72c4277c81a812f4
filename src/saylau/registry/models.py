"""Registry models: districts, members, imports, election roll snapshots.

Other apps read these through ``saylau.registry.services``, never by reaching
into the tables. ``__str__`` of a member never shows its IIN or phone, because
Django writes object representations into the admin log.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from saylau.registry import iin as iin_rules
from saylau.registry import phone as phone_rules

E164_KZ = re.compile(r"^\+7[67]\d{9}$")

if TYPE_CHECKING:
    # django-stubs makes fields generic in the types they set and get; Django's own classes
    # are not subscriptable at run time, so only the type checker sees the parameters.
    _CharField = models.CharField[str, str]
else:
    _CharField = models.CharField


def validate_iin(value: str) -> None:
    try:
        iin_rules.parse(value)
    except iin_rules.IINError as error:
        from saylau.registry.messages import problem_message

        raise ValidationError(problem_message("iin." + error.code), code="invalid_iin") from None


def validate_phone(value: str) -> None:
    if not E164_KZ.match(value) or not phone_rules.is_valid(value):
        raise ValidationError(
            _("Enter a Kazakhstan mobile number, for example +7 701 123 45 67."),
            code="invalid_phone",
        )


class IINField(_CharField):
    """``CHAR(12)``: an IIN always has exactly twelve digits."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["max_length"] = 12
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("max_length", None)
        return name, path, args, kwargs

    def db_type(self, connection: Any) -> str:
        # PostgreSQL's bulk_create casts to `<db_type up to "(">[]`: "char[]" is char(1) and
        # would cut every IIN to its first digit; "bpchar" is the same type, unbounded.
        return "bpchar(12)" if connection.vendor == "postgresql" else "char(12)"


class District(models.Model):
    """One of the 17 regions or 3 cities of republican significance (ISO 3166-2:KZ code)."""

    code = models.CharField(_("code"), max_length=8, primary_key=True)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=100)
    name_ru = models.CharField(_("name (Russian)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    is_city = models.BooleanField(_("city of republican significance"), default=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")

    @property
    def name(self) -> str:
        language = (get_language() or "kk")[:2]
        return {"ru": self.name_ru, "en": self.name_en}.get(language, self.name_kk)

    def __str__(self) -> str:
        return self.name


class ImportBatch(models.Model):
    """One applied import of a member file: who, when, which file, how many lines went in."""

    created_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    source_name = models.CharField(_("file name"), max_length=255)
    source_sha256 = models.CharField(_("file SHA-256"), max_length=64)
    total_lines = models.PositiveIntegerField(_("lines"))
    accepted = models.PositiveIntegerField(_("accepted"))
    rejected = models.PositiveIntegerField(_("rejected"))
    rejected_by_code = models.JSONField(_("rejections by reason"), default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("member import")
        verbose_name_plural = _("member imports")

    def __str__(self) -> str:
        return f"{self.source_name} ({self.created_at:%Y-%m-%d %H:%M})"


class Member(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        EXCLUDED = "excluded", _("excluded")

    iin = IINField(_("IIN"), unique=True, validators=[validate_iin])
    full_name = models.CharField(_("full name"), max_length=200)
    phone = models.CharField(
        _("phone"),
        max_length=16,
        validators=[validate_phone],
        help_text=_("E.164, for example +77011234567."),
    )
    district = models.ForeignKey(
        District, verbose_name=_("district"), on_delete=models.PROTECT, related_name="members"
    )
    join_date = models.DateField(_("join date"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    excluded_reason = models.TextField(_("reason for exclusion"), blank=True, default="")
    excluded_on = models.DateField(_("excluded on"), null=True, blank=True)
    import_batch = models.ForeignKey(
        ImportBatch,
        verbose_name=_("import"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )

    class Meta:
        ordering = ["full_name", "id"]
        verbose_name = _("member")
        verbose_name_plural = _("members")
        constraints = [
            # One phone, one vote: no two active members share a phone number.
            models.UniqueConstraint(
                fields=["phone"],
                condition=Q(status="active"),
                name="registry_member_active_phone_unique",
            ),
            models.CheckConstraint(
                condition=(
                    Q(status="active", excluded_on__isnull=True, excluded_reason="")
                    | (Q(status="excluded", excluded_on__isnull=False) & ~Q(excluded_reason=""))
                ),
                name="registry_member_exclusion_consistent",
            ),
        ]
        indexes = [models.Index(fields=["status", "join_date"], name="registry_member_roll_idx")]

    def __str__(self) -> str:
        return f"{self.full_name} (#{self.pk})" if self.pk else self.full_name

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.status == self.Status.EXCLUDED:
            if not self.excluded_reason.strip():
                errors["excluded_reason"] = _("Give the reason for the exclusion.")
            if self.excluded_on is None:
                errors["excluded_on"] = _("Give the date of the exclusion.")
        elif self.excluded_reason or self.excluded_on:
            errors["status"] = _(
                "An active member has no exclusion reason or date; clear them or set the "
                "status to excluded."
            )
        if self.join_date and self.iin and iin_rules.is_valid(self.iin):
            if self.join_date < iin_rules.parse(self.iin).birth_date:
                errors["join_date"] = _("The join date is before the birth date in the IIN.")
        if errors:
            raise ValidationError(errors)


class RollSnapshot(models.Model):
    """The roll of one election: a freeze date while open, a fixed list once closed.

    ``election`` is the election's identifier (a slug); the elections app refers
    to a roll by it, so the two stay decoupled.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    election = models.SlugField(_("election"), max_length=64, unique=True)
    freeze_date = models.DateField(
        _("membership freeze date"),
        help_text=_("Members who joined on or after this date are not on the roll."),
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    total = models.PositiveIntegerField(_("members on the roll"), null=True, blank=True)
    digest = models.CharField(_("snapshot digest (SHA-256)"), max_length=64, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("election roll")
        verbose_name_plural = _("election rolls")
        permissions = [("close_rollsnapshot", _("Can close an election roll"))]

    def __str__(self) -> str:
        return self.election

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED


class RollEntry(models.Model):
    """One member on a closed roll, with the district they belonged to at closing."""

    snapshot = models.ForeignKey(RollSnapshot, on_delete=models.CASCADE, related_name="entries")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="roll_entries")
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("roll entry")
        verbose_name_plural = _("roll entries")
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot", "member"], name="registry_rollentry_once_per_roll"
            )
        ]


class RollDistrictCount(models.Model):
    """Published count of members on a closed roll, per district."""

    snapshot = models.ForeignKey(
        RollSnapshot, on_delete=models.CASCADE, related_name="district_counts"
    )
    district = models.ForeignKey(
        District, verbose_name=_("district"), on_delete=models.PROTECT, related_name="+"
    )
    count = models.PositiveIntegerField(_("members"))

    class Meta:
        ordering = ["district__code"]
        verbose_name = _("district count")
        verbose_name_plural = _("district counts")
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot", "district"], name="registry_rolldistrictcount_unique"
            )
        ]
