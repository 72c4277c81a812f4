"""The recruitment pages through the Django test client: the application, the phone's code
(read from the SMS outbox), the personal link, the quizzes, and the coordinator's page with
its steps; the code's rate limits, refusals in the user's language, the IIN kept out of the
coordinator's page and out of the logs, and the coordinator's page in a fixed number of
queries."""

from __future__ import annotations

import datetime as dt
import logging
import re

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.utils import timezone

from saylau.notify.outbox import recent
from saylau.observation.models import (
    CharterSignature,
    CodeSent,
    Headquarters,
    Observer,
    PersonalLink,
    PhoneCheck,
    TrainingModule,
    TrainingSession,
)
from saylau.web import roles
from tests.observation.world import NOW

QUESTIONS = [
    {
        "id": "q1",
        "text": {
            "kk": "Бюллетеньдерді ұстауға бола ма?",
            "ru": "Можно ли трогать бюллетени?",
            "en": "May you touch the ballots?",
        },
        "choices": [{"kk": "жоқ", "ru": "нет", "en": "no"}, {"kk": "иә", "ru": "да", "en": "yes"}],
        "answer": 0,
    },
    {
        "id": "q2",
        "text": {
            "kk": "Хаттаманың көшірмесін алуға бола ма?",
            "ru": "Можно ли получить копию протокола?",
            "en": "May you get a copy of the protocol?",
        },
        "choices": [{"kk": "иә", "ru": "да", "en": "yes"}, {"kk": "жоқ", "ru": "нет", "en": "no"}],
        "answer": 0,
    },
]


@pytest.fixture(autouse=True)
def inline_sms(settings):
    settings.SAYLAU_OTP_SMS_MODE = "inline"
    settings.SAYLAU_SMS_BACKEND = "outbox"


def add_training(ow):
    CharterSignature.objects.create(
        organisation=ow.ak, charter_version="1", signatory="A. Nurlanova", signed_at=NOW
    )
    module = TrainingModule.objects.create(
        organisation=ow.ak,
        title={"kk": "Бақылаушы ережелері", "ru": "Правила наблюдателя", "en": "Observer rules"},
        questions=QUESTIONS,
        pass_mark=2,
    )
    session = TrainingSession.objects.create(
        hq=ow.ak.hqs.get(), starts_at=NOW + dt.timedelta(days=3), place="Almaty, Abay 10"
    )
    return module, session


@pytest.fixture
def rw(ow):
    module, session = add_training(ow)
    return ow, module, session


def join_url(lang="en", org="ak"):
    return f"/{lang}/observe/join/{org}/"


def confirm_url(lang="en", org="ak"):
    return f"/{lang}/observe/join/{org}/confirm/"


def application(row, **changes):
    data = {
        "full_name": row[1],
        "iin": row[0],
        "phone": row[2],
        "region": "KZ-75",
        "availability": ["opening", "counting"],
    }
    data.update(changes)
    return data


def last_code() -> str:
    match = re.search(r"\b(\d{6})\b", recent(1)[0].body)
    assert match is not None
    return match.group(1)


def wrong(code: str) -> str:
    return "000000" if code != "000000" else "111111"


def apply(client, row, lang="en", **extra):
    answer = client.post(join_url(lang), application(row), **extra)
    assert answer.status_code == 302, answer.content.decode()[:2000]
    assert answer["Location"] == confirm_url(lang)
    return Observer.objects.get(iin=row[0])


