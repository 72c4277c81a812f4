from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VotingConfig(AppConfig):
    name = "saylau.voting"
    label = "voting"
    verbose_name = _("Voting")
    default_auto_field = "django.db.models.BigAutoField"
