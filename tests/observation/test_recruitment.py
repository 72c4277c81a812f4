"""Recruitment: application with IIN and phone checked, the SMS code, screening, training
(quiz with a pass mark, an attended session), certification, and the progress shown."""

from __future__ import annotations

import re

import pytest

from saylau.errors import UserError
from saylau.notify.outbox import recent
from saylau.observation import recruitment as rec
from saylau.observation.errors import ObservationForbidden, WrongState
from saylau.observation.models import PhoneCheck, TrainingModule, TrainingSession
from tests.observation.world import NOW

QUESTIONS = [
    {"id": "q1", "text": {"en": "Can you touch ballots?"}, "choices": [{"en": "no"}], "answer": 0},
    {"id": "q2", "text": {"en": "May you photograph?"}, "choices": [{"en": "yes"}], "answer": 0},
]


@pytest.fixture(autouse=True)
def inline_sms(settings):
    settings.SAYLAU_OTP_SMS_MODE = "inline"
    settings.SAYLAU_SMS_BACKEND = "outbox"


@pytest.fixture
def applicant(ow, members):
    row = members(1, seed=99)[0]
    observer = rec.apply(ow.ak, f"  {row[1]} ", row[0], row[2], "KZ-75", ["voting"], NOW)
    return ow, observer


def code_sent() -> str:
    match = re.search(r"\b(\d{6})\b", recent(1)[0].body)
    assert match is not None
    return match.group(1)


def test_an_application_needs_a_valid_iin_and_phone(ow, members):
    row = members(1, seed=98)[0]
    bad_iin = row[0][:-1] + str((int(row[0][-1]) + 1) % 10)
    with pytest.raises(UserError) as caught:
        rec.apply(ow.ak, row[1], bad_iin, row[2], "KZ-75", [], NOW)
    assert caught.value.field == "iin"
    with pytest.raises(UserError) as caught:
        rec.apply(ow.ak, row[1], row[0], "12345", "KZ-75", [], NOW)
    assert caught.value.field == "phone"
    assert not recent()


def test_the_phone_code_is_sent_and_checked(applicant):
    _ow, observer = applicant
    assert observer.status == "applied" and observer.full_name == observer.full_name.strip()
    with pytest.raises(rec.WrongCode):
        rec.verify_phone(observer, "000000" if code_sent() != "000000" else "111111", NOW)
    assert PhoneCheck.objects.get().attempts == 1
    rec.verify_phone(observer, code_sent(), NOW)
    assert rec.progress(observer).phone_verified
    assert code_sent() not in PhoneCheck.objects.get().code_hash


def test_applying_twice_is_refused(applicant, members):
    ow, observer = applicant
    with pytest.raises(UserError):
        rec.apply(ow.ak, "Again", observer.iin, observer.phone, "KZ-75", [], NOW)


def test_from_application_to_certified(applicant):
    ow, observer = applicant
    coord = ow.users["coord"]
    with pytest.raises(WrongState):
        rec.screen(coord, observer, True)  # phone not confirmed yet
    rec.verify_phone(observer, code_sent(), NOW)
    with pytest.raises(ObservationForbidden):
        rec.screen(ow.users["coord_b"], observer, True)
    rec.screen(coord, observer, True)
    module = TrainingModule.objects.create(
        organisation=ow.ak, title={"en": "Rules"}, questions=QUESTIONS, pass_mark=2
    )
    assert not rec.take_quiz(observer, module, {"q1": 0, "q2": 1}).passed
    assert rec.take_quiz(observer, module, {"q1": 0, "q2": 0}).passed
    observer.refresh_from_db()
    assert observer.status == "screened"  # no session attended yet
    session = TrainingSession.objects.create(
        hq=ow.ak.hqs.get(), starts_at=NOW, place="Almaty, office"
    )
    rec.mark_attendance(coord, session, observer)
    observer.refresh_from_db()
    assert observer.status == "trained"
    progress = rec.progress(observer)
    assert (progress.modules_passed, progress.modules, progress.sessions_attended) == (1, 1, 1)
    rec.certify(coord, observer)
    observer.refresh_from_db()
    assert observer.status == "certified"
    with pytest.raises(WrongState):
        rec.certify(coord, observer)
