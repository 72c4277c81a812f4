"""A lost personal link issued again (decision 0046), through the Django test client: IIN and
phone, the code from the SMS outbox, a new link that replaces the old one; the same answers
whether or not the IIN applied (the form, the code page, a wrong code, a new code, the
caps); per-field errors with what was typed kept; the duplicate application pointing here."""

from __future__ import annotations

import datetime as dt
import logging
import re

from django.test import Client
from django.utils import timezone

from saylau.notify.outbox import recent
from saylau.observation.models import CodeSent, Observer, PersonalLink, PhoneCheck
from tests.observation.test_recruit_pages import (
    application,
    apply,
    confirm_url,
    inline_sms,
    join_url,
    last_code,
    rw,
    wrong,
)

__all__ = ["inline_sms", "rw"]


def lost_url(lang="en", org="ak"):
    return f"/{lang}/observe/join/{org}/lost/"


def lost_confirm_url(lang="en", org="ak"):
    return f"/{lang}/observe/join/{org}/lost/confirm/"


def applied(row) -> tuple[Observer, str]:
    """An applicant whose phone was confirmed a while ago (their code's cooldown is over),
    and their first link's path."""
    client = Client()
    observer = apply(client, row)
    client.post(confirm_url(), {"step": "verify", "code": last_code()})
    link = re.search(r"/en/observe/link/[^ ]+/", recent(1)[0].body)
    assert link is not None
    CodeSent.objects.filter(observer=observer).update(
        sent_at=timezone.now() - dt.timedelta(minutes=5)
    )
    return observer, link.group(0)


def ask(client, iin, phone, lang="en", **extra):
    return client.post(lost_url(lang), {"iin": iin, "phone": phone}, **extra)


