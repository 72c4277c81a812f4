import pytest
from django.db import transaction
from django.test import RequestFactory
from ninja import NinjaAPI, Schema
from ninja.testing import TestClient

from saylau.errors import UserError
from saylau.registry.models import District
from saylau.site import errors
from saylau.site.api_errors import install_error_handlers

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_client():
    api = NinjaAPI(urls_namespace="errors-under-test")
    install_error_handlers(api)

    class In(Schema):
        count: int
        name: str

    @api.post("/echo")
    def echo(request, payload: In):
        return {"ok": True}

    @api.get("/boom")
    def boom(request):
        District.objects.create(code="KZ-00", name_kk="x", name_ru="x", name_en="x")
        raise RuntimeError("secret detail 900101300007")

    @api.get("/user-error")
    def user_error(request):
        raise UserError("Nope.", code="nope", field="thing")

    return TestClient(api)


def test_validation_errors_are_translated_field_by_field(api_client):
    from django.utils import translation

    for language in ("kk", "ru", "en"):
        with translation.override(language):
            response = api_client.post("/echo", json={"count": "many"})
        assert response.status_code == 422
        error = response.json()["error"]
        assert error["code"] == "invalid_input"
        fields = {f["field"]: f["message"] for f in error["fields"]}
        assert set(fields) == {"body.payload.count", "body.payload.name"}
    with translation.override("en"):
        fields = {
            f["field"]: f["message"]
            for f in api_client.post("/echo", json={"count": "x"}).json()["error"]["fields"]
        }
    assert fields["body.payload.name"] == "This field is required."
    assert fields["body.payload.count"] == "This value has the wrong type or format."


def test_malformed_json(api_client, english):
    response = api_client.post("/echo", data="{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {
        "error": {"code": "bad_request", "message": "The request could not be understood."}
    }


def test_unhandled_errors_are_500_json_without_details_and_roll_back(api_client, english):
    before = District.objects.count()
    with transaction.atomic():
        response = api_client.get("/boom")
    assert response.status_code == 500
    body = response.content.decode()
    assert "secret detail" not in body and "Traceback" not in body and "900101300007" not in body
    assert response.json()["error"]["code"] == "server_error"
    assert District.objects.count() == before  # the write was rolled back


def test_user_errors(api_client):
    response = api_client.get("/user-error")
    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "code": "nope",
            "message": "Nope.",
            "fields": [{"field": "thing", "message": "Nope."}],
        }
    }


def test_site_404_json_and_html(client, settings):
    settings.DEBUG = False
    response = client.get("/api/does-not-exist", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    response = client.get("/en/does-not-exist/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert "The page you asked for does not exist." in response.content.decode()


@pytest.mark.parametrize(
    ("language", "text"), [("kk", 'lang="kk"'), ("ru", 'lang="ru"'), ("en", "Something went wrong")]
)
def test_500_page(language, text):
    from django.utils import translation

    request = RequestFactory().get("/en/")
    with translation.override(language):
        response = errors.server_error(request)
    assert response.status_code == 500
    assert text in response.content.decode()
    api = RequestFactory().get("/api/x")
    with translation.override("en"):
        assert errors.server_error(api)["Content-Type"].startswith("application/json")


def test_csrf_failure_is_explained(client, english):
    from django.contrib.auth.models import User

    csrf_client = type(client)(enforce_csrf_checks=True)
    User.objects.create_user("u", password="pw")
    response = csrf_client.post("/i18n/setlang/", {"language": "ru"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    assert "Reload the page" in response.content.decode()
