"""WSGI entry point: ``granian --interface wsgi saylau.site.wsgi:application`` (decision 0012)."""

from saylau.web.bootstrap import configure_environment

configure_environment()

from django.core.wsgi import get_wsgi_application  # noqa: E402

from saylau.site.checks import require_production_settings  # noqa: E402
from saylau.site.warm import warm_and_freeze  # noqa: E402

application = get_wsgi_application()
require_production_settings()
warm_and_freeze()
