"""Staff pages for the roll: members (with file import and exclusion), imports, election rolls."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from saylau.registry import services
from saylau.registry.forms import ExcludeForm, ImportForm, MemberForm, RollSnapshotForm
from saylau.registry.models import (
    District,
    ImportBatch,
    Member,
    RollDistrictCount,
    RollSnapshot,
)

REPORT_LINES_SHOWN = 1000

if TYPE_CHECKING:
    # django-stubs makes the admin's classes generic in their models; Django's own classes
    # are not subscriptable at run time, so only the type checker sees the parameters.
    _DistrictAdmin = admin.ModelAdmin[District]
    _MemberAdmin = admin.ModelAdmin[Member]
    _ImportBatchAdmin = admin.ModelAdmin[ImportBatch]
    _RollDistrictCountInline = admin.TabularInline[RollDistrictCount, RollSnapshot]
    _RollSnapshotAdmin = admin.ModelAdmin[RollSnapshot]
else:
    _DistrictAdmin = _MemberAdmin = _ImportBatchAdmin = _RollSnapshotAdmin = admin.ModelAdmin
    _RollDistrictCountInline = admin.TabularInline


@admin.register(District)
class DistrictAdmin(_DistrictAdmin):
    list_display = ["code", "name_kk", "name_ru", "name_en", "is_city"]
    ordering = ["code"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Member)
class MemberAdmin(_MemberAdmin):
    form = MemberForm
    list_display = ["full_name", "district", "join_date", "status"]
    list_filter = ["status", "district"]
    search_fields = ["=iin", "full_name", "=phone"]
    search_help_text = gettext_lazy("Search by full name, or by the exact IIN or phone (+7…).")
    list_select_related = ["district"]
    show_full_result_count = False
    readonly_fields = ["import_batch"]
    actions = ["exclude_selected"]
    change_list_template = "registry/admin/member_change_list.html"

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # members are excluded, never deleted: rolls refer to them

    def get_urls(self) -> list[Any]:
        custom = [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="registry_member_import",
            )
        ]
        return custom + super().get_urls()

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        report = None
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                report = services.import_members(
                    upload.read(),
                    source_name=upload.name or "",
                    dry_run=form.cleaned_data["dry_run"],
                    user=request.user,
                )
            except services.RegistryError as error:
                form.add_error("file", str(error))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import members"),
            "form": form,
            "report": report,
            "shown": report.rejected[:REPORT_LINES_SHOWN] if report else [],
            "hidden": max(0, report.rejected_count - REPORT_LINES_SHOWN) if report else 0,
        }
        return TemplateResponse(request, "registry/admin/import.html", context)

    @admin.action(description=gettext_lazy("Exclude the selected members"), permissions=["change"])
    def exclude_selected(self, request: HttpRequest, queryset: QuerySet[Member]) -> Any:
        form = ExcludeForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            done = 0
            for member in queryset.filter(status=Member.Status.ACTIVE):
                try:
                    services.exclude_member(
                        member.pk, reason=form.cleaned_data["reason"], on=form.cleaned_data["on"]
                    )
                    done += 1
                except services.RegistryError as error:
                    self.message_user(request, f"{member}: {error}", messages.ERROR)
            self.message_user(request, _("Members excluded: %(count)d.") % {"count": done})
            return HttpResponseRedirect(request.get_full_path())
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Exclude members"),
            "form": form,
            "members": queryset,
            "selected": request.POST.getlist(ACTION_CHECKBOX_NAME),
        }
        return TemplateResponse(request, "registry/admin/exclude.html", context)


@admin.register(ImportBatch)
class ImportBatchAdmin(_ImportBatchAdmin):
    list_display = [
        "source_name",
        "created_at",
        "created_by",
        "total_lines",
        "accepted",
        "rejected",
    ]
    readonly_fields = [f.name for f in ImportBatch._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class RollDistrictCountInline(_RollDistrictCountInline):
    model = RollDistrictCount
    fields = ["district", "count"]
    readonly_fields = ["district", "count"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(RollSnapshot)
class RollSnapshotAdmin(_RollSnapshotAdmin):
    form = RollSnapshotForm
    list_display = ["election", "freeze_date", "status", "closed_at", "total"]
    list_filter = ["status"]
    actions = ["close_selected"]

    def get_inlines(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        return [RollDistrictCountInline] if obj is not None and obj.is_closed else []

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        fixed = ["status", "created_at", "closed_at", "total", "digest"]
        if obj is None:
            return fixed
        if obj.is_closed:
            return ["election", "freeze_date", *fixed]
        return ["election", *fixed]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: RollSnapshot, form: Any, change: bool) -> None:
        if change:
            services.set_freeze_date(obj.election, obj.freeze_date)
        else:
            saved = services.open_roll(obj.election, obj.freeze_date)
            obj.pk = saved.pk

    @admin.action(
        description=gettext_lazy("Close the selected rolls (fixes the list of members)"),
        permissions=["close"],
    )
    def close_selected(self, request: HttpRequest, queryset: QuerySet[RollSnapshot]) -> None:
        for roll in queryset:
            try:
                closed = services.close_roll(roll.election, now=timezone.now())
            except services.RegistryError as error:
                self.message_user(request, f"{roll.election}: {error}", messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("Roll %(election)s is closed; members on the roll: %(total)d.")
                    % {"election": closed.election, "total": closed.total or 0},
                )

    def has_close_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("registry.close_rollsnapshot")

    def view_on_site(self, obj: RollSnapshot) -> str | None:
        return reverse("registry:roll-counts", args=[obj.election]) if obj.is_closed else None
