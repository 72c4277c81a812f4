"""The public results pages, under /<language>/results/ (site/urls.py includes them)."""

from django.urls import path

from saylau.paper import views_results as views

app_name = "paper_results"
urlpatterns = [
    path("<slug:slug>/", views.election_page, name="election"),
    path("<slug:slug>/results.csv", views.results_csv, name="results-csv"),
    path("<slug:slug>/results.json", views.results_json, name="results-json"),
    path("<slug:slug>/protocols.csv", views.protocols_csv, name="protocols-csv"),
    path("<slug:slug>/station/<str:code>/", views.station_page, name="station"),
    path("<slug:slug>/<str:district>/", views.district_page, name="district"),
]
