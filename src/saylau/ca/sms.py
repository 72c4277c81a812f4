"""The CA's SMS: each member's secret code, in their language, through the CA's own
provider account (or, in the demo and tests, the server's development outbox)."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from saylau.ca.issue import CaError, Progress, SecretsFile
from saylau.i18n import _, gettext_noop, translation
from saylau.registry import phone as phone_rules

SMS_TEXT = gettext_noop(
    "%(title)s: your voting code is %(code)s. Keep it secret: you will enter it when you vote."
)


def sms_text(title: dict[str, str], code: str, lang: str) -> str:
    lang = lang if lang in title else "kk"
    return translation(lang).gettext(SMS_TEXT) % {"title": title.get(lang, ""), "code": code}


class SmsSender(Protocol):
    def send(self, phone: str, text: str) -> None: ...


class HttpSms:
    """The CA's own SMS provider account (the generic HTTP shape of saylau.notify)."""

    def __init__(self, url: str, token: str, sender: str = "saylau", timeout: float = 10.0):
        from saylau.notify.backends.http import HttpGateway

        self.gateway = HttpGateway(url, token, timeout=timeout)
        self.sender = sender

    def send(self, phone: str, text: str) -> None:
        from saylau.notify.gateway import SmsMessage

        self.gateway.send(
            SmsMessage(to=phone_rules.normalize(phone), body=text, sender=self.sender)
        )


class OutboxSms:
    """Demo and tests only: the server's development outbox (needs Django set up here)."""

    def send(self, phone: str, text: str) -> None:
        from saylau.notify.backends.outbox import OutboxGateway
        from saylau.notify.gateway import send_sms

        send_sms(phone, text, gateway=OutboxGateway())


def send_codes(sf: SecretsFile, path: Path, sender: SmsSender, progress: Progress) -> int:
    """Send every code not sent yet; stop at the first outage (re-run to resume)."""
    from saylau.notify.gateway import SmsRejected, SmsUnavailable

    pending = [r for r in sf.credentials if not r["sent"]]
    sent = 0
    try:
        for k, row in enumerate(pending):
            try:
                sender.send(row["phone"], sms_text(sf.title, row["code"], row["language"]))
            except (SmsRejected, phone_rules.PhoneError) as error:
                sf.failed.append({"member": row["member"], "reason": type(error).__name__})
            row["sent"] = True
            sent += 1
            if k % 200 == 199:
                sf.save(path)
            progress("sms", k + 1, len(pending))
    except SmsUnavailable as error:
        sf.save(path)
        raise CaError(
            _("The SMS provider is unavailable (%(reason)s); run the command again to resume.")
            % {"reason": error}
        ) from None
    sf.save(path)
    return sent
