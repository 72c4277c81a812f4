from django.urls import path

from saylau.notify import views

urlpatterns = [
    path("outbox", views.outbox_view, name="dev-outbox"),
]
