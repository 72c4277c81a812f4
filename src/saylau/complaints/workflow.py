"""The steps of a case, each checked against the user's role and the case's state, each an
event of the audit log (ids, codes and hashes only):

(a draft of the observers' HQ, filed: decision 0042) → received → (more evidence asked →
received) | merged | under review (member, deadline) → decided (substantiated or not,
reasoning, sanctions) → appealed → final, or final when the appeal window has passed.
Sanctions take effect when the decision is final (decision 0035).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from saylau.complaints import replies, roles
from saylau.complaints.errors import ComplaintError, SanctionRefused, WrongStep
from saylau.complaints.intake import clean_text
from saylau.complaints.models import (
    Category,
    CommitteeRules,
    Complaint,
    Decision,
    ImposedSanction,
    Status,
)
from saylau.complaints.sanction_specs import SanctionSpec, checked
from saylau.elections.audit import audit
from saylau.protocol import sanctions as shape
from saylau.registry.errors import MemberError
from saylau.registry.services import exclude_member

MAX_TEXT = 10_000


def rules_of(complaint: Complaint) -> CommitteeRules:
    rules, _created = CommitteeRules.objects.get_or_create(election=complaint.election)
    return rules


def _locked(complaint: Complaint, *states: str) -> Complaint:
    fresh = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if fresh.status not in states:
        raise WrongStep(
            _("This step cannot be taken: the case is %(status)s.")
            % {"status": fresh.get_status_display()}
        )
    return fresh


def _text(value: str, field: str, missing: str) -> str:
    value = value.strip()
    if not value:
        raise ComplaintError(missing, field=field)
    if len(value) > MAX_TEXT:
        raise ComplaintError(_("The text is too long."), field=field)
    return value


def _event(complaint: Complaint, actor: Any, action: str, **details: Any) -> None:
    name = actor if isinstance(actor, str) else actor.get_username()
    audit(
        complaint.election,
        name,
        action,
        complaint=complaint.pk,
        reference=complaint.reference,
        **details,
    )


@transaction.atomic
def file_draft(complaint: Complaint, user: Any, now: dt.datetime | None = None) -> Complaint:
    """An HQ draft becomes a received complaint: from now on the committee sees it; its
    received time is the filing's."""
    roles.require(user, roles.FILE_DRAFT)
    complaint = _locked(complaint, Status.DRAFT)
    complaint.status = Status.RECEIVED
    complaint.created_at = now or timezone.now()
    complaint.save(update_fields=["status", "created_at"])
    _event(
        complaint,
        user,
        "complaints.received",
        channel=complaint.channel,
        category=complaint.category,
        evidence=list(complaint.evidence.values_list("sha256", flat=True)),
    )
    return complaint


@transaction.atomic
def edit_draft(complaint: Complaint, user: Any, category: str, description: str) -> Complaint:
    """A draft's kind and description changed before it is filed (decision 0046); a filed
    complaint is the committee's and is not changed here. The event names the text's hash."""
    roles.require(user, roles.FILE_DRAFT)
    category, description = clean_text(category, description)
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if complaint.status != Status.DRAFT:
        raise WrongStep(_("This complaint is filed: it can no longer be edited here."))
    complaint.category, complaint.description = category, description
    complaint.save(update_fields=["category", "description"])
    digest = hashlib.sha256(description.encode()).hexdigest()
    _event(complaint, user, "complaints.draft_edited", category=category, description=digest)
    return complaint


@transaction.atomic
def ask_for_more(complaint: Complaint, user: Any, request: str) -> Complaint:
    roles.require(user, roles.TRIAGE)
    request = _text(request, "request", _("Say what evidence is missing."))
    complaint = _locked(complaint, Status.RECEIVED)
    complaint.status = Status.MORE_INFO
    complaint.more_info_asked = request
    complaint.save(update_fields=["status", "more_info_asked"])
    _event(complaint, user, "complaints.more_asked", contacted=complaint.has_contact)
    transaction.on_commit(lambda: replies.ask_for_more(complaint), robust=True)
    return complaint


