"""The report pages, under /<language>/analysis/ (site/urls.py includes them)."""

from django.urls import path, re_path

from saylau.analysis import views

app_name = "analysis"
urlpatterns = [
    path("<slug:slug>/", views.report_page, name="report"),
    path("<slug:slug>/report.json", views.report_json, name="report-json"),
    path("<slug:slug>/report.pdf", views.report_pdf, name="report-pdf"),
    re_path(
        r"^(?P<slug>[-\w]+)/figures/(?P<name>[-\w.]+)\.(?P<ext>svg|png)$",
        views.figure,
        name="figure",
    ),
]
