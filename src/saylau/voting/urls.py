from django.urls import path

from saylau.voting import booth, check, views

app_name = "voting"
urlpatterns = [
    path("vote/<slug:slug>/", views.sign_in, name="sign-in"),
    path("vote/<slug:slug>/code/", views.enter_code, name="code"),
    path("vote/<slug:slug>/signed-in/", views.signed_in, name="signed-in"),
    path("vote/<slug:slug>/booth/", booth.booth, name="booth"),
    path("vote/<slug:slug>/booth/ballots", booth.booth_cast, name="booth-cast"),
    path("vote/<slug:slug>/sign-out/", views.sign_out, name="sign-out"),
    path("vote/<slug:slug>/networks/", views.networks, name="networks"),
    path("board/<slug:slug>/", views.board_page, name="board"),
    path("board/<slug:slug>/counts/", views.counts_page, name="counts"),
    path("board/<slug:slug>/results/", views.results_page, name="results"),
    path("board/<slug:slug>/check/", check.check_page, name="check"),
    path("board/<slug:slug>/verify/", check.how_to_verify, name="how-to-verify"),
]
