"""The party control committee: complaints, cases, decisions, sanctions, the register."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "saylau.complaints"
    label = "complaints"
    verbose_name = _("Complaints")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from saylau.complaints.roles import declare_grants
        from saylau.complaints.sanctions import effective
        from saylau.paper import sanction_source

        declare_grants()
        sanction_source.register(effective)  # the results' sanctions: the final decisions
