"""Paper voting: precinct protocols (double entry, control relations), who voted on paper,
consolidation with the online tally, and recounts."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaperConfig(AppConfig):
    name = "saylau.paper"
    label = "paper"
    verbose_name = _("Paper voting")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from saylau.paper import record_parts
        from saylau.paper.roles import declare_grants

        declare_grants()
        record_parts.register()
