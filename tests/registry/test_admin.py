import datetime as dt

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile

from saylau.registry.models import Member, RollSnapshot

pytestmark = pytest.mark.django_db


def staff(client, role):
    user = User.objects.create_user(role, password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    client.force_login(user)
    return user


def test_roles_have_their_permissions():
    organiser = set(
        Group.objects.get(name="organiser").permissions.values_list("codename", flat=True)
    )
    operator = set(
        Group.objects.get(name="operator").permissions.values_list("codename", flat=True)
    )
    auditor = set(Group.objects.get(name="auditor").permissions.values_list("codename", flat=True))
    assert {"close_rollsnapshot", "add_rollsnapshot", "add_member"} <= organiser
    assert {"add_member", "change_member"} <= operator and "close_rollsnapshot" not in operator
    # read-only: view_* and observation's "headquarters" (the HQ page, which only reads)
    assert all(code.startswith("view_") or code == "headquarters" for code in auditor)
    assert {"view_member", "view_rollsnapshot", "view_outboxmessage"} <= auditor


def test_import_page_checks_then_imports(client, make_csv, members):
    staff(client, "operator")
    url = "/admin/registry/member/import/"
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    rows = members(3)
    rows[2][3] = "Nowhere"
    data = make_csv(rows)
    response = client.post(
        url, {"file": SimpleUploadedFile("m.csv", data), "dry_run": "on"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    body = response.content.decode()
    assert "Check only: nothing was imported" in body
    assert "Unknown district" in body
    assert Member.objects.count() == 0
    response = client.post(
        url, {"file": SimpleUploadedFile("m.csv", data)}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "Members imported: 2" in response.content.decode()
    assert Member.objects.count() == 2


def test_import_page_reports_a_bad_file_on_the_form(client):
    staff(client, "operator")
    response = client.post(
        "/admin/registry/member/import/",
        {"file": SimpleUploadedFile("m.csv", b"a,b\n1,2\n")},
        HTTP_ACCEPT_LANGUAGE="ru",
    )
    assert response.status_code == 200
    assert "нет столбца" in response.content.decode()


def test_auditor_cannot_import(client):
    staff(client, "auditor")
    assert client.get("/admin/registry/member/import/").status_code == 403
    assert client.get("/admin/registry/member/").status_code == 200


def test_member_form_normalises_phone_and_checks_iin(client, members):
    staff(client, "operator")
    row = members(1)[0]
    data = {
        "iin": row[0][:6] + " " + row[0][6:],
        "full_name": row[1],
        "phone": "8 (" + row[2][2:5] + ") " + row[2][5:],
        "district": "KZ-75",
        "join_date": "2010-01-01",
        "status": "active",
        "excluded_reason": "",
        "excluded_on": "",
    }
    response = client.post("/admin/registry/member/add/", data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302, response.content.decode()[:2000]
    member = Member.objects.get()
    assert (member.iin, member.phone) == (row[0], row[2])
    bad = {**data, "iin": "900101300008", "phone": "+7 916 000 00 00"}
    response = client.post("/admin/registry/member/add/", bad, HTTP_ACCEPT_LANGUAGE="en")
    body = response.content.decode()
    assert "check digit is wrong" in body and "not a Kazakhstan number" in body
    assert Member.objects.count() == 1


def test_exclude_action(client, members):
    staff(client, "operator")
    row = members(1)[0]
    member = Member.objects.create(
        iin=row[0],
        full_name=row[1],
        phone=row[2],
        district_id="KZ-75",
        join_date=dt.date(2010, 1, 1),
    )
    url = "/admin/registry/member/"
    form = client.post(url, {"action": "exclude_selected", "_selected_action": [member.pk]})
    assert form.status_code == 200
    response = client.post(
        url,
        {
            "action": "exclude_selected",
            "_selected_action": [member.pk],
            "apply": "1",
            "reason": "Жарғыны бұзды",
            "on": "2020-09-01",
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.status == "excluded" and member.excluded_reason == "Жарғыны бұзды"


def test_organiser_opens_and_closes_a_roll(client):
    staff(client, "organiser")
    response = client.post(
        "/admin/registry/rollsnapshot/add/",
        {"election": "primaries-2020", "freeze_date": "2020-09-11"},
    )
    assert response.status_code == 302
    bad = client.post(
        "/admin/registry/rollsnapshot/add/",
        {"election": "Bad_Name", "freeze_date": "2020-09-11"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "lowercase letters" in bad.content.decode()
    roll = RollSnapshot.objects.get()
    response = client.post(
        "/admin/registry/rollsnapshot/", {"action": "close_selected", "_selected_action": [roll.pk]}
    )
    assert response.status_code == 302
    roll.refresh_from_db()
    assert roll.is_closed and roll.total == 0


def test_operator_cannot_close_rolls(client):
    staff(client, "operator")
    assert client.get("/admin/registry/rollsnapshot/add/").status_code == 403
