"""The observer's pages, under the language prefix: /<lang>/observe/…"""

from django.contrib.auth import views as auth
from django.urls import include, path, reverse_lazy

from saylau.observation import views
from saylau.web.login import StaffLoginView

app_name = "observation"
urlpatterns = [
    path(
        "login/",
        StaffLoginView.as_view(
            template_name="observation/login.html", next_page=reverse_lazy("observation:home")
        ),
        name="login",
    ),
    path(
        "logout/",
        auth.LogoutView.as_view(next_page=reverse_lazy("observation:login")),
        name="logout",
    ),
    path("charter/", views.charter, name="charter"),
    path("", include("saylau.observation.recruit_urls")),
    path("", views.home, name="home"),
    path("<int:pk>/", views.station, name="station"),
]
