"""Who may take which step of a case: the roles' grants and the check the services run.

- complaints_operator (hotline): logs calls, asks for more evidence, merges duplicates, logs
  appeals and handles the mail the SMTP intake could not read;
- committee_member: triages, and decides the cases assigned to them;
- committee_chair: everything a member does, on any case, and puts cases under review,
  imposes sanctions, decides appeals and makes decisions final.
- observer_hq, observer_coordinator: open a complaint draft from an observer's protocol copy
  and file it (decision 0042); a draft is not the committee's until it is filed.
The auditor reads; the organiser sets an election's committee rules (admin).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from saylau.complaints.errors import ComplaintForbidden

VIEW = "complaints.view_complaint"
LOG_CALL = "complaints.log_call"
TRIAGE = "complaints.triage_complaint"
ASSIGN = "complaints.assign_complaint"
DECIDE = "complaints.decide_complaint"
SANCTION = "complaints.impose_sanction"
LOG_APPEAL = "complaints.log_appeal"
DECIDE_APPEAL = "complaints.decide_appeal"
HANDLE_MAIL = "complaints.handle_mail"
FILE_DRAFT = "complaints.file_draft"


def declare_grants() -> None:
    """The complaints app's part of the role groups (called from the app's ready())."""
    from saylau.web.roles import (
        AUDITOR,
        COMMITTEE_CHAIR,
        COMMITTEE_MEMBER,
        COMPLAINTS_OPERATOR,
        OBSERVER_COORDINATOR,
        OBSERVER_HQ,
        ORGANISER,
        grant,
    )

    rules = ("complaints.view_committeerules", "complaints.change_committeerules")
    grant(ORGANISER, *rules, "complaints.add_committeerules")
    grant(AUDITOR, VIEW, rules[0])
    grant(COMPLAINTS_OPERATOR, VIEW, LOG_CALL, TRIAGE, LOG_APPEAL, HANDLE_MAIL)
    grant(COMMITTEE_MEMBER, VIEW, TRIAGE, DECIDE)
    grant(COMMITTEE_CHAIR, VIEW, TRIAGE, ASSIGN, DECIDE, SANCTION, LOG_APPEAL, DECIDE_APPEAL)
    grant(OBSERVER_HQ, FILE_DRAFT)
    grant(OBSERVER_COORDINATOR, FILE_DRAFT)


def _refusal(permission: str) -> str:
    messages = {
        VIEW: _("Your account may not see the complaints."),
        LOG_CALL: _("Only a hotline operator can log a call."),
        TRIAGE: _("Your account may not triage complaints."),
        ASSIGN: _("Only the committee chair can put a complaint under review."),
        DECIDE: _("Only a committee member can decide a complaint."),
        SANCTION: _("Only the committee chair can impose a sanction."),
        LOG_APPEAL: _("Your account may not log an appeal."),
        DECIDE_APPEAL: _("Only the committee chair can decide an appeal."),
        HANDLE_MAIL: _("Your account may not handle the intake's e-mail."),
        FILE_DRAFT: _("Only the observers' headquarters can open and file a complaint draft."),
    }
    return messages[permission]


def allowed(user: Any, permission: str) -> bool:
    return bool(user.is_authenticated and user.has_perm(permission))


def require(user: Any, permission: str) -> None:
    """Raise ComplaintForbidden unless `user` holds `permission`."""
    if not allowed(user, permission):
        raise ComplaintForbidden(_refusal(permission))


def require_decider(user: Any, assignee_id: int | None) -> None:
    """A member decides the cases assigned to them; the chair (who assigns) any case."""
    require(user, DECIDE)
    if user.has_perm(ASSIGN) or assignee_id == user.pk:
        return
    raise ComplaintForbidden(_("This case is assigned to another committee member."))
