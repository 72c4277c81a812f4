from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaperConfig(AppConfig):
    name = "saylau.paper"
    label = "paper"
    verbose_name = _("Paper voting")
    default_auto_field = "django.db.models.BigAutoField"
