from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class SiteConfig(AppConfig):
    name = "saylau.site"
    label = "saylau_site"
    verbose_name = _("Site")

    def ready(self) -> None:
        from django.contrib import admin

        from saylau.site import checks, roles  # noqa: F401 - registers system checks

        admin.site.site_header = _("saylau: staff pages")
        admin.site.site_title = _("saylau staff")
        admin.site.index_title = _("Party primaries administration")

        post_migrate.connect(roles.sync_groups, dispatch_uid="saylau.site.roles.sync_groups")
