"""Every step of a case, its permission, its state check and its audit event."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from saylau.complaints import intake, workflow
from saylau.complaints.errors import (
    ComplaintError,
    ComplaintForbidden,
    SanctionRefused,
    WrongStep,
)
from saylau.complaints.models import Status
from saylau.complaints.sanction_specs import SanctionSpec
from saylau.elections.models import AuditEvent
from saylau.notify.models import OutboxMessage
from saylau.registry.models import Member
from tests.complaints.world import png_bytes

pytestmark = pytest.mark.django_db(transaction=False)


def actions(complaint):
    return list(
        AuditEvent.objects.filter(details__complaint=complaint.pk).values_list("action", flat=True)
    )


def under_review(cw, assignee="mem"):
    complaint = cw.complaint()
    return workflow.assign(complaint, cw.users["chair"], cw.users[assignee])


def decided(cw, sanctions=(), substantiated=True):
    complaint = under_review(cw)
    return workflow.decide(
        complaint,
        cw.users["chair"],
        substantiated=substantiated,
        reasoning="Two witnesses and a video.",
        sanctions=sanctions,
    )


def test_a_complaint_is_received_audited_and_acknowledged(cw, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        complaint = cw.complaint()
    assert complaint.status == Status.RECEIVED
    assert complaint.reference.startswith("SC-")
    event = AuditEvent.objects.get(action="complaints.received")
    assert event.details["reference"] == complaint.reference
    assert "+77011234567" not in str(event.details) and "Aigerim" not in str(event.details)
    sms = OutboxMessage.objects.get()
    assert sms.to == "+77011234567" and complaint.reference in sms.body


def test_anonymous_complaint_keeps_no_contact(cw):
    complaint = cw.complaint(anonymous=True)
    assert (complaint.contact_name, complaint.contact_phone) == ("", "")


def test_unknown_district_station_or_candidate_is_refused(cw):
    for where in (
        intake.places.Where(district="KZ-99"),
        intake.places.Where(station="S-00"),
        intake.places.Where(district="KZ-71", station="S-75"),
        intake.places.Where(option="KZ-75-mazhilis-aa"),
    ):
        with pytest.raises(ComplaintError):
            cw.complaint(where=where)


def test_ask_for_more_then_the_complainant_adds_it(cw, django_capture_on_commit_callbacks):
    complaint = cw.complaint()
    with pytest.raises(ComplaintForbidden):
        workflow.ask_for_more(complaint, cw.users["aud"], "A photo, please.")
    with django_capture_on_commit_callbacks(execute=True):
        complaint = workflow.ask_for_more(complaint, cw.users["op"], "A photo, please.")
    assert complaint.status == Status.MORE_INFO
    assert OutboxMessage.objects.filter(body__contains="A photo, please.").exists()
    complaint = intake.add_more(complaint, "Here it is.", [png_bytes()], "complainant")
    assert complaint.status == Status.RECEIVED and complaint.evidence.count() == 1
    assert actions(complaint)[-2:] == ["complaints.more_asked", "complaints.more_added"]


def test_merge_a_duplicate(cw):
    first, second = cw.complaint(), cw.complaint()
    with pytest.raises(ComplaintForbidden):
        workflow.merge(second, cw.users["nobody"], first.reference)
    with pytest.raises(ComplaintError):
        workflow.merge(second, cw.users["op"], second.reference)
    merged = workflow.merge(second, cw.users["op"], first.reference.lower())
    assert merged.status == Status.MERGED and merged.merged_into == first
    with pytest.raises(WrongStep):
        workflow.assign(merged, cw.users["chair"], cw.users["mem"])
    assert "complaints.merged" in actions(merged)


def test_triage_changes_the_kind_of_violation(cw):
    complaint = cw.complaint()
    before = complaint.category
    with pytest.raises(ComplaintForbidden):
        workflow.recategorise(complaint, cw.users["aud"], "coercion")
    with pytest.raises(ComplaintError):
        workflow.recategorise(complaint, cw.users["op"], "no_such_kind")
    complaint.refresh_from_db()
    assert complaint.category == before
    changed = workflow.recategorise(complaint, cw.users["op"], "coercion")
    assert changed.category == "coercion"
    event = AuditEvent.objects.get(action="complaints.recategorised")
    assert event.details["before"] == before and event.details["after"] == "coercion"
    merged = workflow.merge(cw.complaint(), cw.users["op"], complaint.reference)
    with pytest.raises(WrongStep):
        workflow.recategorise(merged, cw.users["op"], "other")


def test_only_the_chair_assigns_and_only_to_a_member(cw):
    complaint = cw.complaint()
    for name in ("op", "mem", "aud"):
        with pytest.raises(ComplaintForbidden):
            workflow.assign(complaint, cw.users[name], cw.users["mem"])
    with pytest.raises(ComplaintError):
        workflow.assign(complaint, cw.users["chair"], cw.users["op"])
    with pytest.raises(ComplaintError):
        workflow.assign(
            complaint, cw.users["chair"], cw.users["mem"], timezone.now() - dt.timedelta(hours=1)
        )
    complaint = workflow.assign(complaint, cw.users["chair"], cw.users["mem"])
    assert complaint.status == Status.UNDER_REVIEW and complaint.deadline > timezone.now()


def test_overdue_cases(cw):
    complaint = under_review(cw)
    assert workflow.overdue(cw.election) == []
    later = complaint.deadline + dt.timedelta(minutes=1)
    assert workflow.overdue(cw.election, later) == [complaint]


def test_a_member_decides_only_their_own_case(cw):
    complaint = under_review(cw, "mem")
    for name in ("op", "mem2", "aud"):
        with pytest.raises(ComplaintForbidden):
            workflow.decide(complaint, cw.users[name], substantiated=False, reasoning="No.")
    with pytest.raises(ComplaintError):
        workflow.decide(complaint, cw.users["mem"], substantiated=False, reasoning="  ")
    decision = workflow.decide(complaint, cw.users["mem"], substantiated=False, reasoning="No.")
    assert decision.reference.startswith("PCC-") and decision.number == 1
    complaint.refresh_from_db()
    assert complaint.status == Status.DECIDED
    with pytest.raises(WrongStep):
        workflow.decide(complaint, cw.users["chair"], substantiated=True, reasoning="Yes.")


def test_only_the_chair_imposes_a_sanction_and_only_when_substantiated(cw):
    warning = [SanctionSpec("warning")]
    complaint = under_review(cw, "mem")
    with pytest.raises(ComplaintForbidden):
        workflow.decide(
            complaint, cw.users["mem"], substantiated=True, reasoning="Yes.", sanctions=warning
        )
    with pytest.raises(SanctionRefused):
        workflow.decide(
            complaint, cw.users["chair"], substantiated=False, reasoning="No.", sanctions=warning
        )
    for bad in (
        SanctionSpec("deregister_candidate", option="nobody"),
        SanctionSpec("annul_station", station="S-00"),
        SanctionSpec("annul_district", district="KZ-99"),
        SanctionSpec("exclude_member", member_id=999_999),
        SanctionSpec("reprimand"),
    ):
        with pytest.raises(SanctionRefused):
            workflow.decide(
                complaint, cw.users["chair"], substantiated=True, reasoning="Yes.", sanctions=[bad]
            )
    complaint.refresh_from_db()
    assert complaint.status == Status.UNDER_REVIEW  # every refusal changed nothing


def test_appeal_window_and_finality(cw):
    decision = decided(cw, [SanctionSpec("warning")])
    complaint = decision.complaint
    with pytest.raises(WrongStep):
        workflow.make_final(complaint, cw.users["chair"])  # the window is open
    late = decision.appeal_until + dt.timedelta(seconds=1)
    with pytest.raises(WrongStep):
        workflow.log_appeal(complaint, cw.users["op"], "Unfair.", now=late)
    with pytest.raises(ComplaintForbidden):
        workflow.make_final(complaint, cw.users["op"], now=late)
    decision = workflow.make_final(complaint, cw.users["chair"], now=late)
    assert decision.final_at == late
    complaint.refresh_from_db()
    assert complaint.status == Status.FINAL


def test_appeal_upheld_or_overturned(cw):
    upheld = decided(cw, [SanctionSpec("warning")])
    with pytest.raises(ComplaintForbidden):
        workflow.log_appeal(upheld.complaint, cw.users["mem"], "Unfair.")
    workflow.log_appeal(upheld.complaint, cw.users["op"], "Unfair.")
    with pytest.raises(ComplaintForbidden):
        workflow.decide_appeal(upheld.complaint, cw.users["mem"], upheld=True, reasoning="Ok.")
    done = workflow.decide_appeal(upheld.complaint, cw.users["chair"], upheld=True, reasoning="Ok.")
    assert done.appeal == "upheld" and done.final_at is not None
    assert not done.sanctions.filter(withdrawn=True).exists()

    overturned = decided(cw, [SanctionSpec("warning")])
    workflow.complainant_appeal(overturned.complaint, "The evidence was forged.")
    done = workflow.decide_appeal(
        overturned.complaint, cw.users["chair"], upheld=False, reasoning="Forged video."
    )
    assert done.appeal == "overturned" and done.sanctions.get().withdrawn
    assert actions(done.complaint)[-3:] == [
        "complaints.appealed",
        "complaints.appeal_decided",
        "complaints.final",
    ]


def test_member_exclusion_goes_through_the_registry_when_final(cw):
    decision = decided(cw, [SanctionSpec("exclude_member", member_id=cw.member.pk)])
    cw.member.refresh_from_db()
    assert cw.member.status == Member.Status.ACTIVE  # not before the decision is final
    late = decision.appeal_until + dt.timedelta(seconds=1)
    workflow.make_final(decision.complaint, cw.users["chair"], now=late)
    cw.member.refresh_from_db()
    assert cw.member.status == Member.Status.EXCLUDED
    assert decision.reference in cw.member.excluded_reason
    event = AuditEvent.objects.get(action="complaints.member_excluded")
    assert event.details["member"] == cw.member.pk


def test_the_access_code_is_kept_only_as_a_keyed_hash_of_the_reference_and_code(cw):
    import hashlib

    complaint, code = intake.submit(
        cw.election,
        intake.NewComplaint(
            category="vote_buying",
            description="Money was offered for votes at station S-75.",
            where=intake.places.Where(district="KZ-75", station="S-75"),
            contact=intake.Contact(name="Aigerim", phone="+77011234567"),
        ),
        channel="web",
        actor="public",
    )
    stored = complaint.access_hash
    assert code not in stored and stored != hashlib.sha256(code.encode()).hexdigest()
    assert stored != intake.code_hash("SC-AAAA-BBBB", code)  # salted by the reference
    assert intake.find(complaint.reference.lower(), f" {code.lower()} ") == complaint
    with pytest.raises(ComplaintError):
        intake.find(complaint.reference, code[:-1] + ("A" if code[-1] != "A" else "B"))
