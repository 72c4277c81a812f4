"""Staff pages for elections: create (manifest file or forms), read-only manifest, lifecycle
actions, seats, and the audit log. Every change goes through saylau.elections.services."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from saylau.elections import lifecycle, services
from saylau.elections.forms import ContestFormSet, ElectionCreateForm, aware, build_manifest
from saylau.elections.models import AuditEvent, Election, Seat
from saylau.errors import UserError

if TYPE_CHECKING:
    # django-stubs makes the admin's classes generic in their models; Django's own classes
    # are not subscriptable at run time, so only the type checker sees the parameters.
    _SeatInline = admin.TabularInline[Seat, Election]
    _ElectionAdmin = admin.ModelAdmin[Election]
    _AuditEventAdmin = admin.ModelAdmin[AuditEvent]
else:
    _SeatInline = admin.TabularInline
    _ElectionAdmin = _AuditEventAdmin = admin.ModelAdmin


def _actor(request: HttpRequest) -> str:
    return f"user:{request.user.get_username()}"


class SeatInline(_SeatInline):
    model = Seat
    # A tuple fits the stubs' types of both attributes (one list cannot: their items differ).
    fields = readonly_fields = ("role", "index", "name", "created_at", "finished_at")
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Election)
class ElectionAdmin(_ElectionAdmin):
    list_display = ["slug", "status", "opens_at", "closes_at", "trustees", "threshold"]
    list_filter = ["status"]
    inlines = [SeatInline]
    actions = ["advance_selected", "close_ceremony_phase"]
    fields = [
        "slug",
        "status",
        "ceremony_phase",
        "opens_at",
        "closes_at",
        "ip_policy",
        "ip_limit_per_hour",
        "trustees",
        "threshold",
        "joint_public_key",
        "fingerprint",
        "board_public_key",
        "manifest_display",
    ]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f for f in self.fields if isinstance(f, str) and f not in ("opens_at", "closes_at")]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # audit events refer to elections: nothing is ever deleted

    @admin.display(description=gettext_lazy("key ceremony"))
    def ceremony_phase(self, obj: Election) -> str:
        return str(services.ceremony_state(obj)["phase"])

    @admin.display(description=gettext_lazy("manifest"))
    def manifest_display(self, obj: Election) -> str:
        text = json.dumps(obj.manifest, ensure_ascii=False, indent=2, sort_keys=True)
        return format_html("<pre style='max-height:40em;overflow:auto'>{}</pre>", text)

    def save_model(self, request: HttpRequest, obj: Election, form: Any, change: bool) -> None:
        if not self.has_run_permission(request):
            raise PermissionDenied
        try:
            services.set_schedule(obj, obj.opens_at, obj.closes_at, actor=_actor(request))
        except UserError as error:
            self.message_user(request, str(error), messages.ERROR)

    def has_run_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.has_perm("elections.run_election"))

    def add_view(self, request: HttpRequest, form_url: str = "", extra_context: Any = None) -> Any:
        if not self.has_add_permission(request) or not self.has_run_permission(request):
            raise PermissionDenied
        form = ElectionCreateForm(
            request.POST or None, request.FILES or None, initial={"trustees": 3, "threshold": 2}
        )
        contests = ContestFormSet(request.POST or None, prefix="contests")
        error = ""
        if request.method == "POST" and form.is_valid():
            try:
                election = self._create(request, form, contests)
            except UserError as problem:
                error = str(problem)
            else:
                if election is not None:
                    return self._tokens(request, election)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Create an election"),
            "form": form,
            "contests": contests,
            "error": error,
        }
        return TemplateResponse(request, "elections/admin/create.html", context)

    def _create(
        self, request: HttpRequest, form: ElectionCreateForm, contests: Any
    ) -> Election | None:
        data = form.cleaned_data
        options = {
            "actor": _actor(request),
            "trustees": data["trustees"],
            "threshold": data["threshold"],
            "opens_at": aware(data["opens_at"]),
            "closes_at": aware(data["closes_at"]),
            "ip_policy": data["ip_policy"],
            "ip_limit_per_hour": data["ip_limit_per_hour"],
        }
        upload = data.get("manifest_file")
        if upload:
            return services.create_election_from_file(upload.read(), upload.name or "", **options)
        if not contests.is_valid():
            return None
        filled = [c for c in contests.cleaned_data if c]
        if not filled:
            raise UserError(_("Give a manifest file or at least one contest."))
        return services.create_election(build_manifest(form, filled), **options)

    def _tokens(self, request: HttpRequest, election: Election) -> HttpResponse:
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Seat tokens"),
            "election": election,
            "tokens": election.issued_tokens,
        }
        return TemplateResponse(request, "elections/admin/tokens.html", context)

    @admin.action(
        description=gettext_lazy("Move the selected elections to their next stage"),
        permissions=["run"],
    )
    def advance_selected(self, request: HttpRequest, queryset: QuerySet[Election]) -> None:
        for election in queryset:
            target = lifecycle.next_status(election)
            if target is None:
                continue
            try:
                moved = services.transition(election, target, actor=_actor(request))
            except UserError as error:
                self.message_user(request, f"{election.slug}: {error}", messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("%(slug)s is now: %(stage)s")
                    % {"slug": moved.slug, "stage": moved.get_status_display()},
                )

    @admin.action(
        description=gettext_lazy("Close the key ceremony's current phase (silent trustees)"),
        permissions=["run"],
    )
    def close_ceremony_phase(self, request: HttpRequest, queryset: QuerySet[Election]) -> None:
        for election in queryset:
            try:
                ceremony = services.force_ceremony_phase(election, actor=_actor(request))
            except UserError as error:
                self.message_user(request, f"{election.slug}: {error}", messages.ERROR)
            else:
                self.message_user(request, f"{election.slug}: {ceremony.get_phase_display()}")


@admin.register(AuditEvent)
class AuditEventAdmin(_AuditEventAdmin):
    list_display = ["at", "election", "actor", "action"]
    list_filter = ["action", "election"]
    readonly_fields = ["election", "at", "actor", "action", "details"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
