"""The report pages (site/urls.py includes them under the language prefix, /<language>/).

An election's report is /analysis/<slug>/; the observers' analyses of a commission's CSV that
staff publish are under a prefix of their own, /analyses/, so no election's slug can take
their URLs (an election named "uploads" could, decision 0047). Their URLs before that,
/analysis/uploads/…, redirect: an upload's id is 16 hex digits and `new` is not a page of an
election's report, so the redirects meet no report URL either."""

from collections.abc import Callable

from django.http import HttpResponseBase
from django.urls import path, re_path
from django.views.generic import RedirectView

from saylau.analysis import views, views_uploads

app_name = "analysis"
OLD_UPLOADS = r"^analysis/uploads/"
ID = r"(?P<upload_id>[0-9a-f]{16})"


def _moved(name: str) -> Callable[..., HttpResponseBase]:
    return RedirectView.as_view(pattern_name=f"analysis:{name}", permanent=True)


urlpatterns = [
    path("analysis/<slug:slug>/", views.report_page, name="report"),
    path("analysis/<slug:slug>/report.json", views.report_json, name="report-json"),
    path("analysis/<slug:slug>/report.pdf", views.report_pdf, name="report-pdf"),
    path("analysis/<slug:slug>/figures/<str:file>", views.figure, name="figure"),
    path("analyses/new/", views_uploads.upload_new, name="upload-new"),
    path("analyses/<str:upload_id>/", views_uploads.upload_page, name="upload"),
    path("analyses/<str:upload_id>/<str:name>", views_uploads.upload_file, name="upload-file"),
    re_path(OLD_UPLOADS + r"new/$", _moved("upload-new")),
    re_path(OLD_UPLOADS + ID + r"/$", _moved("upload")),
    re_path(OLD_UPLOADS + ID + r"/(?P<name>[^/]+)$", _moved("upload-file")),
]
