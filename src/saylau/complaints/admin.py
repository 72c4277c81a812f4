"""The admin: each election's committee rules (cases are worked on the committee's pages).
Each change of the rules is an audit event."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from saylau.complaints.models import CommitteeRules
from saylau.elections.audit import audit


@admin.register(CommitteeRules)
class CommitteeRulesAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("election", "deregistered_votes", "appeal_days", "review_days")

    def save_model(
        self, request: HttpRequest, obj: CommitteeRules, form: object, change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        audit(
            obj.election,
            f"user:{request.user.get_username()}",
            "complaints.rules_set",
            deregistered_votes=obj.deregistered_votes,
            appeal_days=obj.appeal_days,
            review_days=obj.review_days,
        )
