"""URLs: the API, admin and static files at fixed paths, pages under a language prefix
(/kk/, /ru/, /en/)."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.staticfiles.views import serve as serve_static
from django.urls import URLPattern, URLResolver, include, path, re_path

from saylau.exitpoll import views as exitpoll_views
from saylau.observation import views as observation_views
from saylau.site import dev, views
from saylau.site.api import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("api/", api.urls),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("dev/outbox", dev.dev_outbox, name="dev-outbox"),
    path("stations/", include("saylau.stations.urls")),
    path("observe-sw.js", observation_views.service_worker, name="observe-sw"),
    path("exitpoll-sw.js", exitpoll_views.service_worker, name="exitpoll-sw"),
    # The apps' own CSS/JS from their static/ folders, whatever the app server (decision 0022):
    # the pages' CSP allows styles and scripts from this origin only.
    re_path(r"^static/(?P<path>.+)$", serve_static, {"insecure": True}, name="static"),
]
urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("roll/", include("saylau.registry.urls")),
    path("", include("saylau.voting.urls")),
    path("paper/", include("saylau.paper.urls")),
    path("results/", include("saylau.paper.results_urls")),
    path("", include("saylau.analysis.urls")),  # analysis/<slug>/ and analyses/<id>/
    path("complaints/", include("saylau.complaints.urls")),
    path("committee/", include("saylau.complaints.committee_urls")),
    path("observe/", include("saylau.observation.urls")),
    path("hq/", include("saylau.observation.hq_urls")),
    path("exitpoll/", include("saylau.exitpoll.urls")),
    prefix_default_language=True,
)

handler400 = "saylau.site.errors.bad_request"
handler403 = "saylau.site.errors.permission_denied"
handler404 = "saylau.site.errors.page_not_found"
handler500 = "saylau.site.errors.server_error"
