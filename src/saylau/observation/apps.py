"""The observer network's app: its role grants are declared at start-up."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ObservationConfig(AppConfig):
    name = "saylau.observation"
    label = "observation"
    verbose_name = _("Observers")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from saylau.observation.roles import declare_grants

        declare_grants()
