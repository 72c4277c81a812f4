"""The applicant's personal link back to their training (decision 0041): a random token
given once, after the phone is confirmed, shown on the page and sent by SMS; only its
SHA-256 is kept. Opening the link puts the applicant in the browser's session, so the
token is in one address only, and a new link replaces the old one."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.utils.translation import gettext as _

from saylau.observation.errors import WrongState
from saylau.observation.models import Observer, PersonalLink, PhoneCheck
from saylau.voting import sms


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue(observer: Observer, now: dt.datetime) -> str:
    """A new token for a confirmed applicant (any earlier one stops working)."""
    if not PhoneCheck.objects.filter(observer=observer, verified_at__isnull=False).exists():
        raise WrongState(_("The applicant has not confirmed their phone."))
    token = secrets.token_urlsafe(32)
    PersonalLink.objects.update_or_create(
        observer=observer, defaults={"token_hash": _digest(token), "created_at": now}
    )
    return token


def send(observer: Observer, url: str) -> None:
    body = _("saylau: your observer training page: %(url)s Keep this link private.") % {"url": url}
    sms.dispatch(observer.phone, body)


def observer_of_token(token: str) -> Observer | None:
    if not token or len(token) > 100:
        return None
    link = (
        PersonalLink.objects.filter(token_hash=_digest(token))
        .select_related("observer__organisation")
        .first()
    )
    return link.observer if link is not None else None
