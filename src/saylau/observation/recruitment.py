"""Recruitment: a public application (IIN checked, phone proven by an SMS code, region,
availability) → screening → training (online quiz modules with a pass mark, an offline
session attended) → certified. Each step is the coordinator's to see (`progress`).

IIN and phone are read by the voters' sign-in rules (voting.signin) and the code is sent the
way theirs is (voting.sms); the code is kept only as an HMAC.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from saylau.observation import code_quota
from saylau.observation.errors import ObservationError, WrongState
from saylau.observation.models import (
    Observer,
    Organisation,
    PhoneCheck,
    QuizAttempt,
    TrainingModule,
    TrainingSession,
)
from saylau.observation.roles import require_coordinator
from saylau.voting import sms
from saylau.voting.signin import clean_iin, clean_phone

CODE_TTL = dt.timedelta(minutes=10)
MAX_ATTEMPTS = 5
Status = Observer.Status


class WrongCode(ObservationError):
    """A wrong or expired code; the attempt is counted (kept)."""

    code = "observation.wrong_code"
    keep_changes = True


def code_hash(purpose: str, subject: object, code: str) -> str:
    """The HMAC a code is kept as, under the site's secret (`subject`: whose code)."""
    message = f"{purpose}\x00{subject}\x00{code}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def _hash(observer_id: int, code: str) -> str:
    return code_hash("saylau.observation.phone", observer_id, code)


def draw_code() -> str:
    return f"{secrets.randbelow(10**6):06d}"


def send_code(phone: str, code: str) -> None:
    sms.dispatch(phone, _("Your saylau observer code: %(code)s") % {"code": code})


def usable(attempts: int, expires_at: dt.datetime, now: dt.datetime) -> None:
    """Refuse a code that may not be tried any more (too many wrong tries, or expired)."""
    if attempts >= MAX_ATTEMPTS:
        raise ObservationError(
            _("Too many wrong codes: ask for a new one."), code="too_many_attempts", field="code"
        )
    if now > expires_at:
        raise ObservationError(
            _("The code has expired; ask for a new one."), code="expired", field="code"
        )


def wrong_code(attempts: int) -> WrongCode:
    """The refusal of a wrong code, `attempts` tries made (this one counted)."""
    left = MAX_ATTEMPTS - attempts
    return WrongCode(
        _("The code is not right. Attempts left: %(left)d.") % {"left": left}, field="code"
    )


def apply(
    organisation: Organisation,
    full_name: str,
    iin: str,
    phone: str,
    region: str,
    availability: list[str],
    now: dt.datetime,
    source: str = "",
) -> Observer:
    """Record an application and send the phone's code by SMS (`source`: the HMAC of the
    sender's network, code_quota.source_key, capped per hour)."""
    name = " ".join(full_name.split())
    if not name or len(name) > 200:
        raise ObservationError(_("Enter your full name."), field="full_name")
    if not region or len(region) > 64:
        raise ObservationError(_("Choose your region."), field="region")
    iin, phone = clean_iin(iin), clean_phone(phone)
    code_quota.check(None, source, now)
    try:
        with transaction.atomic():
            observer = Observer.objects.create(
                organisation=organisation, full_name=name, iin=iin, phone=phone, region=region
            )
    except IntegrityError as error:
        raise ObservationError(
            _("You have already applied to this organisation."),
            code="observation.already_applied",
            field="iin",
        ) from error
    _send_code(observer, now, availability, source)
    return observer


def resend_code(observer: Observer, now: dt.datetime, source: str = "") -> None:
    """A new code (the old one stops working), within the applicant's and the network's caps."""
    if PhoneCheck.objects.filter(observer=observer, verified_at__isnull=False).exists():
        raise WrongState(_("Your phone is already confirmed."))
    code_quota.check(observer, source, now)
    _send_code(observer, now, None, source)


def _send_code(
    observer: Observer, now: dt.datetime, availability: list[str] | None, source: str
) -> None:
    code = draw_code()
    defaults: dict[str, Any] = {
        "code_hash": _hash(observer.pk, code),
        "expires_at": now + CODE_TTL,
        "attempts": 0,
    }
    if availability is not None:
        defaults["availability"] = [str(a)[:32] for a in availability][:10]
    PhoneCheck.objects.update_or_create(observer=observer, defaults=defaults)
    code_quota.record(observer, source, now)
    send_code(observer.phone, code)


def verify_phone(observer: Observer, code: str, now: dt.datetime) -> None:
    check = PhoneCheck.objects.select_for_update().get(observer=observer)
    if check.verified_at is not None:
        return
    usable(check.attempts, check.expires_at, now)
    check.attempts += 1
    if not hmac.compare_digest(check.code_hash, _hash(observer.pk, "".join(code.split()))):
        check.save(update_fields=["attempts"])
        raise wrong_code(check.attempts)
    check.verified_at = now
    check.save(update_fields=["attempts", "verified_at"])


def _move(observer: Observer, before: str, after: str) -> None:
    if observer.status != before:
        raise WrongState(_("This applicant is not at that step."))
    observer.status = after
    observer.save(update_fields=["status"])


def screen(user: Any, observer: Observer, accept: bool) -> None:
    require_coordinator(user, observer.organisation)
    if not PhoneCheck.objects.filter(observer=observer, verified_at__isnull=False).exists():
        raise WrongState(_("The applicant has not confirmed their phone."))
    _move(observer, Status.APPLIED, Status.SCREENED if accept else Status.REJECTED)


def take_quiz(observer: Observer, module: TrainingModule, answers: dict[str, int]) -> QuizAttempt:
    """Score the answers (question id → choice index); passing every module and attending a
    session makes a screened applicant trained."""
    if module.organisation_id != observer.organisation_id:
        raise WrongState(_("This module is not your organisation's."))
    correct = sum(1 for q in module.questions if answers.get(str(q["id"])) == q["answer"])
    attempt = QuizAttempt.objects.create(
        observer=observer, module=module, correct=correct, passed=correct >= module.pass_mark
    )
    _maybe_trained(observer)
    return attempt


def mark_attendance(user: Any, session: TrainingSession, observer: Observer) -> None:
    require_coordinator(user, session.hq.organisation)
    if observer.organisation_id != session.hq.organisation_id:
        raise WrongState(_("This applicant is not your organisation's."))
    session.attendees.add(observer)
    _maybe_trained(observer)


def _maybe_trained(observer: Observer) -> None:
    if observer.status == Status.SCREENED and progress(observer).training_done:
        _move(observer, Status.SCREENED, Status.TRAINED)


def certify(user: Any, observer: Observer) -> None:
    require_coordinator(user, observer.organisation)
    _move(observer, Status.TRAINED, Status.CERTIFIED)


@dataclass(frozen=True)
class Progress:
    status: str
    phone_verified: bool
    modules_passed: int
    modules: int
    sessions_attended: int

    @property
    def training_done(self) -> bool:
        return self.modules_passed == self.modules and self.sessions_attended > 0


def progress(observer: Observer) -> Progress:
    """Where the applicant is: their status, phone, modules passed, sessions attended."""
    modules = TrainingModule.objects.filter(organisation_id=observer.organisation_id)
    passed = (
        QuizAttempt.objects.filter(observer=observer, passed=True, module__in=modules)
        .values("module")
        .distinct()
        .count()
    )
    return Progress(
        status=observer.status,
        phone_verified=PhoneCheck.objects.filter(
            observer=observer, verified_at__isnull=False
        ).exists(),
        modules_passed=passed,
        modules=modules.count(),
        sessions_attended=observer.sessions.count(),
    )
