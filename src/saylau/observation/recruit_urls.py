"""The recruitment pages, under /<lang>/observe/ (included by urls.py)."""

from django.urls import path

from saylau.observation import coordinate_views, recruit_views

app_name = "recruit"
urlpatterns = [
    path("join/<slug:org>/", recruit_views.join, name="join"),
    path("join/<slug:org>/confirm/", recruit_views.confirm, name="confirm"),
    path("join/<slug:org>/lost/", recruit_views.lost, name="lost"),
    path("join/<slug:org>/lost/confirm/", recruit_views.lost_confirm, name="lost-confirm"),
    path("link/<str:token>/", recruit_views.enter, name="enter"),
    path("training/", recruit_views.training_page, name="training"),
    path("training/<int:pk>/", recruit_views.quiz, name="quiz"),
    path("coordinate/<slug:org>/", coordinate_views.coordinate, name="coordinate"),
]
