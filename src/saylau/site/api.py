"""The JSON API: one NinjaAPI, one router per domain app.

OpenAPI schema at ``/api/openapi.json``, interactive docs at ``/api/docs``.
A domain app adds its router to ``ROUTERS`` (prefix, import path of a ``Router``).
"""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest
from ninja import NinjaAPI, Schema
from ninja.renderers import JSONRenderer

from saylau import __version__
from saylau.site.api_errors import install_error_handlers

ROUTERS: list[tuple[str, str]] = [
    ("/registry/", "saylau.registry.api.router"),
    ("/elections/", "saylau.elections.api.router"),
    ("/voting/", "saylau.voting.api.router"),
]


class Utf8JSONRenderer(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    renderer=Utf8JSONRenderer(),
    title="saylau",
    version=__version__,
    description=(
        "Verifiable party primaries. Errors always have the shape "
        '`{"error": {"code", "message", "fields"?}}`; messages follow the '
        "`Accept-Language` header (kk, ru, en)."
    ),
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
)
install_error_handlers(api)


class HealthOut(Schema):
    status: str
    database: str
    version: str


@api.get("/health", response=HealthOut, tags=["site"], summary="Liveness and database check")
def health(request: HttpRequest) -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return {"status": "ok", "database": connection.vendor, "version": __version__}


for _prefix, _router in ROUTERS:
    api.add_router(_prefix, _router)
