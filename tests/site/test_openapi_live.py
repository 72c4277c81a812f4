"""Schemathesis with all its checks against a live server (a real HTTP server on 127.0.0.1,
pytest-django's live_server), on the demo elections of test_openapi_fuzz: 0 failures.

Every operation gets schema-valid and schema-invalid requests (POSITIVE and NEGATIVE) with
the credentials its security scheme asks for. All built-in checks run (server errors, status
codes, content types, response schemas and headers, positive data accepted, negative data
rejected, missing headers, unsupported methods, ignored auth, …) plus the site's error shape.
Bounded: SAYLAU_FUZZ_LIVE_EXAMPLES (default 4) examples per operation and plan, derandomised;
state changes stay (no rollback between operations over HTTP), so the sign-out runs last.
"""

from __future__ import annotations

import os
from collections import Counter
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hsettings
from hypothesis.errors import Unsatisfiable
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance
from tests.site.test_openapi_fuzz import credentials, demo_world, error_shape, plans

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
EXAMPLES = int(os.environ.get("SAYLAU_FUZZ_LIVE_EXAMPLES", "4"))

# What no JSON Schema can state, documented in each operation's description: a ballot's
# proofs, a manifest's or a members file's content, an IIN's check digit, whether an SMS code
# is the right one. A schema-valid request may get this status (with a coded error) there.
BEYOND_THE_SCHEMA: dict[str, list[tuple[int, set[str] | None]]] = {
    "POST /api/voting/{slug}/ballots": [(400, None)],
    "POST /api/elections/": [(400, None)],
    # pydantic refuses some RFC 3339 date-times the format allows (a leap second, …)
    "POST /api/elections/upload": [(400, None), (422, {"form.opens_at", "form.closes_at"})],
    "POST /api/registry/imports": [(400, None)],
    "POST /api/voting/{slug}/sign-in": [(422, {"iin"})],
    "POST /api/voting/{slug}/sign-in/verify": [(400, None)],
    # a moment's range in UTC (2000–2099), whatever offset it is written with
    "PUT /api/elections/{slug}/schedule": [(400, {"opens_at", "closes_at"})],
}


def positive_data_accepted(ctx, response, case):
    """positive_data_acceptance, except the refusals BEYOND_THE_SCHEMA names."""
    if case.meta.generation.mode.is_positive:
        for status, fields in BEYOND_THE_SCHEMA.get(case.operation.label, []):
            if response.status_code != status:
                continue
            error = response.json()["error"]
            named = {f["field"] for f in error.get("fields", [])}
            if error["code"] and (fields is None or (named and named <= fields)):
                return None
    return positive_data_acceptance(ctx, response, case)


def negative_data_rejected(ctx, response, case):
    """negative_data_rejection, except when only a header or cookie was made invalid: the
    test replaces those with its real credentials."""
    negative = {
        location.value for location, info in case.meta.components.items() if info.mode.is_negative
    }
    if negative and negative <= {"header", "cookie"}:
        return None
    return negative_data_rejection(ctx, response, case)


@pytest.fixture
def live_world(settings, tmp_path, client) -> dict[str, Any]:
    return demo_world(settings, tmp_path, client, ["localhost", "testserver", "127.0.0.1"])


def _order(operation) -> tuple[bool, str]:
    return (operation.path.endswith("/sign-out"), operation.label)


def fuzz(operation, mode, path_parameters, headers, cookies, base_url, seen) -> None:
    strategy = operation.as_strategy(
        generation_mode=mode, path_parameters=path_parameters, headers={"Accept-Language": "en"}
    )

    @hsettings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def run(case):
        response = case.call(base_url=base_url, headers=headers, cookies=cookies, timeout=30)
        seen.setdefault(operation.label, Counter())[response.status_code] += 1
        case.validate_response(
            response,
            headers=headers,
            excluded_checks=[positive_data_acceptance, negative_data_rejection],
            additional_checks=[error_shape, positive_data_accepted, negative_data_rejected],
        )

    run()


def test_a_live_server_passes_every_schemathesis_check(live_server, live_world):
    base_url = live_server.url  # the schema's paths start with /api/
    schema = schemathesis.openapi.from_url(f"{base_url}/api/openapi.json")
    operations = sorted((r.ok() for r in schema.get_all_operations()), key=_order)
    failures: list[str] = []
    seen: dict[str, Counter[int]] = {}
    for operation in operations:
        headers, cookies = credentials(operation, live_world)
        for mode, path_parameters in plans(operation, live_world):
            try:
                fuzz(operation, mode, path_parameters, headers, cookies, base_url, seen)
            except Unsatisfiable:
                continue
            except (Exception, BaseExceptionGroup) as error:
                failures.append(f"{operation.label} [{mode.value}]: {error}"[:1500])
    for label, statuses in sorted(seen.items()):
        print(f"{label}: {dict(sorted(statuses.items()))}")
    print("\n\n".join(failures))
    assert len(operations) >= 35
    assert not failures, f"{len(failures)} failures:\n\n" + "\n\n".join(failures)
