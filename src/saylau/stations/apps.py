from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StationsConfig(AppConfig):
    name = "saylau.stations"
    label = "stations"
    verbose_name = _("Polling stations")
    default_auto_field = "django.db.models.BigAutoField"
