"""The exit poll app: its role grants are declared at start-up."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExitpollConfig(AppConfig):
    name = "saylau.exitpoll"
    label = "exitpoll"
    verbose_name = _("Exit polls")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from saylau.exitpoll.roles import declare_grants

        declare_grants()
