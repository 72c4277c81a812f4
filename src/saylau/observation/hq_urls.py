"""The headquarters' pages, under the language prefix: /<lang>/hq/…"""

from django.urls import path

from saylau.observation import discrepancy_views as discrepancies
from saylau.observation import hq_views as views
from saylau.observation import pvt_views as pvt

app_name = "observation-hq"
urlpatterns = [
    path("<slug:election>/", views.overview, name="overview"),
    path("<slug:election>/stations.csv", views.stations_csv, name="csv"),
    path("<slug:election>/stations.xlsx", views.stations_xlsx, name="xlsx"),
    path("<slug:election>/discrepancies/", discrepancies.page, name="discrepancies"),
    path("<slug:election>/discrepancies.csv", discrepancies.as_csv, name="discrepancies-csv"),
    path("<slug:election>/official/", discrepancies.upload, name="official-upload"),
    path(
        "<slug:election>/official/protocols/",
        discrepancies.use_protocols,
        name="official-protocols",
    ),
    path("<slug:election>/drafts/", discrepancies.open_draft, name="draft-open"),
    path("<slug:election>/drafts/<int:pk>/", discrepancies.draft, name="draft"),
    path("<slug:election>/drafts/<int:pk>/file/", discrepancies.file_draft, name="draft-file"),
    path("<slug:election>/pvt/", pvt.page, name="pvt"),
    path("<slug:election>/<str:station>/evidence.zip", views.evidence, name="evidence"),
]
