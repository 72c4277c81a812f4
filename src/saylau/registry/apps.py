from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "saylau.registry"
    label = "registry"
    verbose_name = _("Member roll")

    def ready(self) -> None:
        from saylau.web.roles import AUDITOR, OPERATOR, ORGANISER, grant

        view_all = [
            "registry.view_district",
            "registry.view_member",
            "registry.view_importbatch",
            "registry.view_rollsnapshot",
            "registry.view_rolldistrictcount",
        ]
        grant(AUDITOR, *view_all)
        grant(
            OPERATOR,
            *view_all,
            "registry.add_member",
            "registry.change_member",
        )
        grant(
            ORGANISER,
            *view_all,
            "registry.add_member",
            "registry.change_member",
            "registry.add_rollsnapshot",
            "registry.change_rollsnapshot",
            "registry.close_rollsnapshot",
        )