def test_the_whole_path_from_the_form_to_certified(rw, members, caplog):
    caplog.set_level(logging.DEBUG)
    ow, module, session = rw
    row = members(1, seed=77)[0]
    client = Client()
    page = client.get(join_url())
    body = page.content.decode()
    assert page.status_code == 200 and "Become an observer" in body
    assert '<option value="KZ-75">Almaty</option>' in body

    observer = apply(client, row)
    assert observer.status == "applied"
    assert PhoneCheck.objects.get(observer=observer).availability == ["opening", "counting"]
    code = last_code()
    refused = client.post(confirm_url(), {"step": "verify", "code": wrong(code)})
    assert refused.status_code == 400
    assert "The code is not right. Attempts left: 4." in refused.content.decode()
    assert PhoneCheck.objects.get(observer=observer).attempts == 1  # the wrong code counted
    confirmed = client.post(confirm_url(), {"step": "verify", "code": code})
    assert confirmed.status_code == 200
    link = re.search(r'id="personal-link" href="([^"]+)"', confirmed.content.decode()).group(1)
    assert link in recent(1)[0].body  # the link was sent by SMS too
    token = link.rstrip("/").rsplit("/", 1)[-1]
    assert token not in PersonalLink.objects.get().token_hash

    training = client.get("/en/observe/training/")
    text = training.content.decode()
    assert "Observer rules" in text and "Almaty, Abay 10" in text and "0 / 1" in text
    quiz_url = f"/en/observe/training/{module.pk}/"
    quiz = client.get(quiz_url).content.decode()
    assert "May you touch the ballots?" in quiz and "Можно" not in quiz
    failed = client.post(quiz_url, {"q-q1": "0", "q-q2": "1"}).content.decode()
    assert "Your score: 1 of 2." in failed and "Not passed" in failed
    unanswered = client.post(quiz_url, {"q-q1": "0"})
    assert unanswered.status_code == 400 and "Choose an answer." in unanswered.content.decode()
    passed = client.post(quiz_url, {"q-q1": "0", "q-q2": "0"}).content.decode()
    assert "Your score: 2 of 2." in passed and "Passed." in passed
    assert "1 / 1" in client.get("/en/observe/training/").content.decode()

    coordinator = Client()
    coordinator.force_login(ow.users["coord"])
    url = "/en/observe/coordinate/ak/"
    listing = coordinator.get(url).content.decode()
    assert row[0] not in listing and "•" * 8 + row[0][-4:] in listing
    answer = coordinator.post(url, {"observer": observer.pk, "action": "accept"})
    assert "is accepted" in answer.content.decode()
    # passed already, so attending the session makes them trained
    coordinator.post(url, {"observer": observer.pk, "action": "attend", "session": session.pk})
    observer.refresh_from_db()
    assert observer.status == "trained"
    assert f'id="session-{observer.pk}"' not in coordinator.get(url).content.decode()
    answer = coordinator.post(url, {"observer": observer.pk, "action": "certify"})
    observer.refresh_from_db()
    assert observer.status == "certified" and "is certified" in answer.content.decode()
    again = coordinator.post(url, {"observer": observer.pk, "action": "certify"})
    assert again.status_code == 409 and "not at that step" in again.content.decode()

    # the personal link works in another browser, and shows the progress
    other = Client()
    entered = other.get(link.replace("http://testserver", ""))
    assert entered.status_code == 302 and entered["Location"] == "/en/observe/training/"
    assert "certified" in other.get("/en/observe/training/").content.decode()
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert row[0] not in logged and code not in logged


def test_bad_input_is_named_per_field_and_kept(rw, members):
    row = members(1, seed=78)[0]
    client = Client()
    bad_iin = row[0][:-1] + str((int(row[0][-1]) + 1) % 10)
    answer = client.post(join_url(), application(row, iin=bad_iin))
    body = answer.content.decode()
    assert answer.status_code == 400 and "This is not a valid IIN" in body
    assert f'value="{row[1]}"' in body and f'value="{bad_iin}"' in body  # kept
    answer = client.post(join_url(), application(row, phone="12345", availability=[]))
    body = answer.content.decode()
    assert answer.status_code == 400 and "Choose at least one part of election day." in body
    answer = client.post(join_url("ru"), application(row, phone="12345"))
    assert "казахстанский мобильный номер" in answer.content.decode()  # the rule, in Russian
    answer = client.post(join_url(), application(row, region="KZ-99"))
    assert "Choose your region." in answer.content.decode()
    assert not Observer.objects.filter(iin=row[0]).exists() and not recent()


def test_applying_twice_is_refused_with_a_clear_message(rw, members):
    row = members(1, seed=79)[0]
    apply(Client(), row)
    answer = Client().post(join_url(), application(row, full_name="Someone Else"))
    body = answer.content.decode()
    assert answer.status_code == 400
    assert "You have already applied to this organisation." in body
    assert Observer.objects.filter(iin=row[0]).count() == 1 and len(recent()) == 1


