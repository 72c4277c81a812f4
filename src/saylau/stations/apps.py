"""Polling stations: their commissions, the members who vote on paper at each, and the
printable voter lists."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StationsConfig(AppConfig):
    name = "saylau.stations"
    label = "stations"
    verbose_name = _("Polling stations")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from saylau.web.roles import AUDITOR, OPERATOR, ORGANISER, grant

        view_all = [
            "stations.view_station",
            "stations.view_commissionmember",
        ]
        grant(AUDITOR, *view_all)
        grant(OPERATOR, *view_all)
        grant(
            ORGANISER,
            *view_all,
            "stations.add_station",
            "stations.change_station",
            "stations.add_commissionmember",
            "stations.change_commissionmember",
            "stations.delete_commissionmember",
            "stations.view_voter_list",
        )
