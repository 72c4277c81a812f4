from django.urls import path

from saylau.registry import views

app_name = "registry"
urlpatterns = [
    path("<slug:election>/", views.roll_counts, name="roll-counts"),
]
