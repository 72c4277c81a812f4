"""The commission's pages (staff only), under the language prefix: /<lang>/paper/…"""

from django.contrib.auth import views as auth
from django.urls import path, reverse_lazy

from saylau.paper import views_entry as views
from saylau.web.login import StaffLoginView

app_name = "paper"
urlpatterns = [
    path(
        "login/",
        StaffLoginView.as_view(
            template_name="paper/entry/login.html", next_page=reverse_lazy("paper:stations")
        ),
        name="login",
    ),
    path("logout/", auth.LogoutView.as_view(next_page=reverse_lazy("paper:login")), name="logout"),
    path("", views.stations, name="stations"),
    path("scan/<int:pk>/", views.scan_file, name="scan-file"),
    path("<slug:election>/<str:station>/", views.station, name="station"),
    path("<slug:election>/<str:station>/voted/", views.voted, name="voted"),
    path("<slug:election>/<str:station>/<str:contest>/enter/", views.enter, name="enter"),
    path("<slug:election>/<str:station>/<str:contest>/resolve/", views.resolve, name="resolve"),
    path("<slug:election>/<str:station>/<str:contest>/scan/", views.scan, name="scan"),
    path("<slug:election>/<str:station>/<str:contest>/recount/", views.recount, name="recount"),
]
