"""Messages to a complainant: by SMS (saylau.notify) to a phone, by Django's e-mail backend to
an address. A failure is logged without the number, the address or the text."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.utils.translation import gettext as _

from saylau.complaints.models import Complaint
from saylau.notify import SmsError, send_sms

logger = logging.getLogger(__name__)


def hotline_address() -> str:
    return str(settings.SAYLAU_HOTLINE_ADDRESS)


def tell(complaint: Complaint, text: str) -> bool:
    """Send `text` to the complainant's phone and e-mail; False when neither reached."""
    sent = False
    if complaint.contact_phone:
        try:
            send_sms(complaint.contact_phone, text)
            sent = True
        except SmsError as error:
            logger.warning("complaint %s: SMS not sent: %s", complaint.pk, error)
    if complaint.contact_email:
        try:
            subject = _("Complaint %(reference)s") % {"reference": complaint.reference}
            send_mail(subject, text, hotline_address(), [complaint.contact_email])
            sent = True
        except Exception as error:  # any backend's failure; the address is not logged
            logger.warning("complaint %s: e-mail not sent: %s", complaint.pk, type(error).__name__)
    return sent


def acknowledge(complaint: Complaint, access_code: str) -> bool:
    return tell(
        complaint,
        _(
            "Your complaint is registered. Reference: %(reference)s, access code: %(code)s. "
            "Keep them to check your complaint."
        )
        % {"reference": complaint.reference, "code": access_code},
    )


def ask_for_more(complaint: Complaint) -> bool:
    return tell(
        complaint,
        _(
            "The committee asks for more evidence on complaint %(reference)s: %(request)s "
            "Add it with your reference and access code."
        )
        % {"reference": complaint.reference, "request": complaint.more_info_asked},
    )


def decided(complaint: Complaint) -> bool:
    return tell(
        complaint,
        _("The committee has decided on complaint %(reference)s. See the register of decisions.")
        % {"reference": complaint.reference},
    )
