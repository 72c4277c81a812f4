"""The public complaint pages, under the language prefix: /<lang>/complaints/…"""

from django.urls import path

from saylau.complaints import views_public as views

app_name = "complaints"
urlpatterns = [
    path("", views.start, name="start"),
    path("check/", views.check, name="check"),
    path("register/", views.register_page, name="register"),
    path("register/<slug:election>.json", views.register_json, name="register-json"),
    path("register/<slug:election>.csv", views.register_csv, name="register-csv"),
    path("<slug:election>/new/", views.new, name="new"),
]
