import datetime as dt

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile

from saylau.registry import services
from saylau.registry.models import Member

pytestmark = pytest.mark.django_db


def test_districts(client):
    response = client.get("/api/registry/districts", HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 200
    data = response.json()
    assert len(data) == 20
    almaty = next(d for d in data if d["code"] == "KZ-75")
    assert almaty["name"] == "город Алматы"
    assert almaty["is_city"] is True
    assert "Алматы" in response.content.decode()  # UTF-8, not \\u escapes


def test_published_roll(client, members):
    for row in members(3):
        Member.objects.create(
            iin=row[0],
            full_name=row[1],
            phone=row[2],
            district_id="KZ-75",
            join_date=dt.date(2010, 1, 1),
        )
    services.open_roll("primaries-2020", dt.date(2020, 9, 11))
    assert client.get("/api/registry/rolls/primaries-2020").status_code == 404
    assert client.get("/api/registry/rolls").json() == []
    services.close_roll("primaries-2020")
    data = client.get("/api/registry/rolls/primaries-2020", HTTP_ACCEPT_LANGUAGE="en").json()
    assert data["total"] == 3 and data["status"] == "closed" and len(data["digest"]) == 64
    almaty = next(d for d in data["districts"] if d["code"] == "KZ-75")
    assert almaty == {"code": "KZ-75", "name": "Almaty", "count": 3}
    assert client.get("/api/registry/rolls").json()[0]["election"] == "primaries-2020"


def test_unknown_roll_is_a_translated_json_404(client):
    for language, word in (("en", "no roll"), ("ru", "нет"), ("kk", "жоқ")):
        response = client.get("/api/registry/rolls/nope", HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 404
        error = response.json()["error"]
        assert error["code"] == "roll_not_found"
        assert word in error["message"].lower()


def upload(client, data, name="members.csv", **fields):
    payload = {"file": SimpleUploadedFile(name, data, content_type="text/csv"), **fields}
    return client.post("/api/registry/imports", payload, HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def operator(client):
    user = User.objects.create_user("operator", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name="operator"))
    client.force_login(user)
    return user


def test_import_needs_login_and_permission(client, make_csv, members):
    response = upload(client, make_csv(members(2)))
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
    user = User.objects.create_user("auditor", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name="auditor"))
    client.force_login(user)
    response = upload(client, make_csv(members(2)), dry_run="false")
    assert response.status_code == 403
    assert Member.objects.count() == 0


def test_import_dry_run_then_apply(client, operator, make_csv, members):
    rows = members(4)
    rows[3][0] = "123"
    data = make_csv(rows)
    report = upload(client, data).json()  # dry run is the default
    assert (report["dry_run"], report["accepted"], report["rejected_count"]) == (True, 3, 1)
    assert report["rejected"][0] == {
        "line": 5,
        "problems": [
            {
                "field": "iin",
                "code": "iin.length",
                "other_line": None,
                "message": "The IIN must have exactly 12 digits.",
            }
        ],
    }
    assert Member.objects.count() == 0
    report = upload(client, data, dry_run="false", limit="0").json()
    assert report["applied"] and report["accepted"] == 3
    assert report["rejected"] == [] and report["rejected_truncated"] is True
    assert Member.objects.count() == 3


def test_import_of_an_unreadable_file_says_why(client, operator):
    response = upload(client, b"name;age\nx;1\n")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "import_file"
    assert "iin" in error["message"]


def test_import_without_file_is_a_field_error(client, operator):
    response = client.post("/api/registry/imports", {}, HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_input"
    assert error["fields"][0]["field"].endswith("file")
    assert error["fields"][0]["message"] == "Это поле обязательно."
