"""A complaint draft opened by the observers' HQ from a discrepancy row (decision 0042): made
once per station and set of lines, with the copy's photo and the two versions of the numbers
as evidence, described in the page's language, unseen by the committee and the register
until an HQ person files it, and editable (kind and description) until then only."""

from __future__ import annotations

import hashlib

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from saylau.complaints import dashboard, intake, register, workflow
from saylau.complaints.errors import ComplaintError, ComplaintForbidden
from saylau.complaints.models import Complaint, Evidence
from saylau.elections.models import AuditEvent
from saylau.observation.models import DiscrepancyDraft
from saylau.web import roles
from tests.observation.tabulate_world import (
    CONTEST,
    accept,
    accredit,
    good_counts,
    login,
    send_copy,
)
from tests.observation.world import PASSWORD, ow  # noqa: F401 - the fixture
from tests.paper.entry_world import png_bytes

DRAFTS = "/{lang}/hq/primaries-test/drafts/"


@pytest.fixture
def differing(ow):  # noqa: F811
    """S-75's accepted protocol, and obs1's copy with a slip on candidates 1 and 2, with a
    photo; a committee chair account."""
    accredit(ow, "coord", "obs1", ow.station)
    accept(ow.election, ow.station, good_counts())
    send_copy(ow, "obs1", ow.station, good_counts(o1=45, o2=25), photo=True)
    chair = User.objects.create_user("chair", password=PASSWORD, is_staff=True)
    chair.groups.add(Group.objects.get(name=roles.COMMITTEE_CHAIR))
    ow.users["chair"] = chair
    return ow


def open_draft(client, lang="en", station="S-75"):
    return client.post(DRAFTS.format(lang=lang), {"station": station, "contest": CONTEST})


def test_a_second_click_finds_the_first_draft(differing):
    client = login("hq")
    assert open_draft(client).status_code == 302
    assert open_draft(client).status_code == 302
    complaint = Complaint.objects.get()
    assert DiscrepancyDraft.objects.get().complaint == complaint
    assert complaint.status == "draft" and complaint.channel == "observer"
    assert complaint.station == "S-75" and complaint.district == "KZ-75"
    assert "Candidate 1: official 40, the observers' copies 45" in complaint.description
    assert "Candidate 2: official 30, the observers' copies 25" in complaint.description
    kinds = sorted(Evidence.objects.filter(complaint=complaint).values_list("kind", flat=True))
    assert kinds == ["pdf", "png"]
    photo = Evidence.objects.get(complaint=complaint, kind="png")
    assert photo.sha256 == hashlib.sha256(png_bytes()).hexdigest()
    with photo.file.open("rb") as stored:
        assert stored.read() == png_bytes()
    numbers = Evidence.objects.get(complaint=complaint, kind="pdf")
    with numbers.file.open("rb") as stored:
        assert stored.read().startswith(b"%PDF-")
    page = client.get("/en/hq/primaries-test/discrepancies/").content.decode()
    assert f"File complaint {complaint.reference}" in page


def test_another_set_of_lines_is_another_draft(differing):
    client = login("hq")
    open_draft(client)
    send_copy(differing, "obs1", differing.station, good_counts(valid=77, invalid=3, o1=39))
    open_draft(client)
    assert Complaint.objects.count() == 2 and DiscrepancyDraft.objects.count() == 2


def test_the_description_is_in_the_pages_language(differing):
    open_draft(login("hq", "ru"), lang="ru")
    assert "официально 40" in Complaint.objects.get().description


def test_a_draft_is_hidden_until_an_hq_person_files_it(differing):
    hq = login("hq")
    open_draft(hq)
    complaint = Complaint.objects.get()
    chair = login("chair")
    assert complaint.reference not in chair.get("/en/committee/").content.decode()
    assert chair.get(f"/en/committee/case/{complaint.reference}/").status_code == 404
    evidence = Evidence.objects.filter(complaint=complaint).first()
    assert chair.get(f"/en/committee/evidence/{evidence.pk}/").status_code == 404
    assert dashboard.summary(differing.election).total == 0
    assert complaint.reference not in register.as_csv(differing.election)
    with pytest.raises(ComplaintError):
        intake.find(complaint.reference, "ANYTHING")
    with pytest.raises(ComplaintForbidden):
        workflow.file_draft(complaint, differing.users["chair"])
    draft = DiscrepancyDraft.objects.get()
    answer = hq.post(f"/en/hq/primaries-test/drafts/{draft.pk}/file/")
    assert answer.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == "received"
    assert complaint.reference in chair.get("/en/committee/").content.decode()
    assert chair.get(f"/en/committee/case/{complaint.reference}/").status_code == 200
    assert dashboard.summary(differing.election).total == 1
    event = AuditEvent.objects.filter(action="complaints.received").get()
    assert len(event.details["evidence"]) == 2 and event.details["channel"] == "observer"
    again = hq.post(f"/en/hq/primaries-test/drafts/{draft.pk}/file/")
    assert again.status_code == 400  # filed already: nothing changes
    assert "This step cannot be taken" in again.content.decode()


