"""The report pages, under /<language>/analysis/ (site/urls.py includes them)."""

from django.urls import path

from saylau.analysis import views, views_uploads

app_name = "analysis"
urlpatterns = [
    # before the election pages: "uploads" is not taken for an election's slug here
    path("uploads/new/", views_uploads.upload_new, name="upload-new"),
    path("uploads/<str:upload_id>/", views_uploads.upload_page, name="upload"),
    path("uploads/<str:upload_id>/<str:name>", views_uploads.upload_file, name="upload-file"),
    path("<slug:slug>/", views.report_page, name="report"),
    path("<slug:slug>/report.json", views.report_json, name="report-json"),
    path("<slug:slug>/report.pdf", views.report_pdf, name="report-pdf"),
    path("<slug:slug>/figures/<str:file>", views.figure, name="figure"),
]
