"""The site's URLs plus the results pages, as site/urls.py will include them (the integrator
adds the one line there): the tests of the results pages run against this URLconf."""

from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path

from saylau.site.urls import handler400, handler403, handler404, handler500, urlpatterns

urlpatterns = [
    *urlpatterns,
    *i18n_patterns(
        path("results/", include("saylau.paper.results_urls")), prefix_default_language=True
    ),
]

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]
