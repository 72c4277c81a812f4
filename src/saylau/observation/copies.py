"""Observers' copies of a station's signed protocol, compared field by field.

Two observers (of one organisation or of several) photograph and transcribe the same signed
protocol; a line on which their copies differ is a typing slip or two different protocols,
and either way the coordinator looks at the photos. Each copy also carries the control
relations it breaks (checked when it arrived).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from saylau.observation.models import Submission
from saylau.paper.entry import Key, contest_of, keys_of
from saylau.protocol.paper_protocol import RELATIONS
from saylau.stations.models import Station


@dataclass(frozen=True)
class Copy:
    submission: Submission
    values: dict[Key, int]
    failures: list[str]

    @property
    def who(self) -> str:
        observer = self.submission.observer
        return f"{observer.full_name} ({observer.organisation.name})"


@dataclass(frozen=True)
class Comparison:
    """The copies of one contest's protocol at a station, and the lines they differ on."""

    station: Station
    contest: str
    keys: list[Key]
    copies: list[Copy] = field(default_factory=list)
    differing: list[Key] = field(default_factory=list)

    @property
    def agree(self) -> bool:
        return len(self.copies) >= 2 and not self.differing


def _failure_texts(payload: dict[str, Any]) -> list[str]:
    return [_(RELATIONS[f["code"]]) % f["params"] for f in payload.get("failures", [])]


def _copy(submission: Submission, keys: list[Key]) -> Copy:
    payload = submission.payload
    values = {key: int(payload[key[0]][key[1]]) for key in keys}
    return Copy(submission, values, _failure_texts(payload))


def copies_of(station: Station, contest: str) -> list[Submission]:
    return list(
        Submission.objects.filter(
            station=station,
            kind=Submission.Kind.PROTOCOL_COPY,
            status=Submission.Status.ACCEPTED,
            payload__contest=contest,
        )
        .select_related("observer__organisation")
        .order_by("received_at", "pk")
    )


def compare(station: Station, contest_id: str) -> Comparison:
    """The station's accepted copies of `contest_id` and the lines on which any two differ."""
    contest = contest_of(station.election, station, contest_id)
    keys = keys_of(contest)
    copies = [_copy(s, keys) for s in copies_of(station, contest.id)]
    differing = [k for k in keys if len({c.values[k] for c in copies}) > 1]
    return Comparison(station, contest.id, keys, copies, differing)
