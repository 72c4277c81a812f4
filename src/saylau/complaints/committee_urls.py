"""The committee's pages (staff only), under the language prefix: /<lang>/committee/…"""

from django.contrib.auth import views as auth
from django.urls import path, reverse_lazy

from saylau.complaints import views_committee as views
from saylau.complaints import views_dashboard
from saylau.web.login import StaffLoginView

app_name = "committee"
urlpatterns = [
    path(
        "login/",
        StaffLoginView.as_view(
            template_name="complaints/committee/login.html",
            next_page=reverse_lazy("committee:cases"),
        ),
        name="login",
    ),
    path(
        "logout/", auth.LogoutView.as_view(next_page=reverse_lazy("committee:login")), name="logout"
    ),
    path("", views.cases, name="cases"),
    path("hotline/", views.hotline, name="hotline"),
    path("dashboard/", views_dashboard.dashboard, name="dashboard"),
    path("mail/", views_dashboard.mail, name="mail"),
    path("evidence/<int:pk>/", views.evidence_file, name="evidence"),
    path("case/<str:reference>/", views.case, name="case"),
]