def test_an_organisation_without_the_charter_recruits_nobody(rw, members):
    answer = Client().get(join_url(org="bk"))
    assert answer.status_code == 404
    assert "signed the observation charter" in answer.content.decode()
    assert Client().get(join_url(org="nope")).status_code == 404


def test_a_new_code_waits_its_cooldown_and_a_day_has_five(rw, members):
    row = members(1, seed=80)[0]
    client = Client()
    observer = apply(client, row)
    first = last_code()
    refused = client.post(confirm_url(), {"step": "resend"})
    assert refused.status_code == 429
    assert "A new code can be sent in 60 s." in refused.content.decode()
    assert int(refused["Retry-After"]) == 60 and len(recent()) == 1
    for n in range(4):  # the application's code and 4 more: 5 in a day
        CodeSent.objects.update(sent_at=timezone.now() - dt.timedelta(seconds=61 + n))
        sent = client.post(confirm_url(), {"step": "resend"})
        assert sent.status_code == 200 and "A new code was sent." in sent.content.decode()
    CodeSent.objects.update(sent_at=timezone.now() - dt.timedelta(minutes=5))
    sixth = client.post(confirm_url(), {"step": "resend"})
    assert sixth.status_code == 429
    assert "too many codes today" in sixth.content.decode()
    assert "(UTC+05:00)" in sixth.content.decode()  # until when, in local time
    assert len(recent()) == 5
    # only the newest code works
    if last_code() != first:
        old = client.post(confirm_url(), {"step": "verify", "code": first})
        assert old.status_code == 400
    assert client.post(confirm_url(), {"step": "verify", "code": last_code()}).status_code == 200
    assert PhoneCheck.objects.get(observer=observer).verified_at is not None


def test_one_network_is_capped_for_applications_and_resends(rw, members, settings):
    settings.SAYLAU_RECRUIT_PER_NETWORK_PER_HOUR = 3
    rows = members(4, seed=81)
    first = Client()
    apply(first, rows[0], REMOTE_ADDR="198.51.100.7")
    CodeSent.objects.update(sent_at=timezone.now() - dt.timedelta(seconds=90))
    resent = first.post(confirm_url(), {"step": "resend"}, REMOTE_ADDR="198.51.100.7")
    assert resent.status_code == 200  # a resend counts too: 2 of 3
    apply(Client(), rows[1], REMOTE_ADDR="198.51.100.7")
    refused = Client().post(join_url(), application(rows[2]), REMOTE_ADDR="198.51.100.7")
    body = refused.content.decode()
    assert refused.status_code == 429 and "Too many applications and codes" in body
    assert "Please try again after" in body and f'value="{rows[2][1]}"' in body
    assert not Observer.objects.filter(iin=rows[2][0]).exists()
    ru = Client().post(join_url("ru"), application(rows[2]), REMOTE_ADDR="198.51.100.7")
    assert "слишком много заявок и кодов" in ru.content.decode()
    # another network is not capped; the address is kept only as an HMAC
    apply(Client(), rows[3], REMOTE_ADDR="2001:db8:1:2::5")
    keys = set(CodeSent.objects.values_list("network_key", flat=True))
    assert len(keys) == 2 and all(len(k) == 64 and "198.51" not in k for k in keys)


