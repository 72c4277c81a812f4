"""Helpers for the discrepancy and PVT tests: accepted protocols made as the paper app stores
them (status accepted, a scan hash), copies sent through observation.submissions, and a
commission's CSV with its column map."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import uuid

from django.test import Client
from django.utils import timezone

from saylau.observation import accreditation as acc
from saylau.observation.media import attach
from saylau.observation.submissions import Sent, submit
from saylau.paper.entry import Typed
from saylau.paper.models import Protocol
from saylau.protocol.paper_protocol import FIELDS
from tests.observation.world import PASSWORD
from tests.paper.entry_world import CONTEST, OPTIONS, good_counts, png_bytes

MAP_YAML = """station: station
voters_on_list: voters
ballots_received: received
ballots_issued: issued
ballots_cancelled: cancelled
ballots_spoiled: spoiled
ballots_lost: lost
ballots_in_boxes: in_boxes
invalid: invalid
valid: valid
options: [c1, c2, aa]
"""
HEADER = ["station", "voters", "received", "issued", "cancelled", "spoiled", "lost"]
HEADER += ["in_boxes", "invalid", "valid", "c1", "c2", "aa"]


def accept(election, station, typed: Typed, contest: str = CONTEST) -> Protocol:
    """An accepted first count of `station`'s protocol with these lines."""
    return Protocol.objects.create(
        election=election,
        station=station,
        contest=contest,
        revision=1,
        status=Protocol.Status.ACCEPTED,
        counts=typed.counts,
        options=typed.options,
        scan_sha256=hashlib.sha256(station.code.encode()).hexdigest(),
        accepted_at=timezone.now(),
    )


def accredit(ow, coordinator: str, observer: str, station) -> None:
    now = dt.datetime.now(dt.UTC)
    acc.assign(
        ow.users[coordinator],
        ow.observers[observer],
        station,
        "primary",
        now - dt.timedelta(hours=1),
        now + dt.timedelta(hours=12),
    )


def send_copy(ow, observer: str, station, typed: Typed, photo: bool = False, contest=CONTEST):
    now = dt.datetime.now(dt.UTC)
    payload = {"contest": contest, "counts": typed.counts, "options": typed.options}
    stored, _ = submit(
        ow.observers[observer],
        Sent(uuid.uuid4(), "protocol_copy", station.code, now, payload),
        now,
    )
    if photo:
        attach(ow.observers[observer], stored.client_uuid, [png_bytes()])
    return stored


def csv_bytes(rows: dict[str, Typed], extra: list[list[str]] | None = None) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for code, typed in rows.items():
        writer.writerow(
            [code, *[typed.counts[f] for f in FIELDS], *[typed.options[o] for o in OPTIONS]]
        )
    for row in extra or []:
        writer.writerow(row)
    return out.getvalue().encode("utf-8")


def login(name: str, lang: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=lang)
    assert client.login(username=name, password=PASSWORD)
    return client


__all__ = ["CONTEST", "OPTIONS", "good_counts"]
