"""Staff pages for polling stations and their commissions (imports run from the CLI)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from saylau.stations.models import CommissionMember, Station

if TYPE_CHECKING:
    # django-stubs makes the admin's classes generic in their models; Django's own classes
    # are not subscriptable at run time, so only the type checker sees the parameters.
    _CommissionInline = admin.TabularInline[CommissionMember, Station]
    _StationAdmin = admin.ModelAdmin[Station]
    _CommissionMemberAdmin = admin.ModelAdmin[CommissionMember]
else:
    _CommissionInline = admin.TabularInline
    _StationAdmin = _CommissionMemberAdmin = admin.ModelAdmin


class CommissionInline(_CommissionInline):
    model = CommissionMember
    fields = ("name", "role", "user")
    raw_id_fields = ("user",)
    extra = 0


@admin.register(Station)
class StationAdmin(_StationAdmin):
    list_display = ["code", "number", "district", "address", "voters", "election"]
    list_select_related = ["election"]
    list_filter = ["election", "district"]
    search_fields = ["code", "address"]
    ordering = ["election", "district", "number"]
    inlines = [CommissionInline]
    readonly_fields = ["voter_lists"]

    @admin.display(description=_("Voter list"))
    def voter_lists(self, obj: Station) -> Any:
        """Links to the station's printable list in Kazakh and Russian."""
        if obj.pk is None:
            return "-"
        links = []
        for lang in ("kk", "ru"):
            try:
                url = reverse(
                    "stations:voter-list",
                    kwargs={"slug": obj.election.slug, "code": obj.code, "lang": lang},
                )
            except NoReverseMatch:
                return "-"
            links.append((url, f"PDF ({lang})"))
        return format_html_join(" · ", '<a href="{}">{}</a>', links)


@admin.register(CommissionMember)
class CommissionMemberAdmin(_CommissionMemberAdmin):
    list_display = ["name", "role", "station", "user"]
    list_filter = ["role", "station__election"]
    search_fields = ["name", "station__code"]
    raw_id_fields = ["station", "user"]
