"""The JSON API: one NinjaAPI, one router per domain app.

OpenAPI schema at ``/api/openapi.json``, interactive docs at ``/api/docs``.
A domain app adds its router to ``ROUTERS`` (prefix, import path of a ``Router``).
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.http import HttpRequest
from django.urls import URLPattern, URLResolver
from ninja import NinjaAPI, Schema
from ninja.openapi.schema import OpenAPISchema
from ninja.parser import Parser
from ninja.renderers import JSONRenderer

from saylau import __version__
from saylau.site.api_errors import install_error_handlers
from saylau.web.non_atomic import mark_views

ROUTERS: list[tuple[str, str]] = [
    ("/registry/", "saylau.registry.api.router"),
    ("/elections/", "saylau.elections.api.router"),
    ("/voting/", "saylau.voting.api.router"),
    ("/observation/", "saylau.observation.api.router"),
    ("/exitpoll/", "saylau.exitpoll.api.router"),
]


class Utf8JSONRenderer(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}


class ObjectBodyParser(Parser):
    """Every JSON body the API documents is an object: anything else is refused (400), not
    read as an object whose fields are all missing."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = super().parse_body(request)
        if not isinstance(data, dict):
            raise ValueError("the JSON body is not an object")
        return data


ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "fields": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["field", "message"],
                        "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
                    },
                },
            },
        }
    },
}
ERROR_RESPONSES = {
    "4XX": "Refused: the error says what is wrong (in the Accept-Language language, kk, ru "
    "or en); nothing was changed.",
    "503": "Busy (database overload or lock timeout): nothing was changed; try again after "
    "Retry-After seconds.",
}


class SaylauAPI(NinjaAPI):
    """NinjaAPI whose OpenAPI schema documents the error answers every operation may give
    (one shape for all: `{"error": {"code", "message", "fields"?}}`)."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
        reference = {"$ref": "#/components/schemas/Error"}
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                for status, description in ERROR_RESPONSES.items():
                    responses.setdefault(
                        status,
                        {
                            "description": description,
                            "content": {"application/json": {"schema": reference}},
                        },
                    )
        return schema

    def _get_urls(self) -> list[URLResolver | URLPattern]:
        patterns = super()._get_urls()
        mark_views(patterns)
        return patterns


api = SaylauAPI(
    renderer=Utf8JSONRenderer(),
    parser=ObjectBodyParser(),
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
