"""The stations' staff URLs; the site mounts them with
``path("stations/", include("saylau.stations.urls"))``."""

from django.urls import path, register_converter

from saylau.stations import views


class StationCode:
    regex = r"[A-Za-z0-9._-]{1,64}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(StationCode, "station_code")

app_name = "stations"
urlpatterns = [
    path(
        "<slug:slug>/<station_code:code>/voters.<str:lang>.pdf",
        views.voter_list_pdf,
        name="voter-list",
    ),
]