def test_an_expired_code_and_too_many_wrong_codes_say_so(rw, members):
    row = members(1, seed=82)[0]
    client = Client()
    observer = apply(client, row)
    code = last_code()
    for left in (4, 3, 2, 1, 0):
        answer = client.post(confirm_url(), {"step": "verify", "code": wrong(code)})
        assert f"Attempts left: {left}." in answer.content.decode()
    answer = client.post(confirm_url(), {"step": "verify", "code": code})
    assert answer.status_code == 400 and "Too many wrong codes" in answer.content.decode()
    PhoneCheck.objects.filter(observer=observer).update(
        attempts=0, expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    answer = client.post(confirm_url(), {"step": "verify", "code": code})
    assert answer.status_code == 400 and "The code has expired" in answer.content.decode()
    short = client.post(confirm_url(), {"step": "verify", "code": "12"})
    assert "The code has 6 digits." in short.content.decode()


def test_pages_without_an_applicant(rw):
    client = Client()
    assert client.get(confirm_url())["Location"] == join_url()
    answer = client.get("/en/observe/training/")
    assert answer.status_code == 403 and "personal link" in answer.content.decode()
    assert client.get("/en/observe/link/not-a-token/").status_code == 404


def test_the_coordinators_page_is_theirs_only(rw):
    ow, _module, _session = rw
    url = "/en/observe/coordinate/ak/"
    assert Client().get(url)["Location"].startswith("/en/observe/login/")
    for name in ("nobody", "coord_b"):
        client = Client()
        client.force_login(ow.users[name])
        answer = client.get(url)
        assert answer.status_code == 403, name
        assert "You do not coordinate" in answer.content.decode()
        refused = client.post(url, {"observer": ow.observers["obs1"].pk, "action": "certify"})
        assert refused.status_code == 403
    hq = Client()
    hq.force_login(ow.users["hq"])
    assert hq.get(url).status_code == 200


def test_the_coordinators_page_filters_and_reads_in_a_few_queries(
    rw, members, django_assert_max_num_queries
):
    ow, _module, session = rw
    client = Client()
    client.force_login(ow.users["coord"])
    url = "/en/observe/coordinate/ak/"

    def count_queries() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    for i, row in enumerate(members(3, seed=83)):
        apply(Client(), row, REMOTE_ADDR=f"198.51.100.{i}")
    few = count_queries()
    for i, row in enumerate(members(12, seed=84)):
        observer = apply(Client(), row, REMOTE_ADDR=f"203.0.113.{i}")
        session.attendees.add(observer)
    assert count_queries() == few  # not one query per applicant
    with django_assert_max_num_queries(13):
        client.get(url)
    certified = client.get(url + "?status=certified").content.decode()
    assert "Observer obs1" in certified and "applicant-" in certified
    applied = client.get(url + "?status=applied").content.decode()
    assert "Observer obs1" not in applied and applied.count('<li id="applicant-') == 15
    assert "1 / 1" not in applied and "0 / 1" in applied


def test_a_coordinator_sees_and_acts_on_their_regions_only(rw, members):
    ow, _module, _session = rw
    north = Headquarters.objects.create(organisation=ow.ak, region="KZ-71", name="Astana")
    north_coord = User.objects.create_user("coord_n", password="x")
    north_coord.groups.add(Group.objects.get(name=roles.OBSERVER_COORDINATOR))
    north.coordinators.add(north_coord)
    south_row, north_row = members(2, seed=85)
    apply(Client(), south_row)
    answer = Client().post(join_url(), application(north_row, region="KZ-71"))
    assert answer.status_code == 302
    southerner = Observer.objects.get(iin=south_row[0])
    PhoneCheck.objects.update(verified_at=timezone.now())
    url = "/en/observe/coordinate/ak/"
    client = Client()
    client.force_login(ow.users["coord"])
    listing = client.get(url).content.decode()
    assert south_row[1] in listing and north_row[1] not in listing
    northerner = Observer.objects.get(iin=north_row[0])
    refused = client.post(url, {"observer": northerner.pk, "action": "accept"})
    assert refused.status_code == 404 and "no such applicant in your regions" in (
        refused.content.decode()
    )
    northerner.refresh_from_db()
    assert northerner.status == "applied"
    other = Client()
    other.force_login(north_coord)
    assert south_row[1] not in other.get(url).content.decode()
    assert other.post(url, {"observer": northerner.pk, "action": "accept"}).status_code == 200
    hq = Client()
    hq.force_login(ow.users["hq"])
    everyone = hq.get(url).content.decode()
    assert south_row[1] in everyone and north_row[1] in everyone
    assert f'id="applicant-{southerner.pk}"' in everyone


def test_a_new_link_replaces_the_old_one(rw, members):
    from saylau.observation import personal_link

    row = members(1, seed=86)[0]
    client = Client()
    observer = apply(client, row)
    client.post(confirm_url(), {"step": "verify", "code": last_code()})
    first = re.search(r"/en/observe/link/[^ ]+/", recent(1)[0].body).group(0)
    second = personal_link.issue(observer, timezone.now())
    assert Client().get(first).status_code == 404
    assert Client().get(f"/en/observe/link/{second}/").status_code == 302
