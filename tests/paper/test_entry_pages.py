"""The commission's pages through Django's test client: sign-in, the station's protocols,
blind double entry, the supervisor's side-by-side view, the scan, refusals in the user's
language."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from saylau.paper.models import Protocol
from tests.paper.entry_world import CONTEST, OPTIONS, PASSWORD, PDF, ew, good_counts

pytestmark = pytest.mark.django_db
__all__ = ["ew"]

BASE = "/en/paper/primaries-test/S-75"


def signed_in(name: str) -> Client:
    client = Client()
    assert client.login(username=name, password=PASSWORD)
    return client


def form_data(typed) -> dict[str, str]:
    data = {name: str(value) for name, value in typed.counts.items()}
    for index, option in enumerate(OPTIONS, start=1):
        data[f"option_{index}"] = str(typed.options[option])
    return data


def post_entry(client, typed, language="en"):
    url = f"{BASE}/{CONTEST}/enter/".replace("/en/", f"/{language}/")
    return client.post(url, form_data(typed))


def test_sign_in_page_and_redirect(ew):
    client = Client()
    response = client.get(f"{BASE}/")
    assert response.status_code == 302 and response["Location"].startswith("/en/paper/login/")
    page = client.get("/kk/paper/login/")
    assert page.status_code == 200 and "<form" in page.content.decode()
    response = client.post(
        "/en/paper/login/", {"username": "op1", "password": PASSWORD, "next": f"{BASE}/"}
    )
    assert response.status_code == 302 and response["Location"] == f"{BASE}/"
    assert "Station 1 (S-75)" in client.get(f"{BASE}/").content.decode()


def test_station_list_shows_only_my_station(ew):
    text = signed_in("op1").get("/en/paper/").content.decode()
    assert "S-75" in text and "S-71" not in text
    text = signed_in("org").get("/en/paper/").content.decode()
    assert "S-75" in text and "S-71" in text
    assert signed_in("far").get(f"{BASE}/").status_code == 403


def test_double_entry_conflict_and_supervisor(ew):
    op1, op2, sup = signed_in("op1"), signed_in("op2"), signed_in("sup")
    form = op1.get(f"{BASE}/{CONTEST}/enter/").content.decode()
    assert "Candidate 1" in form and "Against all" in form and "Voters on the list" in form
    assert post_entry(op1, good_counts()).status_code == 302
    # the second operator's form is blank: the first entry's numbers are not on the page
    blank = op2.get(f"{BASE}/{CONTEST}/enter/").content.decode()
    assert 'value="78"' not in blank and 'value="40"' not in blank
    again = post_entry(op1, good_counts())
    assert again.status_code == 409 and "another operator" in again.content.decode()
    assert post_entry(op2, good_counts(valid=77, o2=29)).status_code == 302
    assert Protocol.objects.get().status == "conflict"
    page = sup.get(f"{BASE}/{CONTEST}/resolve/").content.decode()
    marked = re.findall(r'<tr class="differs"><th scope="row">([^<]+)</th>', page)
    assert marked == ["Valid ballots", "Candidate 2"]
    assert '<td class="number">78</td><td class="number">77</td>' in page
    assert op1.get(f"{BASE}/{CONTEST}/resolve/").status_code == 403
    bad = sup.post(f"{BASE}/{CONTEST}/resolve/", {"settle": "1", "valid": "x", "option_2": "30"})
    assert bad.status_code == 400 and "whole number" in bad.content.decode()
    done = sup.post(f"{BASE}/{CONTEST}/resolve/", {"settle": "1", "valid": "78", "option_2": "30"})
    assert done.status_code == 302
    protocol = Protocol.objects.get()
    assert protocol.status == "draft" and protocol.counts["valid"] == 78
    scan = SimpleUploadedFile("protocol.pdf", PDF, content_type="application/pdf")
    assert op1.post(f"{BASE}/{CONTEST}/scan/", {"scan": scan}).status_code == 302
    assert Protocol.objects.get().status == "accepted"
    station = op1.get(f"{BASE}/").content.decode()
    assert "Accepted." in station and Protocol.objects.get().scan_sha256 in station


def test_reentry_from_the_supervisor_page(ew):
    op1, op2, sup = signed_in("op1"), signed_in("op2"), signed_in("sup")
    post_entry(op1, good_counts())
    post_entry(op2, good_counts(invalid=5))
    assert sup.post(f"{BASE}/{CONTEST}/resolve/", {"reenter": "1"}).status_code == 302
    protocol = Protocol.objects.get()
    assert protocol.status == "draft" and protocol.entry_round == 2


def test_failures_are_listed_in_the_users_language(ew):
    op1, op2 = signed_in("op1"), signed_in("op2")
    bad = good_counts(ballots_issued=101)
    post_entry(op1, bad, "ru")
    post_entry(op2, bad, "ru")
    english = op1.get(f"{BASE}/").content.decode()
    assert "ballots issued (101) are more than ballots received (100)" in english
    russian = op1.get(f"{BASE}/".replace("/en/", "/ru/")).content.decode()
    kazakh = op1.get(f"{BASE}/".replace("/en/", "/kk/")).content.decode()
    assert "(101)" in russian and "ballots issued" not in russian
    assert "(101)" in kazakh and "ballots issued" not in kazakh


def test_bad_numbers_keep_the_form_and_store_nothing(ew):
    op1 = signed_in("op1")
    data = form_data(good_counts())
    data["valid"] = "-3"
    data["invalid"] = "два"
    response = op1.post(f"{BASE}/{CONTEST}/enter/", data)
    text = response.content.decode()
    assert response.status_code == 400 and text.count("Enter a whole number, 0 or more.") == 2
    assert 'value="100"' in text  # what was typed is kept on the page
    assert Protocol.objects.count() == 0


def test_pages_for_missing_things_are_404_not_500(ew):
    org = signed_in("org")
    assert org.get("/en/paper/primaries-test/NOPE/").status_code == 404
    assert org.get("/en/paper/no-such-election/S-75/").status_code == 404
    assert org.get(f"{BASE}/KZ-71-mazhilis/enter/").status_code == 404
    assert org.get(f"{BASE}/{CONTEST}/resolve/").status_code == 404  # nothing entered
    assert org.get("/en/paper/scan/999/").status_code == 404


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_every_page_answers_in_each_language(ew, language):
    op1, op2, org = signed_in("op1"), signed_in("op2"), signed_in("org")
    post_entry(op1, good_counts())
    post_entry(op2, good_counts(valid=1))
    base = BASE.replace("/en/", f"/{language}/")
    for url in (
        f"/{language}/paper/",
        f"{base}/",
        f"{base}/{CONTEST}/enter/",
        f"{base}/{CONTEST}/resolve/",
        f"{base}/{CONTEST}/scan/",
        f"{base}/voted/",
        f"{base}/{CONTEST}/recount/",
    ):
        response = org.get(url)
        assert response.status_code in (200, 409), (url, response.status_code)
        assert f'<html lang="{language}">' in response.content.decode()
