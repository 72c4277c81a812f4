"""`saylau bench observers`: the reports it sends are ones the server accepts (a checklist
with every item, a protocol copy holding every relation), and its verdict follows the
targets."""

from __future__ import annotations

import datetime as dt
import io
import uuid

import pytest
from rich.console import Console

from saylau.bench import observers_report
from saylau.bench.load_setup import manifest
from saylau.bench.observers_run import ObserversConfig, report_body
from saylau.bench.observers_setup import ITEMS
from saylau.bench.stats import Latency
from saylau.elections import manifest_io
from saylau.elections.models import Election
from saylau.observation.models import Accreditation, Checklist, Observer, Organisation
from saylau.observation.submissions import Sent, submit
from saylau.stations.models import Station


@pytest.mark.django_db
def test_the_benchmarks_reports_are_accepted():
    raw = manifest_io.normalise(manifest("b", ("KZ-75", "KZ-71", "KZ-79")))
    election = Election.objects.create(slug="b", manifest=raw, status="open")
    Checklist.objects.create(
        election=election, phase="voting", items=[{"id": i, "en": i} for i in ITEMS]
    )
    station = Station.objects.create(election=election, code="B-1", number=1, district="KZ-71")
    org = Organisation.objects.create(name="x", slug="x")
    observer = Observer.objects.create(
        organisation=org, full_name="a", iin="1" * 12, region="KZ-71", status="certified"
    )
    now = dt.datetime.now(dt.UTC)
    Accreditation.objects.create(
        observer=observer,
        organisation=org,
        station=station,
        role="primary",
        starts_at=now - dt.timedelta(hours=1),
        ends_at=now + dt.timedelta(hours=1),
    )
    contest = raw["contests"][1]
    seen = {"station": "B-1", "contest": contest["id"]}
    seen["options"] = [o["id"] for o in contest["options"]]
    for kind in ("checklist", "protocol_copy"):
        body = report_body(seen, kind, list(ITEMS))
        stored, created = submit(
            observer, Sent(uuid.uuid4(), kind, "B-1", now, body["payload"]), now
        )
        assert created and stored.status == "accepted"
        assert stored.payload.get("failures", []) == []


def _config() -> ObserversConfig:
    return ObserversConfig(10000, 8, 4000, 60, 2, "postgres://x/bench", "postgres://x/p", "b")


@pytest.mark.parametrize(
    ("capacity", "p99", "stored", "passed"),
    [
        (100.0, 0.2, 50, True),
        (5.0, 0.2, 50, False),
        (100.0, 1.5, 50, False),
        (100.0, 0.2, 49, False),
    ],
)
def test_the_verdict(capacity, p99, stored, passed):
    latency = Latency(50, 0.1, p99, p99, p99)
    figures = {
        "capacity": capacity,
        "needed": 4 * 10000 / 3600,
        "closed": latency,
        "open": latency,
        "failed": 0,
        "stored": stored,
        "accepted": 50,
        "retries_not_200": 0,
    }
    console = Console(file=io.StringIO(), width=200)
    assert observers_report.print_figures(console, _config(), figures) is passed