@transaction.atomic
def merge(complaint: Complaint, user: Any, into_reference: str) -> Complaint:
    """A duplicate joins the case it repeats (which must not be merged itself)."""
    roles.require(user, roles.TRIAGE)
    target = (
        Complaint.objects.filed()
        .filter(reference=into_reference.strip().upper(), election=complaint.election)
        .first()
    )
    if target is None or target.pk == complaint.pk or target.status == Status.MERGED:
        raise ComplaintError(_("Name another open complaint of this election."), field="into")
    complaint = _locked(complaint, Status.RECEIVED, Status.MORE_INFO)
    complaint.status = Status.MERGED
    complaint.merged_into = target
    complaint.save(update_fields=["status", "merged_into"])
    _event(complaint, user, "complaints.merged", into=target.pk, into_reference=target.reference)
    return complaint


@transaction.atomic
def recategorise(complaint: Complaint, user: Any, category: str) -> Complaint:
    """Triage sets the kind of violation (an e-mailed complaint arrives as "other")."""
    roles.require(user, roles.TRIAGE)
    if category not in Category.values:
        raise ComplaintError(_("Choose one of the kinds of violation."), field="category")
    complaint = _locked(complaint, Status.RECEIVED, Status.MORE_INFO, Status.UNDER_REVIEW)
    before = complaint.category
    complaint.category = category
    complaint.save(update_fields=["category"])
    _event(complaint, user, "complaints.recategorised", before=before, after=category)
    return complaint


@transaction.atomic
def assign(
    complaint: Complaint, user: Any, assignee: Any, deadline: dt.datetime | None = None
) -> Complaint:
    """Put the case under review by `assignee` (a member who may decide) until `deadline`
    (by default the election's review days from now); again to reassign."""
    roles.require(user, roles.ASSIGN)
    if assignee is None or not assignee.has_perm(roles.DECIDE):
        raise ComplaintError(_("Choose a committee member."), field="assignee")
    now = timezone.now()
    deadline = deadline or now + dt.timedelta(days=rules_of(complaint).review_days)
    if deadline <= now:
        raise ComplaintError(_("The deadline must be in the future."), field="deadline")
    complaint = _locked(complaint, Status.RECEIVED, Status.UNDER_REVIEW)
    complaint.status = Status.UNDER_REVIEW
    complaint.assignee = assignee
    complaint.deadline = deadline
    complaint.save(update_fields=["status", "assignee", "deadline"])
    _event(
        complaint,
        user,
        "complaints.assigned",
        assignee=assignee.pk,
        deadline=deadline.isoformat(),
    )
    return complaint


@transaction.atomic
def decide(
    complaint: Complaint,
    user: Any,
    *,
    substantiated: bool,
    reasoning: str,
    sanctions: Sequence[SanctionSpec] = (),
    now: dt.datetime | None = None,
) -> Decision:
    """The decision, with its written reasoning; sanctions only by the chair and only with
    a substantiated decision. The appeal window opens."""
    roles.require(user, roles.DECIDE)
    complaint = _locked(complaint, Status.UNDER_REVIEW)
    roles.require_decider(user, complaint.assignee_id)  # the assignee as stored now
    reasoning = _text(reasoning, "reasoning", _("Write the reasoning of the decision."))
    if sanctions:
        roles.require(user, roles.SANCTION)
        if not substantiated:
            raise SanctionRefused(_("Only a substantiated complaint leads to a sanction."))
    specs = checked(complaint.election, sanctions)
    now = now or timezone.now()
    number = (Decision.objects.aggregate(top=Max("number"))["top"] or 0) + 1
    decision = Decision.objects.create(
        complaint=complaint,
        number=number,
        reference=f"PCC-{now.year}-{number:04d}",
        substantiated=substantiated,
        reasoning=reasoning,
        decided_by=user,
        decided_at=now,
        appeal_until=now + dt.timedelta(days=rules_of(complaint).appeal_days),
    )
    for spec in specs:
        ImposedSanction.objects.create(
            decision=decision,
            kind=spec.kind,
            district=spec.district,
            contest=spec.contest,
            option=spec.option,
            station=spec.station,
            member_id=spec.member_id,
        )
    complaint.status = Status.DECIDED
    complaint.save(update_fields=["status"])
    _event(
        complaint,
        user,
        "complaints.decided",
        decision=decision.reference,
        substantiated=substantiated,
        sanctions=[s.kind for s in specs],
    )
    transaction.on_commit(lambda: replies.decided(complaint), robust=True)
    return decision


