from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ElectionsConfig(AppConfig):
    name = "saylau.elections"
    label = "elections"
    verbose_name = _("Elections")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from saylau.elections import stages  # noqa: F401 - registers preconditions and effects
        from saylau.web.roles import AUDITOR, ORGANISER, grant

        view_all = [
            "elections.view_election",
            "elections.view_auditevent",
            "elections.view_seat",
            "elections.view_ceremony",
            "elections.view_tally",
        ]
        grant(AUDITOR, *view_all)
        grant(
            ORGANISER,
            *view_all,
            "elections.add_election",
            "elections.run_election",
        )
