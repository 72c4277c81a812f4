"""The site's URLs with the stations' mounted as the integrator mounts them (site/urls.py)."""

from django.urls import include, path

from saylau.site.urls import handler400, handler403, handler404, handler500, urlpatterns

urlpatterns = [*urlpatterns, path("stations/", include("saylau.stations.urls"))]

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]