def _appeal(complaint: Complaint, actor: Any, grounds: str, now: dt.datetime | None) -> Decision:
    grounds = _text(grounds, "grounds", _("Give the grounds of the appeal."))
    complaint = _locked(complaint, Status.DECIDED)
    decision = Decision.objects.select_for_update().get(complaint=complaint)
    if (now or timezone.now()) > decision.appeal_until:
        raise WrongStep(_("The time for an appeal against this decision has passed."))
    decision.appeal = Decision.Appeal.PENDING
    decision.appeal_grounds = grounds
    decision.save(update_fields=["appeal", "appeal_grounds"])
    complaint.status = Status.APPEALED
    complaint.save(update_fields=["status"])
    _event(complaint, actor, "complaints.appealed", decision=decision.reference)
    return decision


@transaction.atomic
def log_appeal(
    complaint: Complaint, user: Any, grounds: str, now: dt.datetime | None = None
) -> Decision:
    """An appeal received by the hotline or in writing (the complainant's or the party's)."""
    roles.require(user, roles.LOG_APPEAL)
    return _appeal(complaint, user, grounds, now)


@transaction.atomic
def complainant_appeal(
    complaint: Complaint, grounds: str, now: dt.datetime | None = None
) -> Decision:
    """The complainant's appeal (they showed the access code)."""
    return _appeal(complaint, "complainant", grounds, now)


def _make_final(complaint: Complaint, decision: Decision, user: Any, now: dt.datetime) -> None:
    decision.final_at = now
    decision.save(update_fields=["final_at", "appeal", "appeal_reasoning"])
    complaint.status = Status.FINAL
    complaint.save(update_fields=["status"])
    for item in decision.sanctions.filter(withdrawn=False, kind=shape.EXCLUDE_MEMBER):
        _exclude(complaint, decision, item, user, now)
    _event(complaint, user, "complaints.final", decision=decision.reference)


def _exclude(
    complaint: Complaint, decision: Decision, item: ImposedSanction, user: Any, now: dt.datetime
) -> None:
    """The registry's own exclusion, the decision as its reason."""
    reason = _("Decision %(reference)s of the party control committee") % {
        "reference": decision.reference
    }
    try:
        exclude_member(int(item.member_id or 0), reason=reason, on=now.date())
    except MemberError as error:
        _event(complaint, user, "complaints.exclusion_skipped", sanction=item.pk, code=error.code)
        return
    _event(complaint, user, "complaints.member_excluded", sanction=item.pk, member=item.member_id)


@transaction.atomic
def decide_appeal(
    complaint: Complaint,
    user: Any,
    *,
    upheld: bool,
    reasoning: str,
    now: dt.datetime | None = None,
) -> Decision:
    """Upheld: the decision and its sanctions become final. Overturned: its sanctions are
    withdrawn and the case is final."""
    roles.require(user, roles.DECIDE_APPEAL)
    reasoning = _text(reasoning, "reasoning", _("Write the reasoning of the decision."))
    complaint = _locked(complaint, Status.APPEALED)
    decision = Decision.objects.select_for_update().get(complaint=complaint)
    decision.appeal = Decision.Appeal.UPHELD if upheld else Decision.Appeal.OVERTURNED
    decision.appeal_reasoning = reasoning
    if not upheld:
        decision.sanctions.update(withdrawn=True)
    _event(complaint, user, "complaints.appeal_decided", upheld=upheld)
    _make_final(complaint, decision, user, now or timezone.now())
    return decision


@transaction.atomic
def make_final(complaint: Complaint, user: Any, now: dt.datetime | None = None) -> Decision:
    """A decision nobody appealed becomes final once its appeal window has passed."""
    roles.require(user, roles.DECIDE_APPEAL)
    complaint = _locked(complaint, Status.DECIDED)
    decision = Decision.objects.select_for_update().get(complaint=complaint)
    now = now or timezone.now()
    if now <= decision.appeal_until:
        raise WrongStep(_("The appeal window of this decision is still open."))
    _make_final(complaint, decision, user, now)
    return decision


def overdue(election: Any, now: dt.datetime | None = None) -> list[Complaint]:
    """The cases under review past their deadline."""
    return list(
        Complaint.objects.filter(
            election=election, status=Status.UNDER_REVIEW, deadline__lt=now or timezone.now()
        ).order_by("deadline")
    )
