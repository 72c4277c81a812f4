import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_openapi_schema_and_docs(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "saylau"
    paths = schema["paths"]
    assert "/api/registry/districts" in paths
    assert "/api/registry/rolls/{election}" in paths
    assert "/api/registry/imports" in paths
    docs = client.get("/api/docs")
    assert docs.status_code == 200 and b"swagger" in docs.content.lower()


def test_health(client):
    data = client.get("/api/health").json()
    assert data["status"] == "ok" and data["database"] in {"sqlite", "postgresql"}


@pytest.mark.parametrize(
    ("language", "phrase"),
    [("kk", "Партия праймеризі"), ("ru", "Партийные праймериз"), ("en", "Party primaries")],
)
def test_home_page_in_three_languages(client, language, phrase):
    response = client.get(f"/{language}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert f'lang="{language}"' in body
    assert phrase in body


def test_root_redirects_to_the_browser_language(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="ru-RU,ru;q=0.9")
    assert response.status_code == 302 and response["Location"] == "/ru/"


def test_language_switch(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/kk/"})
    assert response.status_code == 302 and response["Location"] == "/en/"


def test_roll_page(client, members):
    import datetime as dt

    from saylau.registry import services
    from saylau.registry.models import Member

    for row in members(2):
        Member.objects.create(
            iin=row[0],
            full_name=row[1],
            phone=row[2],
            district_id="KZ-79",
            join_date=dt.date(2010, 1, 1),
        )
    services.open_roll("primaries-2020", dt.date(2020, 9, 11))
    assert client.get("/ru/roll/primaries-2020/").status_code == 404
    services.close_roll("primaries-2020")
    body = client.get("/ru/roll/primaries-2020/").content.decode()
    assert "город Шымкент" in body and ">2<" in body
    home = client.get("/en/").content.decode()
    assert "/en/roll/primaries-2020/" in home


def test_admin_login_page(client):
    response = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="kk")
    assert response.status_code == 200


def test_migrations_are_complete():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_system_checks_pass():
    call_command("check", verbosity=0)


def test_language_switcher_names_languages_in_their_own_language(client):
    body = client.get("/ru/").content.decode()
    for name in ("Қазақ", "Русский", "English"):
        assert name in body
