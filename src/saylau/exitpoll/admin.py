"""Staff pages for the exit polls: a poll and its pollsters (the design and the sample are
made on the pollster's pages, not here), interviewers, and the entries, read only."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.http import HttpRequest

from saylau.exitpoll.models import Entry, Interviewer, Poll

if TYPE_CHECKING:
    _Admin = admin.ModelAdmin[Any]
else:
    _Admin = admin.ModelAdmin


@admin.register(Poll)
class PollAdmin(_Admin):
    list_display = ("name", "organisation", "election", "contest", "seed", "designed_at")
    filter_horizontal = ("pollsters",)
    readonly_fields = (
        "margin",
        "response_rate",
        "quota",
        "turnout",
        "seed",
        "design",
        "designed_at",
    )


@admin.register(Interviewer)
class InterviewerAdmin(_Admin):
    list_display = ("full_name", "poll", "user")
    list_filter = ("poll",)
    filter_horizontal = ("stations",)


@admin.register(Entry)
class EntryAdmin(_Admin):
    list_display = ("received_at", "poll", "station_code", "kind", "option", "status")
    list_filter = ("poll", "status", "kind")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
