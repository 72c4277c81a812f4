"""Changes to one member: exclusion and reinstatement."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from saylau.registry.errors import MemberError
from saylau.registry.models import Member


def exclude_member(member_id: int, *, reason: str, on: dt.date) -> Member:
    """Exclude a member (they leave every roll that has not closed yet)."""
    reason = " ".join(reason.split())
    if not reason:
        raise MemberError(_("Give the reason for the exclusion."), field="reason")
    with transaction.atomic():
        member = Member.objects.select_for_update().get(pk=member_id)
        if member.status == Member.Status.EXCLUDED:
            raise MemberError(_("This member is already excluded."))
        if on < member.join_date:
            raise MemberError(_("The exclusion date is before the join date."), field="on")
        member.status = Member.Status.EXCLUDED
        member.excluded_reason = reason
        member.excluded_on = on
        member.save(update_fields=["status", "excluded_reason", "excluded_on"])
        return member


def reinstate_member(member_id: int) -> Member:
    """Make an excluded member active again, if nobody active has their phone since."""
    with transaction.atomic():
        member = Member.objects.select_for_update().get(pk=member_id)
        if member.status == Member.Status.ACTIVE:
            raise MemberError(_("This member is already active."))
        taken = (
            Member.objects.filter(status=Member.Status.ACTIVE, phone=member.phone)
            .exclude(pk=member.pk)
            .exists()
        )
        if taken:
            raise MemberError(
                _("Another active member now has this phone number; change it first."),
                field="phone",
            )
        member.status = Member.Status.ACTIVE
        member.excluded_reason = ""
        member.excluded_on = None
        member.save(update_fields=["status", "excluded_reason", "excluded_on"])
        return member
