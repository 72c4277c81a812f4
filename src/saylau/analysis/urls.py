"""The report pages, under /<language>/analysis/ (site/urls.py includes them)."""

from django.urls import path

from saylau.analysis import views

app_name = "analysis"
urlpatterns = [
    path("<slug:slug>/", views.report_page, name="report"),
    path("<slug:slug>/report.json", views.report_json, name="report-json"),
    path("<slug:slug>/report.pdf", views.report_pdf, name="report-pdf"),
    path("<slug:slug>/figures/<str:file>", views.figure, name="figure"),
]
