"""ASGI entry point."""

from saylau.web.bootstrap import configure_environment

configure_environment()

from django.core.asgi import get_asgi_application  # noqa: E402

from saylau.site.checks import require_production_settings  # noqa: E402

application = get_asgi_application()
require_production_settings()
