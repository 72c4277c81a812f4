"""Schemathesis against the API's own OpenAPI schema (`/api/openapi.json`), in process (WSGI),
on a database holding two demo elections: one open with a ballot on its board, one
published. No answer may be a server error (≥ 500); every status code, content type and
response body must be the documented one; every error must have the site's JSON shape with a
message (never a traceback).

Each operation is fuzzed with schema-valid and schema-invalid requests (POSITIVE and NEGATIVE
modes) aimed at the demo elections (their slug, a real tracking code), with the credentials
its security scheme asks for: a signed-in voter's token (VoterToken), a seat's token
(SeatToken: the CA's for /ca…, trustee 1's otherwise) or an organiser's session with its CSRF
token (SessionAuth); and with made-up slugs. Each operation starts from the same database
(a savepoint rolled back after it). Examples are derandomised (the same run every time) and
bounded: SAYLAU_FUZZ_EXAMPLES (default 12) per operation and plan. For a longer search,
SAYLAU_FUZZ_EXAMPLES=200 SAYLAU_FUZZ_RANDOM=1 (random examples, different on every run).
"""

from __future__ import annotations

import os
import re
from collections import Counter
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hsettings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from tests.voting.helpers import ensure_districts

from saylau.demo import finish as demo_finish
from saylau.demo import setup as demo_setup

pytestmark = pytest.mark.django_db
EXAMPLES = int(os.environ.get("SAYLAU_FUZZ_EXAMPLES", "12"))
RANDOM = os.environ.get("SAYLAU_FUZZ_RANDOM") == "1"  # explore: new examples on every run
CSRF = "c" * 32
OPEN, PUBLISHED = demo_setup.SLUG, "demo-published"


def sign_in(client, slug: str, voter) -> str:
    from saylau.notify.models import OutboxMessage

    response = client.post(
        f"/api/voting/{slug}/sign-in",
        {"iin": voter.iin, "phone": voter.phone},
        content_type="application/json",
    )
    assert response.status_code == 202, response.content
    body = OutboxMessage.objects.order_by("-id").first().body
    code = re.search(r"(?<!\d)(\d{6})(?!\d)", body).group(1)
    response = client.post(
        f"/api/voting/{slug}/sign-in/verify",
        {"challenge": response.json()["challenge"], "code": code},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return response.json()["token"]


def cast(client, slug: str, voter) -> str:
    """Voter casts the demo's ballot for them through the API; returns the tracking code."""
    import json

    from saylau.crypto.rand import DeterministicRng
    from saylau.elections import services
    from saylau.protocol.ballot import encrypt_ballot
    from saylau.protocol.canonical import canonical_json
    from saylau.protocol.credentials import derive

    token = sign_in(client, slug, voter)
    ctx = services.election_context(services.get_election(slug))
    selections = json.loads(voter.choices.read_text("utf-8"))
    ballot = encrypt_ballot(
        ctx, voter.district, selections, derive(slug, voter.credential), DeterministicRng(slug)
    )
    response = client.post(
        f"/api/voting/{slug}/ballots",
        canonical_json(ballot.raw),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 201, response.content
    return response.json()["receipt"]["tracking_code"]


def demo_world(settings, tmp_path, client, hosts: list[str]) -> dict[str, Any]:
    """Two demo elections (open, published); tokens for a voter, the CA, trustee 1; an
    organiser's session; a tracking code on the open board."""
    from django.contrib.auth.models import User
    from django.utils import translation

    settings.VAR_DIR = tmp_path / "var"
    settings.SAYLAU_OTP_SMS_MODE = "inline"
    settings.ALLOWED_HOSTS = hosts
    ensure_districts()
    done = demo_setup.setup(slug=PUBLISHED, run_migrations=False)
    cast(client, PUBLISHED, done.voters[0])
    demo_finish.finish(PUBLISHED, analysis=False)
    info = demo_setup.setup(run_migrations=False)
    translation.deactivate()
    tracking = cast(client, OPEN, info.voters[1])
    voter = sign_in(client, OPEN, info.voters[0])
    organiser = User.objects.create_superuser("organiser", password="pw")
    client.force_login(organiser)
    return {
        "voter": voter,
        "ca": info.tokens["ca"],
        "trustee": info.tokens["trustee-1"],
        "session": client.cookies["sessionid"].value,
        "code": tracking,
    }


@pytest.fixture
def world(settings, tmp_path, client) -> dict[str, Any]:
    found = demo_world(settings, tmp_path, client, ["localhost", "testserver"])
    # As Django's test client does: no connection closing around in-process requests.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield found
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def credentials(operation, world) -> tuple[dict[str, str], dict[str, str]]:
    """Headers and cookies for an operation's security scheme."""
    schemes = {name for item in operation.definition.raw.get("security", []) for name in item}
    if "VoterToken" in schemes:
        return {"Authorization": f"Bearer {world['voter']}"}, {}
    if "SeatToken" in schemes:
        token = world["ca"] if "/ca" in operation.path else world["trustee"]
        return {"Authorization": f"Bearer {token}"}, {}
    if "SessionAuth" in schemes:
        cookies = {"sessionid": world["session"], "csrftoken": CSRF}
        return {"X-CSRFToken": CSRF}, cookies
    return {}, {}


def error_shape(ctx, response, case) -> bool | None:
    """Every error is the site's JSON error: a code and a message, never a traceback."""
    if response.status_code < 400:
        return None
    try:
        body = response.json()
    except ValueError:
        raise AssertionError(f"{response.status_code} without a JSON body") from None
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict) or not error.get("message") or not error.get("code"):
        raise AssertionError(f"{response.status_code} without the error shape: {body!r}"[:300])
    if "Traceback" in response.text or 'File "' in response.text:
        raise AssertionError("a traceback reached the client")
    return True


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    error_shape,
]