def test_no_draft_for_a_station_whose_copies_agree(differing):
    send_copy(differing, "obs1", differing.station, good_counts())
    answer = open_draft(login("hq"))
    assert answer.status_code == 400 and not Complaint.objects.exists()
    answer = open_draft(login("hq"), station="S-00")
    assert answer.status_code == 404 and not Complaint.objects.exists()


def test_a_coordinator_may_open_and_file_a_draft(differing):
    client = login("coord")
    assert open_draft(client).status_code == 302
    draft = DiscrepancyDraft.objects.get()
    assert client.post(f"/en/hq/primaries-test/drafts/{draft.pk}/file/").status_code == 302


def test_copies_that_disagree_without_an_official_result_make_a_draft(differing):
    from saylau.paper.models import Protocol

    Protocol.objects.all().delete()
    accredit(differing, "coord_b", "obs_b", differing.station)
    send_copy(differing, "obs_b", differing.station, good_counts())
    assert open_draft(login("hq")).status_code == 302
    text = Complaint.objects.get().description
    assert "differ from each other on these lines; there is no official result yet" in text
    assert "Candidate 1: the copies say 45, 40" in text


def draft_url(pk, lang="en"):
    return f"/{lang}/hq/primaries-test/drafts/{pk}/"


def test_the_hq_edits_a_draft_then_files_it_and_it_is_fixed(differing):
    hq = login("hq")
    opened = open_draft(hq)
    draft = DiscrepancyDraft.objects.get()
    assert opened["Location"] == draft_url(draft.pk)  # straight to the draft's page
    page = hq.get(draft_url(draft.pk)).content.decode()
    assert "Complaint draft" in page and "Candidate 1: official 40" in page
    assert 'name="description"' in page and 'value="station_procedure" selected' in page
    text = "Station S-75: the protocol posted differs from the observers' copy.\nSee the PDF."
    saved = hq.post(draft_url(draft.pk), {"category": "other", "description": f"  {text}  "})
    assert saved.status_code == 302 and saved["Location"] == draft_url(draft.pk)
    complaint = Complaint.objects.get()
    assert complaint.description == text and complaint.category == "other"
    assert complaint.status == "draft"
    event = AuditEvent.objects.get(action="complaints.draft_edited")
    assert event.details["description"] == hashlib.sha256(text.encode()).hexdigest()
    assert "S-75: the protocol" not in str(event.details)  # the text's hash only
    assert "The draft is saved." in hq.get(draft_url(draft.pk)).content.decode()

    filed = hq.post(f"/en/hq/primaries-test/drafts/{draft.pk}/file/")
    assert filed.status_code == 302
    page = hq.get(draft_url(draft.pk)).content.decode()
    assert "it can no longer be edited here" in page and 'name="description"' not in page
    refused = hq.post(draft_url(draft.pk), {"category": "technical", "description": "changed"})
    assert refused.status_code == 409
    assert "This complaint is filed: it can no longer be edited here." in refused.content.decode()
    complaint.refresh_from_db()
    assert complaint.description == text and complaint.category == "other"
    event = AuditEvent.objects.get(action="complaints.received")
    assert event.details["category"] == "other"  # what was filed is the edited draft


def test_a_bad_edit_is_named_per_field_and_kept(differing):
    hq = login("hq")
    open_draft(hq)
    draft = DiscrepancyDraft.objects.get()
    before = Complaint.objects.get().description
    answer = hq.post(draft_url(draft.pk), {"category": "other", "description": "   "})
    body = answer.content.decode()
    assert answer.status_code == 400 and "Describe what happened." in body
    assert 'id="id_description_error"' in body and 'value="other" selected' in body
    answer = hq.post(draft_url(draft.pk), {"category": "nonsense", "description": "kept text"})
    body = answer.content.decode()
    assert answer.status_code == 400 and 'id="id_category_error"' in body
    assert "Choose the kind of violation." in body and "kept text" in body
    long = "x" * 10_001
    answer = hq.post(draft_url(draft.pk, "ru"), {"category": "other", "description": long})
    assert answer.status_code == 400 and "Описание слишком длинное." in answer.content.decode()
    assert Complaint.objects.get().description == before


def test_only_the_hq_roles_that_file_may_edit(differing):
    hq = login("hq")
    open_draft(hq)
    draft = DiscrepancyDraft.objects.get()
    data = {"category": "other", "description": "not theirs"}
    for name in ("chair", "obs1", "nobody"):
        client = login(name)
        assert client.get(draft_url(draft.pk)).status_code == 403, name
        assert client.post(draft_url(draft.pk), data).status_code == 403, name
    anonymous = Client().get(draft_url(draft.pk))
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    assert Complaint.objects.get().description != "not theirs"
    coordinator = login("coord")
    assert coordinator.post(draft_url(draft.pk), data).status_code == 302
    assert Complaint.objects.get().description == "not theirs"
    assert hq.get(draft_url(draft.pk + 1000)).status_code == 404
