"""Staff pages: create an election from a file or with forms, the tokens page, the read-only
manifest, and the lifecycle action (organisers only)."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from saylau.demo import play as demo
from saylau.elections.models import AuditEvent, Election, Status
from tests.elections.conftest import SLUG, close_roll, staff

pytestmark = pytest.mark.django_db
ADD = "/admin/elections/election/add/"

BASE_FORM = {
    "trustees": "3",
    "threshold": "2",
    "ip_policy": "strict",
    "ip_limit_per_hour": "20",
    "contests-TOTAL_FORMS": "2",
    "contests-INITIAL_FORMS": "0",
    "contests-MIN_NUM_FORMS": "0",
    "contests-MAX_NUM_FORMS": "1000",
}


def test_roles_have_their_permissions():
    from django.contrib.auth.models import Group

    def codes(role):
        return set(Group.objects.get(name=role).permissions.values_list("codename", flat=True))

    assert {"add_election", "run_election", "view_auditevent"} <= codes("organiser")
    assert "run_election" not in codes("auditor") and "view_auditevent" in codes("auditor")
    assert "run_election" not in codes("operator")


def test_create_from_a_file_shows_the_tokens_once(client):
    staff(client, "organiser")
    page = client.get(ADD, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200 and "Create the election" in page.content.decode()
    data = json.dumps(demo.sample_manifest(SLUG)).encode()
    form = {**BASE_FORM, "manifest_file": SimpleUploadedFile("m.json", data)}
    response = client.post(ADD, form, HTTP_ACCEPT_LANGUAGE="en")
    body = response.content.decode()
    assert response.status_code == 200 and "shown this once" in body
    assert body.count("sly_") == 4
    election = Election.objects.get(slug=SLUG)
    change = client.get(f"/admin/elections/election/{election.pk}/change/").content.decode()
    assert "sly_" not in change and "&quot;against_all&quot;: true" in change


def test_create_with_the_forms(client):
    staff(client, "organiser")
    form = {
        **BASE_FORM,
        "election_id": "built",
        "title_kk": "Сайлау",
        "title_ru": "Выборы",
        "title_en": "Election",
        "districts": ["KZ-75", "KZ-71"],
        "contests-0-contest_id": "mayor",
        "contests-0-name_kk": "Әкім",
        "contests-0-name_ru": "Аким",
        "contests-0-name_en": "Mayor",
        "contests-0-min_marks": "1",
        "contests-0-max_marks": "1",
        "contests-0-candidates": "Асқар | Аскар | Askar // Нұр | Нур | Nur\nБота",
        "contests-0-against_all": "on",
        "contests-1-contest_id": "almaty-council",
        "contests-1-name_kk": "Кеңес",
        "contests-1-name_ru": "Совет",
        "contests-1-name_en": "Council",
        "contests-1-min_marks": "0",
        "contests-1-max_marks": "2",
        "contests-1-candidates": "A\nB\nC",
        "contests-1-districts": ["KZ-75"],
    }
    response = client.post(ADD, form, HTTP_ACCEPT_LANGUAGE="en")
    assert "shown this once" in response.content.decode(), response.content.decode()[-3000:]
    manifest = Election.objects.get(slug="built").manifest
    assert [d["ballot_style"] for d in manifest["districts"]] == ["style-1", "style-2"]
    assert manifest["ballot_styles"] == [
        {"id": "style-1", "contests": ["mayor", "almaty-council"]},
        {"id": "style-2", "contests": ["mayor"]},
    ]
    mayor = manifest["contests"][0]
    assert [o["id"] for o in mayor["options"]] == ["mayor-01", "mayor-02", "mayor-aa"]
    assert mayor["options"][0]["party"] == {"kk": "Нұр", "ru": "Нур", "en": "Nur"}
    assert mayor["options"][1]["name"] == {"kk": "Бота", "ru": "Бота", "en": "Бота"}
    assert "party" not in mayor["options"][1]  # an independent


def test_a_bad_candidate_line_is_named(client):
    staff(client, "organiser")
    form = {
        **BASE_FORM,
        "election_id": "bad-line",
        "title_kk": "С",
        "title_ru": "В",
        "title_en": "E",
        "districts": ["KZ-75"],
        "contests-0-contest_id": "mayor",
        "contests-0-name_kk": "Ә",
        "contests-0-name_ru": "А",
        "contests-0-name_en": "M",
        "contests-0-min_marks": "1",
        "contests-0-max_marks": "1",
        "contests-0-candidates": "Асқар // Нұр | Нур",
    }
    response = client.post(ADD, form, HTTP_ACCEPT_LANGUAGE="ru")
    assert "Строка кандидата" in response.content.decode()  # the line's rule, in Russian
    assert not Election.objects.filter(slug="bad-line").exists()


def test_a_bad_form_says_what_is_missing(client):
    staff(client, "organiser")
    response = client.post(ADD, {**BASE_FORM, "election_id": "x"}, HTTP_ACCEPT_LANGUAGE="en")
    assert "Needed when no manifest file is given" in response.content.decode()
    bad = SimpleUploadedFile("m.json", b'{"election_id": "x"}')
    response = client.post(ADD, {**BASE_FORM, "manifest_file": bad}, HTTP_ACCEPT_LANGUAGE="en")
    assert "The manifest is not valid" in response.content.decode()
    assert Election.objects.count() == 0


def test_only_organisers_create_and_advance(client, election):
    staff(client, "auditor")
    assert client.get(ADD).status_code == 403
    changelist = "/admin/elections/election/"
    assert client.get(changelist).status_code == 200
    response = client.post(
        changelist, {"action": "advance_selected", "_selected_action": [election.pk]}
    )
    assert Election.objects.get(pk=election.pk).status == Status.DRAFT
    client.logout()
    staff(client, "organiser")
    response = client.post(
        changelist,
        {"action": "advance_selected", "_selected_action": [election.pk]},
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )
    assert "no roll for this election" in response.content.decode()
    close_roll(SLUG, {"KZ-75": 1})
    client.post(changelist, {"action": "advance_selected", "_selected_action": [election.pk]})
    assert Election.objects.get(pk=election.pk).status == Status.ROLL_CLOSED
    moved = AuditEvent.objects.get(action="election.transition")
    assert moved.actor == "user:organiser-user"


def test_the_audit_log_is_read_only(client, election):
    staff(client, "auditor")
    event = AuditEvent.objects.first()
    assert client.get("/admin/elections/auditevent/").status_code == 200
    assert client.get(f"/admin/elections/auditevent/{event.pk}/change/").status_code == 200
    assert client.post(f"/admin/elections/auditevent/{event.pk}/delete/").status_code == 403
