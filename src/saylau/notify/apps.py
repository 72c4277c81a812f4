from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotifyConfig(AppConfig):
    name = "saylau.notify"
    label = "notify"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from saylau.web.roles import AUDITOR, ORGANISER, grant

        grant(AUDITOR, "notify.view_outboxmessage")
        grant(ORGANISER, "notify.view_outboxmessage")
