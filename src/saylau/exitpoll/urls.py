"""The exit poll's pages, under the language prefix: /<lang>/exitpoll/…"""

from django.contrib.auth import views as auth
from django.urls import path, reverse_lazy

from saylau.exitpoll import application_views, pollster_views, views
from saylau.web.login import StaffLoginView

app_name = "exitpoll"
urlpatterns = [
    path(
        "login/",
        StaffLoginView.as_view(
            template_name="exitpoll/login.html", next_page=reverse_lazy("exitpoll:index")
        ),
        name="login",
    ),
    path(
        "logout/", auth.LogoutView.as_view(next_page=reverse_lazy("exitpoll:login")), name="logout"
    ),
    path("", views.index, name="index"),
    path("new/", pollster_views.register, name="register"),
    path("mine/", views.mine, name="mine"),
    path("apply/", application_views.apply, name="apply"),
    path("application/", application_views.application, name="application"),
    path("applications/", application_views.decide, name="applications"),
    path("station/<int:pk>/", views.station, name="station"),
    path("<slug:slug>/", views.poll_page, name="poll"),
    path("<slug:slug>/results.csv", views.poll_csv, name="csv"),
    path("<slug:slug>/design/", pollster_views.design, name="design"),
    path("<slug:slug>/interviewers/", pollster_views.people, name="interviewers"),
    path("<slug:slug>/interviewers/<int:pk>/", pollster_views.assign, name="assign"),
]
