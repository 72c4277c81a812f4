"""Staff pages for the observer network: organisations with their charter signature and
headquarters, observers, accreditations, checklists and training (the day's reports are
read on the HQ page and are not edited here)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.db import models

from saylau.observation.models import (
    Accreditation,
    CharterSignature,
    Checklist,
    Headquarters,
    Observer,
    Organisation,
    TrainingModule,
    TrainingSession,
)

if TYPE_CHECKING:
    _Admin = admin.ModelAdmin[Any]
    _Stacked = admin.StackedInline[Any, Any]
    _Tabular = admin.TabularInline[Any, Any]
else:
    _Admin = admin.ModelAdmin
    _Stacked = admin.StackedInline
    _Tabular = admin.TabularInline


class SignatureInline(_Stacked):
    model = CharterSignature
    extra = 0


class HeadquartersInline(_Tabular):
    model = Headquarters
    filter_horizontal = ("coordinators",)
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(_Admin):
    list_display = ("name", "slug", "website")
    prepopulated_fields = {"slug": ("name",)}
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    inlines = (SignatureInline, HeadquartersInline)


@admin.register(Observer)
class ObserverAdmin(_Admin):
    list_display = ("full_name", "organisation", "region", "status")
    list_filter = ("organisation", "status", "region")
    search_fields = ("full_name",)
    raw_id_fields = ("user",)


@admin.register(Accreditation)
class AccreditationAdmin(_Admin):
    list_display = ("station", "observer", "organisation", "role", "status", "checked_in_at")
    list_filter = ("organisation", "role", "status")
    raw_id_fields = ("observer", "station")
    readonly_fields = ("checked_in_at", "checked_out_at", "promoted_at")


@admin.register(Checklist)
class ChecklistAdmin(_Admin):
    list_display = ("election", "phase")


@admin.register(TrainingModule)
class TrainingModuleAdmin(_Admin):
    list_display = ("organisation", "pass_mark")


@admin.register(TrainingSession)
class TrainingSessionAdmin(_Admin):
    list_display = ("hq", "starts_at", "place")
    filter_horizontal = ("attendees",)
