"""The voter list served to staff: organisers and the station's own commission members
only; anyone else is refused, never shown a list."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User

from saylau.stations.models import CommissionMember
from saylau.web.roles import AUDITOR, OPERATOR, ORGANISER, sync_groups
from tests.stations.conftest import csv_bytes, stream, voters_in

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.stations.urls")]


def url(world, code="ALM-1", lang="kk"):
    return f"/stations/{world.election.slug}/{code}/voters.{lang}.pdf"


@pytest.fixture
def listed(stations):
    from saylau.stations import services

    rows = [(v.iin, "ALM-1") for v in voters_in(stations, "KZ-75")]
    services.assign_paper_voters(stations.election, stream(csv_bytes(rows, ("iin", "station"))))
    sync_groups()
    return stations


def user_in(group: str | None, name: str = "staff") -> User:
    user = User.objects.create_user(name, password="pw", is_staff=True)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


def test_anonymous_users_are_sent_to_sign_in(listed, client):
    response = client.get(url(listed))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_an_organiser_gets_the_pdf(listed, client):
    client.force_login(user_in(ORGANISER))
    for lang in ("kk", "ru"):
        response = client.get(url(listed, lang=lang))
        assert response.status_code == 200, response.content[:300]
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF-")
        assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("group", [None, OPERATOR, AUDITOR])
def test_other_staff_are_refused(listed, client, group):
    client.force_login(user_in(group))
    response = client.get(url(listed), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    assert b"%PDF" not in response.content


def test_a_commission_member_gets_their_own_stations_list_only(listed, client):
    user = user_in(None, "chair")
    CommissionMember.objects.filter(station__code="ALM-1", role="chair").update(user=user)
    client.force_login(user)
    assert client.get(url(listed)).status_code == 200
    assert client.get(url(listed, code="ALM-2")).status_code == 403
    assert client.get(url(listed, code="AST-1")).status_code == 403


def test_unknown_election_station_and_language(listed, client):
    client.force_login(user_in(ORGANISER))
    missing = client.get(url(listed, code="NOPE"), HTTP_ACCEPT_LANGUAGE="en")
    assert missing.status_code == 404 and "NOPE" in missing.content.decode()
    english = client.get(url(listed, lang="en"), HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 404 and "Kazakh (kk) or Russian (ru)" in english.content.decode()
    other = client.get("/stations/no-such-election/ALM-1/voters.kk.pdf")
    assert other.status_code == 404


def test_a_missing_font_is_a_clear_error_page(listed, client, settings, tmp_path):
    settings.SAYLAU_PDF_FONT_DIR = str(tmp_path)
    client.force_login(user_in(ORGANISER))
    response = client.get(url(listed), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 500
    assert "fonts-dejavu-core" in response.content.decode()
    assert "Traceback" not in response.content.decode()


def test_the_admin_lists_stations_and_links_the_lists(listed, client):
    admin = User.objects.create_superuser("root", password="pw")
    client.force_login(admin)
    page = client.get("/admin/stations/station/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200 and "ALM-1" in page.content.decode()
    from saylau.stations.models import Station

    station = Station.objects.get(code="ALM-1")
    change = client.get(f"/admin/stations/station/{station.pk}/change/").content.decode()
    assert url(listed) in change and url(listed, lang="ru") in change
    assert "Серікбаев Нұрлан Әбілұлы" in change  # the commission inline
    members = client.get("/admin/stations/commissionmember/").content.decode()
    assert "Иванова Ольга Петровна" in members
