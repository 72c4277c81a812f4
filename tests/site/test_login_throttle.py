"""The staff sign-in (/admin/login/) is throttled per user name and per address; the refusal
says until when, in the user's language. And HSTS: a year by default, `check --deploy`
fails on 0."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.utils import timezone

from saylau.site.checks import check_hsts
from saylau.site.models import LoginThrottle

pytestmark = pytest.mark.django_db
LOGIN = "/admin/login/"


@pytest.fixture
def staff(django_user_model, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    return django_user_model.objects.create_superuser("organiser", password="right-pw-123")


def login(client, username, password, ip="10.0.0.1", language="en"):
    return client.post(
        LOGIN,
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=ip,
        HTTP_ACCEPT_LANGUAGE=language,
    )


def test_five_wrong_passwords_lock_the_user_name_even_for_the_right_one(client, staff):
    for n in range(5):
        response = login(client, "organiser", f"wrong-{n}", ip=f"10.0.0.{n + 1}")
        assert response.status_code == 200 and "Too many failed" not in response.content.decode()
    response = login(client, "organiser", "right-pw-123", ip="10.0.9.9")
    body = response.content.decode()
    assert response.status_code == 200 and "Too many failed sign-ins" in body
    until = LoginThrottle.objects.get(locked_until__isnull=False).locked_until
    assert timezone.localtime(until).strftime("%H:%M") in body and "UTC+05:00" in body
    ru = login(client, "organiser", "right-pw-123", ip="10.0.9.9", language="ru").content
    assert "Слишком много неудачных попыток входа" in ru.decode()
    assert "_auth_user_id" not in client.session
    # After the lockout the right password works again.
    LoginThrottle.objects.update(locked_until=timezone.now() - dt.timedelta(seconds=1))
    response = login(client, "organiser", "right-pw-123", ip="10.0.9.9")
    assert response.status_code == 302


def test_twenty_failures_from_one_address_lock_the_address(client, staff):
    for n in range(20):
        login(client, f"someone-{n}", "wrong", ip="192.0.2.7")
    response = login(client, "organiser", "right-pw-123", ip="192.0.2.7")
    assert "Too many failed sign-ins" in response.content.decode()
    assert login(client, "organiser", "right-pw-123", ip="192.0.2.8").status_code == 302


def test_nothing_of_the_user_name_or_address_is_stored(client, staff):
    login(client, "organiser", "wrong", ip="192.0.2.77")
    keys = " ".join(LoginThrottle.objects.values_list("key", flat=True))
    assert "organiser" not in keys and "192.0.2" not in keys


def test_hsts_is_a_year_by_default_and_check_deploy_fails_on_0(settings):
    assert settings.SECURE_HSTS_SECONDS == 365 * 24 * 3600
    assert check_hsts() == []
    settings.SECURE_HSTS_SECONDS = 0
    assert [problem.id for problem in check_hsts()] == ["saylau.E004"]
    with pytest.raises(SystemCheckError, match=r"saylau\.E004"):
        call_command("check", "--deploy", "--fail-level", "ERROR")


def test_the_commission_sign_in_shares_the_throttle(client, django_user_model, settings):
    """/<lang>/paper/login/ (web.login.StaffLoginView) counts wrong passwords like the admin:
    five for one user name lock it, even for the right password, and say until when."""
    settings.ALLOWED_HOSTS = ["testserver"]
    django_user_model.objects.create_user("operator-1", password="right-pw-123")

    def paper_login(password, ip, language="en"):
        return client.post(
            f"/{language}/paper/login/",
            {"username": "operator-1", "password": password},
            REMOTE_ADDR=ip,
        )

    for n in range(5):
        response = paper_login(f"wrong-{n}", ip=f"10.1.0.{n + 1}")
        assert response.status_code == 200 and "Too many failed" not in response.content.decode()
    locked = paper_login("right-pw-123", ip="10.1.9.9")
    assert locked.status_code == 200 and "Too many failed sign-ins" in locked.content.decode()
    kk = paper_login("right-pw-123", ip="10.1.9.9", language="kk").content.decode()
    assert "Сәтсіз кіру әрекеттері тым көп" in kk and "_auth_user_id" not in client.session
    LoginThrottle.objects.update(locked_until=timezone.now() - dt.timedelta(seconds=1))
    assert paper_login("right-pw-123", ip="10.1.9.9").status_code == 302