def _page(answer) -> str:
    """The page without what differs between any two answers (the CSRF token)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", answer.content.decode())


def test_a_lost_link_is_issued_again_and_the_old_one_stops(rw, members, caplog):
    caplog.set_level(logging.DEBUG)
    row = members(1, seed=91)[0]
    observer, first = applied(row)
    join = Client().get(join_url()).content.decode()
    assert f'href="{lost_url()}"' in join  # the application page points here

    client = Client()
    assert client.get(lost_confirm_url())["Location"] == lost_url()  # no request yet
    page = client.get(lost_url())
    assert page.status_code == 200 and "Get a new personal link" in page.content.decode()
    answer = ask(client, row[0], row[2])
    assert answer.status_code == 302 and answer["Location"] == lost_confirm_url()
    code_page = client.get(lost_confirm_url()).content.decode()
    assert f"ending in {row[2][-4:]}" in code_page
    code = last_code()
    assert Client().get(first).status_code == 302  # the old link works until the code is right
    refused = client.post(lost_confirm_url(), {"step": "verify", "code": wrong(code)})
    assert refused.status_code == 400 and "Attempts left: 4." in refused.content.decode()
    done = client.post(lost_confirm_url(), {"step": "verify", "code": code})
    body = done.content.decode()
    assert done.status_code == 200 and "Your new personal link" in body
    assert "The old link no longer works." in body
    link = re.search(r'id="personal-link" href="http://testserver([^"]+)"', body).group(1)
    assert link in recent(1)[0].body and link != first  # sent by SMS too
    assert Client().get(first).status_code == 404
    assert Client().get(link).status_code == 302
    assert PersonalLink.objects.filter(observer=observer).count() == 1
    training = client.get("/en/observe/training/")  # this browser is the applicant's now
    assert training.status_code == 200
    again = client.post(lost_confirm_url(), {"step": "verify", "code": code})
    assert again["Location"] == lost_url()  # the request is over
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert row[0] not in logged and code not in logged


def test_the_answers_do_not_tell_whether_an_iin_applied(rw, members):
    known, stranger = members(2, seed=92)
    applied(known)
    sent = len(recent())
    mine, theirs, wrong_phone = Client(), Client(), Client()
    stranger_phone = known[2]  # the same number, another IIN: the number tells nothing either
    answers = [
        ask(mine, known[0], known[2]),
        ask(theirs, stranger[0], stranger_phone),
        ask(wrong_phone, known[0], stranger[2]),
    ]
    assert {(a.status_code, a["Location"]) for a in answers} == {(302, lost_confirm_url())}
    assert len(recent()) == sent + 1  # only the match was sent a code
    code = last_code()
    tail = known[2][-4:]
    pages = [_page(c.get(lost_confirm_url())) for c in (mine, theirs)]
    assert pages[0] == pages[1] and f"ending in {tail}" in pages[0]
    guesses = [
        c.post(lost_confirm_url(), {"step": "verify", "code": wrong(code)}) for c in (mine, theirs)
    ]
    assert [g.status_code for g in guesses] == [400, 400]
    assert _page(guesses[0]) == _page(guesses[1])
    # even the right code of another request is wrong here
    stolen = theirs.post(lost_confirm_url(), {"step": "verify", "code": code})
    assert stolen.status_code == 400 and "Attempts left: 3." in stolen.content.decode()
    cooldowns = [c.post(lost_confirm_url(), {"step": "resend"}) for c in (mine, theirs)]
    assert [a.status_code for a in cooldowns] == [429, 429]
    assert _page(cooldowns[0]) == _page(cooldowns[1])
    assert "A new code can be sent in" in cooldowns[0].content.decode()
    # every request counts for the network, with no applicant when nothing matched
    assert CodeSent.objects.filter(observer__isnull=True).count() == 2


def test_a_new_code_on_request_and_only_the_newest_works(rw, members, settings):
    row = members(1, seed=93)[0]
    applied(row)
    client = Client()
    ask(client, row[0], row[2])
    first = last_code()
    session = client.session
    state = session["observation.recruit.lost"]
    state["asked"] = [t - 61 for t in state["asked"]]
    session["observation.recruit.lost"] = state
    session.save()
    CodeSent.objects.update(sent_at=timezone.now() - dt.timedelta(seconds=61))
    resent = client.post(lost_confirm_url(), {"step": "resend"})
    assert resent.status_code == 200 and "A new code was sent." in resent.content.decode()
    newest = last_code()
    if newest != first:
        assert client.post(lost_confirm_url(), {"step": "verify", "code": first}).status_code == 400
    assert client.post(lost_confirm_url(), {"step": "verify", "code": newest}).status_code == 200


def test_bad_input_is_named_per_field_and_kept(rw, members):
    row = members(1, seed=94)[0]
    client = Client()
    bad_iin = row[0][:-1] + str((int(row[0][-1]) + 1) % 10)
    answer = ask(client, bad_iin, row[2])
    body = answer.content.decode()
    assert answer.status_code == 400 and "This is not a valid IIN" in body
    assert f'value="{bad_iin}"' in body and f'value="{row[2]}"' in body  # kept
    assert 'id="id_iin_error"' in body and 'id="id_phone_error"' not in body
    answer = ask(client, row[0], "12345", lang="ru")
    body = answer.content.decode()
    assert "казахстанский мобильный номер" in body and f'value="{row[0]}"' in body
    empty = ask(client, "", "", lang="kk")
    assert empty.status_code == 400 and 'id="id_iin_error"' in empty.content.decode()
    assert 'id="id_phone_error"' in empty.content.decode()
    assert not recent() and not CodeSent.objects.exists()


def test_one_network_is_capped_whatever_the_iins(rw, members, settings):
    settings.SAYLAU_RECRUIT_PER_NETWORK_PER_HOUR = 2
    known, *strangers = members(4, seed=95)
    applied(known)  # from another network (no address in the test client: none)
    ip = {"REMOTE_ADDR": "198.51.100.9"}
    assert ask(Client(), strangers[0][0], strangers[0][2], **ip).status_code == 302
    assert ask(Client(), strangers[1][0], strangers[1][2], **ip).status_code == 302
    for row in (known, strangers[2]):  # refused alike, typed values kept
        refused = ask(Client(), row[0], row[2], **ip)
        body = refused.content.decode()
        assert refused.status_code == 429 and "Too many applications and codes" in body
        assert f'value="{row[0]}"' in body and "Retry-After" in refused.headers
    assert ask(Client(), known[0], known[2], REMOTE_ADDR="203.0.113.1").status_code == 302


def test_an_applicants_own_caps_are_silent(rw, members):
    """Codes asked from other browsers: the page answers as if one were sent, none is."""
    row = members(1, seed=96)[0]
    observer, first = applied(row)
    for _n in range(4):
        CodeSent.objects.create(observer=observer, sent_at=timezone.now())
    sent = len(recent())
    client = Client()
    assert ask(client, row[0], row[2]).status_code == 302
    assert len(recent()) == sent
    code_page = client.get(lost_confirm_url())
    assert code_page.status_code == 200 and "we have sent a 6-digit code" in (
        code_page.content.decode()
    )
    assert Client().get(first).status_code == 302  # nothing changed


def test_an_unconfirmed_application_gets_its_link_and_its_phone_confirmed(rw, members):
    row = members(1, seed=97)[0]
    observer = apply(Client(), row)  # the code page was left, the phone never confirmed
    CodeSent.objects.update(sent_at=timezone.now() - dt.timedelta(minutes=2))
    client = Client()
    ask(client, row[0], row[2])
    done = client.post(lost_confirm_url(), {"step": "verify", "code": last_code()})
    assert done.status_code == 200 and 'id="personal-link"' in done.content.decode()
    assert PhoneCheck.objects.get(observer=observer).verified_at is not None


def test_applying_twice_points_to_the_lost_link_page(rw, members):
    row = members(1, seed=98)[0]
    apply(Client(), row)
    for lang, text in (
        ("en", "Lost your personal link?"),
        ("ru", "Потеряли личную ссылку?"),
        ("kk", "Жеке сілтемені жоғалттыңыз ба?"),
    ):
        answer = Client().post(join_url(lang), application(row, full_name="Someone Else"))
        body = answer.content.decode()
        assert answer.status_code == 400 and 'id="lost-link"' in body, lang
        assert f'href="{lost_url(lang)}"' in body and text in body, lang
