"""@non_atomic API operations (decision 0010): outside the request's transaction."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import URLPattern, resolve
from ninja import NinjaAPI, Router

from saylau.site.api import api
from saylau.web.non_atomic import mark_views, non_atomic


def test_the_cast_runs_outside_the_request_transaction():
    assert resolve("/api/voting/some-election/ballots").func._non_atomic_requests == {"default"}


def test_every_other_api_view_is_atomic():
    patterns = [p for p in api.urls[0] if isinstance(p, URLPattern)]
    non_atomic_routes = {
        str(p.pattern) for p in patterns if getattr(p.callback, "_non_atomic_requests", None)
    }
    assert non_atomic_routes == {"voting/<slug>/ballots"}
    assert len(patterns) > 10


def _api_with(router: Router) -> NinjaAPI:
    test_api = NinjaAPI(urls_namespace="non-atomic-test")
    test_api.add_router("/", router)
    return test_api


def test_a_path_mixing_marked_and_unmarked_operations_is_refused():
    router = Router()

    @router.post("/thing")
    @non_atomic
    def write_thing(request):  # pragma: no cover - never called
        return {}

    @router.get("/thing")
    def read_thing(request):  # pragma: no cover - never called
        return {}

    with pytest.raises(ImproperlyConfigured, match="thing"):
        mark_views(_api_with(router).urls[0])


def test_a_path_whose_operations_are_all_marked_is_non_atomic():
    router = Router()

    @router.post("/other")
    @non_atomic
    def write_other(request):  # pragma: no cover - never called
        return {}

    patterns = _api_with(router).urls[0]
    mark_views(patterns)
    marked = {p.name for p in patterns if getattr(p.callback, "_non_atomic_requests", None)}
    assert marked == {"write_other"}  # not the API's own openapi.json and docs views
