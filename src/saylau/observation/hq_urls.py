"""The headquarters' pages, under the language prefix: /<lang>/hq/…"""

from django.urls import path

from saylau.observation import hq_views as views

app_name = "observation-hq"
urlpatterns = [
    path("<slug:election>/", views.overview, name="overview"),
    path("<slug:election>/stations.csv", views.stations_csv, name="csv"),
    path("<slug:election>/stations.xlsx", views.stations_xlsx, name="xlsx"),
    path("<slug:election>/<str:station>/evidence.zip", views.evidence, name="evidence"),
]
