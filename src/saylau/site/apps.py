from typing import Any

from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class SiteConfig(AppConfig):
    name = "saylau.site"
    label = "saylau_site"
    verbose_name = _("Site")

    def ready(self) -> None:
        from django.contrib import admin

        from saylau.site import checks  # noqa: F401 - registers system checks
        from saylau.site.login_throttle import (
            ThrottledAdminAuthenticationForm,
            ThrottledAuthenticationForm,
        )
        from saylau.web import login, roles

        admin.site.site_header = _("saylau: staff pages")
        admin.site.site_title = _("saylau staff")
        admin.site.index_title = _("Party primaries administration")
        admin.site.login_form = ThrottledAdminAuthenticationForm
        login.use_form(ThrottledAuthenticationForm)

        post_migrate.connect(roles.sync_groups, dispatch_uid="saylau.web.roles.sync_groups")
        connection_created.connect(set_lock_timeout, dispatch_uid="saylau.site.lock_timeout")


def set_lock_timeout(sender: object, connection: Any, **kwargs: Any) -> None:
    """PostgreSQL: no statement of this app waits for a lock longer than
    SAYLAU_BOARD_LOCK_TIMEOUT_MS (5 s): it fails, and the request answers 503 with
    Retry-After (site.errors) instead of hanging while others queue behind it. Set once per
    connection, so the cast's lock costs no extra round trip."""
    if connection.vendor != "postgresql":
        return
    from django.conf import settings

    timeout = int(getattr(settings, "SAYLAU_BOARD_LOCK_TIMEOUT_MS", 5000))
    with connection.cursor() as cursor:
        cursor.execute(f"SET lock_timeout = {timeout}")
