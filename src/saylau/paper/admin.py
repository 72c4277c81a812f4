"""Read-only staff views of protocols, their entries and settlements: every change goes
through double entry (the commission's pages), never through the admin."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from saylau.elections.audit import audit
from saylau.paper.models import PaperSettings, Protocol, ProtocolEntry, Resolution


class ReadOnly(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Protocol)
class ProtocolAdmin(ReadOnly):
    list_display = ("station", "contest", "revision", "status", "scan_sha256", "accepted_at")
    list_filter = ("status", "election")
    search_fields = ("station__code", "contest")


@admin.register(ProtocolEntry)
class ProtocolEntryAdmin(ReadOnly):
    list_display = ("protocol", "round", "number", "operator", "entered_at")


@admin.register(Resolution)
class ResolutionAdmin(ReadOnly):
    list_display = ("protocol", "round", "supervisor", "resolved_at")


@admin.register(PaperSettings)
class PaperSettingsAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
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
