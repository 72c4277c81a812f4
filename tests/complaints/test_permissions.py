"""Every step of a case against every role: who may take it (decision 0035's table), a
refusal changes nothing, and each step taken is exactly one audit event."""

from __future__ import annotations

import datetime as dt

import pytest

from saylau.complaints import mailbox, workflow
from saylau.complaints.errors import ComplaintForbidden
from saylau.complaints.models import InboundMail
from saylau.complaints.sanction_specs import SanctionSpec
from saylau.elections.models import AuditEvent

pytestmark = pytest.mark.django_db
ROLES = ("op", "mem", "chair", "aud", "nobody")


def received(cw):
    return cw.complaint()


def under_review(cw):
    return workflow.assign(cw.complaint(), cw.users["chair"], cw.users["mem"])


def decided(cw):
    return workflow.decide(
        under_review(cw), cw.users["chair"], substantiated=True, reasoning="Proven."
    ).complaint


def appealed(cw):
    complaint = decided(cw)
    workflow.complainant_appeal(complaint, "Unfair.")
    return complaint


def late(complaint):
    return complaint.decision.appeal_until + dt.timedelta(seconds=1)


# step: (the case it needs, the step, the action it audits, the roles that may take it)
STEPS = {
    "ask for more": (
        received,
        lambda c, u: workflow.ask_for_more(c, u, "A photo."),
        "complaints.more_asked",
        {"op", "mem", "chair"},
    ),
    "merge": (
        received,
        lambda c, u: workflow.merge(c, u, c.election_complaint_ref),
        "complaints.merged",
        {"op", "mem", "chair"},
    ),
    "assign": (
        received,
        lambda c, u: workflow.assign(c, u, c.member),
        "complaints.assigned",
        {"chair"},
    ),
    "decide": (
        under_review,
        lambda c, u: workflow.decide(c, u, substantiated=False, reasoning="No proof."),
        "complaints.decided",
        {"mem", "chair"},
    ),
    "decide with a sanction": (
        under_review,
        lambda c, u: workflow.decide(
            c, u, substantiated=True, reasoning="Yes.", sanctions=[SanctionSpec("warning")]
        ),
        "complaints.decided",
        {"chair"},
    ),
    "log an appeal": (
        decided,
        lambda c, u: workflow.log_appeal(c, u, "Unfair."),
        "complaints.appealed",
        {"op", "chair"},
    ),
    "decide an appeal": (
        appealed,
        lambda c, u: workflow.decide_appeal(c, u, upheld=True, reasoning="Right."),
        "complaints.appeal_decided",
        {"chair"},
    ),
    "make final": (
        decided,
        lambda c, u: workflow.make_final(c, u, now=late(c)),
        "complaints.final",
        {"chair"},
    ),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("step", list(STEPS))
def test_who_may_take_each_step(cw, step, role):
    prepare, take, action, allowed = STEPS[step]
    complaint = prepare(cw)
    complaint.refresh_from_db()
    complaint.election_complaint_ref = cw.complaint().reference  # a case to merge into
    complaint.member = cw.users["mem"]
    status = complaint.status
    before = AuditEvent.objects.filter(action=action).count()
    if role in allowed:
        take(complaint, cw.users[role])
        assert AuditEvent.objects.filter(action=action).count() == before + 1
        complaint.refresh_from_db()
        assert complaint.status != status
    else:
        with pytest.raises(ComplaintForbidden):
            take(complaint, cw.users[role])
        complaint.refresh_from_db()
        assert complaint.status == status
        assert AuditEvent.objects.filter(action=action).count() == before


@pytest.mark.parametrize("role", ROLES)
def test_who_may_change_the_kind_of_violation(cw, role):
    """Triage (operator, member, chair) changes a case's kind; it keeps its state."""
    complaint = cw.complaint()
    if role in {"op", "mem", "chair"}:
        workflow.recategorise(complaint, cw.users[role], "coercion")
    else:
        with pytest.raises(ComplaintForbidden):
            workflow.recategorise(complaint, cw.users[role], "coercion")
    complaint.refresh_from_db()
    changed = role in {"op", "mem", "chair"}
    assert (complaint.category == "coercion") == changed
    assert AuditEvent.objects.filter(action="complaints.recategorised").count() == int(changed)


@pytest.mark.parametrize("role", ROLES)
def test_who_may_handle_flagged_mail(cw, role, settings, tmp_path):
    from django.core.files.base import ContentFile

    mail = InboundMail(sha256="0" * 64, state=InboundMail.State.FLAGGED, problem="malformed")
    mail.raw.save("x.eml", ContentFile(b"broken"), save=False)
    mail.save()
    if role == "op":
        assert mailbox.mark_handled(mail.pk, cw.users[role]).state == "handled"
        assert AuditEvent.objects.filter(action="complaints.mail_handled").count() == 1
    else:
        with pytest.raises(ComplaintForbidden):
            mailbox.mark_handled(mail.pk, cw.users[role])
        mail.refresh_from_db()
        assert mail.state == "flagged"
