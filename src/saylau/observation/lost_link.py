"""A lost personal link, issued again (decision 0046): the applicant gives their IIN and
phone, gets a code by SMS, and the right code makes a new link (the old one stops working).

The answers do not tell whether an IIN applied. A request is one state, kept in the
browser's session (stored on the server) and shaped alike whether the IIN and phone match
an application or not: the HMAC of a code drawn either way (sent only on a match), its
expiry and tries, and the times codes were asked for in this session (their cooldown and
day cap, `code_quota.check_times`). The network's cap counts every request (a `CodeSent`
row, with no applicant when nothing matched). A match whose own caps refuse (codes asked
from other browsers) is answered as if the code were sent, and nothing is sent.
"""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
from typing import Any

from saylau.observation import code_quota, personal_link, recruitment
from saylau.observation.models import Observer, Organisation, PhoneCheck
from saylau.voting.signin import clean_iin, clean_phone

PURPOSE = "saylau.observation.relink"
State = dict[str, Any]  # JSON, as the session keeps it


def _time(value: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(value, dt.UTC)


def _issue(
    organisation: Organisation,
    observer: Observer | None,
    asked: list[float],
    phone_tail: str,
    now: dt.datetime,
    source: str,
) -> State:
    """A new code for the request (sent if `observer` and their caps allow), as its state."""
    code_quota.check_times([_time(t) for t in asked], now)
    code_quota.check_network(source, now)
    code, nonce = recruitment.draw_code(), secrets.token_hex(16)
    sent = False
    if observer is not None:
        try:
            code_quota.check(observer, "", now)
        except code_quota.TooManyCodes:
            pass  # answered as if sent: the caps of one applicant would name them
        else:
            code_quota.record(observer, source, now)
            recruitment.send_code(observer.phone, code)
            sent = True
    if not sent:
        code_quota.record(None, source, now)
    return {
        "organisation": organisation.pk,
        "observer": observer.pk if observer is not None else None,
        "nonce": nonce,
        "code_hash": recruitment.code_hash(PURPOSE, nonce, code),
        "expires": (now + recruitment.CODE_TTL).timestamp(),
        "attempts": 0,
        "asked": [now.timestamp(), *asked][:10],
        "phone": phone_tail,
    }


def ask(
    organisation: Organisation,
    iin: str,
    phone: str,
    now: dt.datetime,
    source: str = "",
    previous: State | None = None,
) -> State:
    """Start a request from the form (`previous`: this session's last one, whose cooldown
    holds)."""
    iin, phone = clean_iin(iin), clean_phone(phone)
    asked = list(previous["asked"]) if previous else []
    observer = Observer.objects.filter(organisation=organisation, iin=iin, phone=phone).first()
    return _issue(organisation, observer, asked, phone[-4:], now, source)


def resend(organisation: Organisation, state: State, now: dt.datetime, source: str = "") -> State:
    """A new code for the same request (only the newest works)."""
    observer = Observer.objects.filter(pk=state["observer"], organisation=organisation).first()
    return _issue(organisation, observer, list(state["asked"]), state["phone"], now, source)


def renew(state: State, code: str, now: dt.datetime) -> tuple[Observer, str]:
    """(the applicant, their new link's token) if `code` is the request's; the try counts
    in `state` (the caller keeps it) whether or not it is right. The right code proves the
    phone, so an application whose phone was never confirmed is confirmed now."""
    recruitment.usable(state["attempts"], _time(state["expires"]), now)
    state["attempts"] += 1
    given = recruitment.code_hash(PURPOSE, state["nonce"], "".join(code.split()))
    observer = None
    if state["observer"] is not None and hmac.compare_digest(state["code_hash"], given):
        observer = Observer.objects.filter(pk=state["observer"]).first()
    if observer is None:
        raise recruitment.wrong_code(state["attempts"])
    check, _made = PhoneCheck.objects.get_or_create(
        observer=observer, defaults={"code_hash": "", "expires_at": now, "verified_at": now}
    )
    if check.verified_at is None:
        check.verified_at = now
        check.save(update_fields=["verified_at"])
    return observer, personal_link.issue(observer, now)
