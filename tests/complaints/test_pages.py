"""The public pages and the committee's, through Django's test client: the form (refusals of
wrong or large files keep the form), check by reference, the register without personal data,
each step's page refused to the wrong role."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from saylau.complaints import intake, workflow
from saylau.complaints.models import Complaint, Status
from saylau.web import uploads
from tests.complaints.world import CANDIDATE, PASSWORD, PDF, png_bytes

pytestmark = pytest.mark.django_db


def form_data(**changes):
    data = {
        "category": "coercion",
        "district": "KZ-75",
        "station": "s-75",
        "option": CANDIDATE,
        "description": "Our director told us to join and vote for candidate 1.",
        "name": "Dana Serikova",
        "phone": "8 701 765 43 21",
        "email": "dana@example.kz",
    }
    data.update(changes)
    return data


def test_the_public_form_files_a_complaint_with_evidence(
    cw, client, mailoutbox, django_capture_on_commit_callbacks
):
    url = reverse("complaints:new", args=[cw.election.slug])
    assert client.get(url).status_code == 200
    files = [SimpleUploadedFile("a.jpg", png_bytes()), SimpleUploadedFile("b.txt", PDF)]
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(url, {**form_data(), "evidence": files})
    assert answer.status_code == 200
    complaint = Complaint.objects.get()
    assert complaint.reference in answer.content.decode()
    assert complaint.station == "S-75" and complaint.contact_phone == "+77017654321"
    assert sorted(complaint.evidence.values_list("kind", flat=True)) == ["pdf", "png"]
    assert [m.to for m in mailoutbox] == [["dana@example.kz"]]
    assert complaint.reference in mailoutbox[0].body


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("notes.pdf", b"just text, not a PDF"),
        ("big.pdf", b"%PDF-" + b"0" * uploads.MAX_UPLOAD_BYTES),
    ],
)
def test_a_wrong_or_too_large_file_is_refused_and_the_form_kept(cw, client, name, data):
    url = reverse("complaints:new", args=[cw.election.slug])
    answer = client.post(url, {**form_data(), "evidence": [SimpleUploadedFile(name, data)]})
    assert answer.status_code == 400
    page = answer.content.decode()
    assert "Our director told us" in page  # nothing typed is lost
    assert Complaint.objects.count() == 0


def test_a_form_error_is_said_in_the_users_language(cw, client):
    with translation.override("ru"):
        url = reverse("complaints:new", args=[cw.election.slug])
    answer = client.post(url, form_data(category="", phone="12"))
    assert answer.status_code == 400
    assert "Выберите" in answer.content.decode()


def test_check_by_reference_and_add_more_evidence(cw, client):
    url = reverse("complaints:new", args=[cw.election.slug])
    page = client.post(url, form_data(anonymous="on")).content.decode()
    complaint = Complaint.objects.get()
    assert complaint.contact_phone == ""
    code = page.split('class="access-code">')[1].split("<")[0]
    check = reverse("complaints:check")
    assert (
        client.post(check, {"reference": complaint.reference, "code": "WRONG"}).status_code == 404
    )
    workflow.ask_for_more(complaint, cw.users["op"], "The photo of the list, please.")
    shown = client.post(check, {"reference": complaint.reference, "code": code}).content.decode()
    assert "The photo of the list, please." in shown
    answer = client.post(
        check,
        {
            "reference": complaint.reference,
            "code": code,
            "step": "more",
            "text": "Attached.",
            "evidence": [SimpleUploadedFile("p.png", png_bytes())],
        },
    )
    assert answer.status_code == 200
    complaint.refresh_from_db()
    assert complaint.status == Status.RECEIVED and complaint.evidence.count() == 1


def login(client, cw, name):
    assert client.login(username=name, password=PASSWORD)


def test_the_hotline_console_logs_a_call(cw, client):
    url = reverse("committee:hotline")
    assert client.get(url).status_code == 302  # sign in first
    login(client, cw, "mem")
    assert client.get(url).status_code == 403
    login(client, cw, "op")
    data = form_data(callback_notes="Call after 18:00, in Kazakh.", election=cw.election.slug)
    answer = client.post(url, data)
    assert answer.status_code == 200
    complaint = Complaint.objects.get()
    assert complaint.channel == "hotline" and complaint.callback_notes.startswith("Call after")


def test_case_steps_through_the_pages(cw, client):
    complaint = cw.complaint()
    url = reverse("committee:case", args=[complaint.reference])
    login(client, cw, "op")
    assert client.post(url, {"step": "assign", "assignee": cw.users["mem"].pk}).status_code == 403
    assert client.post(url, {"step": "category", "category": "nonsense"}).status_code == 400
    assert client.post(url, {"step": "category", "category": "coercion"}).status_code == 302
    complaint.refresh_from_db()
    assert complaint.category == "coercion"
    login(client, cw, "chair")
    page = client.get(url).content.decode()
    assert "+77011234567" in page  # the committee sees the contacts
    answer = client.post(url, {"step": "assign", "assignee": cw.users["mem"].pk})
    assert answer.status_code == 302
    login(client, cw, "mem")
    answer = client.post(
        url,
        {"step": "decide", "substantiated": "yes", "reasoning": "Proven.", "sanction": "warning"},
    )
    assert answer.status_code == 403  # a member cannot impose a sanction
    answer = client.post(url, {"step": "decide", "substantiated": "yes", "reasoning": ""})
    assert answer.status_code == 400
    login(client, cw, "chair")
    answer = client.post(
        url,
        {
            "step": "decide",
            "substantiated": "yes",
            "reasoning": "Proven by video.",
            "sanction": "annul_station",
            "station": "S-75",
        },
    )
    assert answer.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == Status.DECIDED
    assert complaint.decision.sanctions.get().station == "S-75"
    login(client, cw, "aud")
    page = client.get(url).content.decode()
    assert "+77011234567" not in page  # the auditor reads the case, not the contacts


def test_the_register_shows_no_personal_data(cw, client):
    contact = intake.Contact("Aigerim Bekova", "+77011234567", "aigerim@example.kz", "after six")
    complaint = cw.complaint(contact=contact)
    workflow.assign(complaint, cw.users["chair"], cw.users["mem"])
    decision = workflow.decide(complaint, cw.users["chair"], substantiated=True, reasoning="Yes.")
    pages = [
        client.get(reverse("complaints:register")).content.decode(),
        client.get(reverse("complaints:register-csv", args=[cw.election.slug])).content.decode(),
        client.get(reverse("complaints:register-json", args=[cw.election.slug])).content.decode(),
    ]
    for page in pages:
        assert decision.reference in page and complaint.reference in page
        for secret in ("Aigerim", "Bekova", "7011234567", "aigerim@", "after six"):
            assert secret not in page
    doc = json.loads(pages[2])
    assert set(doc["decisions"][0]) >= {"decision", "category", "district", "evidence_sha256"}


def test_the_dashboard_counts(cw, client, english):
    cw.complaint()
    cw.complaint(category="technical")
    login(client, cw, "aud")
    page = client.get(reverse("committee:dashboard")).content.decode()
    assert "<svg" in page and "<rect" in page
    assert "Technical failure" in page and "Vote buying" in page


def test_the_complainant_appeals_on_the_check_page(cw, client):
    url = reverse("complaints:new", args=[cw.election.slug])
    page = client.post(url, form_data()).content.decode()
    code = page.split('class="access-code">')[1].split("<")[0]
    complaint = Complaint.objects.get()
    workflow.assign(complaint, cw.users["chair"], cw.users["mem"])
    workflow.decide(complaint, cw.users["mem"], substantiated=False, reasoning="No proof.")
    check = reverse("complaints:check")
    shown = client.post(check, {"reference": complaint.reference, "code": code}).content.decode()
    assert "No proof." in shown and 'value="appeal"' in shown
    data = {
        "reference": complaint.reference,
        "code": code,
        "step": "appeal",
        "text": "I have a video.",
    }
    assert client.post(check, data).status_code == 200
    complaint.refresh_from_db()
    assert complaint.status == Status.APPEALED
    assert complaint.decision.appeal_grounds == "I have a video."


def test_evidence_is_downloaded_by_the_committee_only(cw, client):
    complaint = cw.complaint(files=[png_bytes()])
    url = reverse("committee:evidence", args=[complaint.evidence.get().pk])
    assert client.get(url).status_code == 302  # sign in first
    login(client, cw, "nobody")
    assert client.get(url).status_code == 403
    login(client, cw, "mem")
    answer = client.get(url)
    assert answer.status_code == 200 and answer["Content-Type"] == "image/png"
    assert b"".join(answer.streaming_content) == png_bytes()


def test_the_console_and_dashboard_pick_the_election(cw, client, english):
    from saylau.elections.models import Election
    from tests.voting.helpers import make_manifest

    other = Election.objects.create(slug="second", manifest=make_manifest("second"))
    login(client, cw, "op")
    page = client.get(reverse("committee:hotline") + "?election=second").content.decode()
    assert 'value="second" selected' in page
    data = form_data(election="second", station="", option="")
    assert client.post(reverse("committee:hotline"), data).status_code == 200
    assert Complaint.objects.get().election == other
    login(client, cw, "aud")
    page = client.get(reverse("committee:dashboard") + "?election=second").content.decode()
    assert "Complaints: 1, decided: 0." in page
