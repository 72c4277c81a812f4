"""The mail the SMTP intake could not turn into a complaint cleanly: kept, flagged, and
handled by an operator (who logs the complaint from it in the hotline console if it is one)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from saylau.complaints import roles
from saylau.complaints.errors import WrongStep
from saylau.complaints.models import InboundMail
from saylau.elections.audit import audit


def flagged() -> list[InboundMail]:
    return list(InboundMail.objects.filter(state=InboundMail.State.FLAGGED).order_by("id"))


@transaction.atomic
def mark_handled(mail_id: int, user: Any) -> InboundMail:
    roles.require(user, roles.HANDLE_MAIL)
    mail = InboundMail.objects.select_for_update().filter(pk=mail_id).first()
    if mail is None or mail.state != InboundMail.State.FLAGGED:
        raise WrongStep(_("This message is not waiting for an operator."))
    mail.state = InboundMail.State.HANDLED
    mail.save(update_fields=["state"])
    audit(None, user.get_username(), "complaints.mail_handled", mail=mail.pk, sha256=mail.sha256)
    return mail