def plans(operation, world) -> list[tuple[GenerationMode, dict[str, str] | None]]:
    """(mode, fixed path parameters) to try: the demo elections' real objects, then
    made-up ones."""
    path = operation.path
    if "{slug}" not in path and "{election}" not in path:
        return [(GenerationMode.POSITIVE, None), (GenerationMode.NEGATIVE, None)]
    key = "slug" if "{slug}" in path else "election"
    fixed = {key: OPEN}
    if "{code}" in path:
        fixed["code"] = world["code"]
    found = [(GenerationMode.POSITIVE, fixed), (GenerationMode.NEGATIVE, {key: OPEN})]
    if operation.method.upper() == "GET":
        found.append((GenerationMode.POSITIVE, {key: PUBLISHED}))
    found.append((GenerationMode.POSITIVE, None))
    return found


def fuzz(operation, mode, path_parameters, headers, cookies, seen) -> None:
    strategy = operation.as_strategy(
        generation_mode=mode, path_parameters=path_parameters, headers={"Accept-Language": "en"}
    )

    @hsettings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=not RANDOM,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def run(case):
        response = case.call(headers=headers, cookies=cookies)
        seen.setdefault(operation.label, Counter())[response.status_code] += 1
        case.validate_response(response, checks=CHECKS, headers=headers)

    run()


def test_the_api_answers_every_request_as_documented_and_never_with_a_server_error(world):
    from django.core.handlers.wsgi import WSGIHandler

    # The site's WSGI handler (saylau.site.wsgi adds only the production-settings guard).
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", WSGIHandler())
    failures: list[str] = []
    seen: dict[str, Counter[int]] = {}
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        headers, cookies = credentials(operation, world)
        for mode, path_parameters in plans(operation, world):
            try:
                with transaction.atomic():  # every plan starts from the same database
                    fuzz(operation, mode, path_parameters, headers, cookies, seen)
                    transaction.set_rollback(True)
            except Unsatisfiable:  # nothing to make invalid (e.g. a free-text parameter)
                continue
            except (Exception, BaseExceptionGroup) as error:  # collect all, then report
                failures.append(f"{operation.label} [{mode.value}]: {error}"[:2000])
    for label, statuses in sorted(seen.items()):  # shown when the test fails, or with -s
        print(f"{label}: {dict(sorted(statuses.items()))}")
    assert operations >= 35
    assert not failures, "\n\n".join(failures)
    # The credentials worked: each secured operation got past authentication at least once.
    for label, statuses in seen.items():
        assert set(statuses) - {401, 404}, f"{label}: only {dict(statuses)}"
