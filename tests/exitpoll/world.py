"""An election with one national contest (three candidates and "against all") voted in two
districts, 10 stations in KZ-75 and 8 in KZ-71, a pollster and a pollster of another poll,
for the exit poll tests. Voting is open and closes at CLOSES (in the future) unless a test
moves it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone

from saylau.elections.models import Election
from saylau.exitpoll import interviewers, polls, sampling
from saylau.exitpoll.models import Poll
from saylau.paper.models import Protocol
from saylau.stations.models import Station
from saylau.web import roles

PASSWORD = "exitpoll-test-pass-1"
CONTEST = "president"
OPTIONS = ("president-a", "president-b", "president-c", "president-aa")
DISTRICTS = {"KZ-75": 10, "KZ-71": 8}


def _name(text: str) -> dict[str, str]:
    return {"kk": text, "ru": text, "en": text}


def manifest(slug: str) -> dict[str, Any]:
    options = [
        {"id": OPTIONS[0], "name": _name("Aida Candidate")},
        {"id": OPTIONS[1], "name": _name("Bolat Candidate")},
        {"id": OPTIONS[2], "name": _name("Dana Candidate")},
        {"id": OPTIONS[3], "name": _name("Against all"), "against_all": True},
    ]
    return {
        "schema": "saylau-manifest/1",
        "election_id": slug,
        "title": {"kk": "Сайлау", "ru": "Выборы", "en": "Election"},
        "districts": [
            {"id": d, "name": _name(f"District {d}"), "ballot_style": "all"} for d in DISTRICTS
        ],
        "ballot_styles": [{"id": "all", "contests": [CONTEST]}],
        "contests": [
            {
                "id": CONTEST,
                "name": _name("President"),
                "min_marks": 1,
                "max_marks": 1,
                "options": options,
            }
        ],
    }


@dataclass
class PollWorld:
    election: Election
    stations: list[Station]
    users: dict[str, User] = field(default_factory=dict)

    def close_polls(self) -> None:
        self.election.closes_at = timezone.now() - dt.timedelta(minutes=1)
        self.election.save(update_fields=["closes_at"])


def user(name: str, group: str | None = None) -> User:
    made = User.objects.create_user(name, password=PASSWORD)
    if group is not None:
        made.groups.add(Group.objects.get(name=group))
    return made


def build_poll_world(slug: str = "election-test") -> PollWorld:
    roles.sync_groups()  # a transactional test's flush may have removed the groups
    election = Election.objects.create(
        slug=slug,
        manifest=manifest(slug),
        status="open",
        closes_at=timezone.now() + dt.timedelta(hours=6),
    )
    stations = []
    number = 0
    for district, count in DISTRICTS.items():
        for k in range(count):
            number += 1
            stations.append(
                Station.objects.create(
                    election=election,
                    code=f"{district}-{k + 1:03d}",
                    number=number,
                    district=district,
                )
            )
    users = {
        "pollster": user("pollster", roles.POLLSTER),
        "other_pollster": user("other_pollster", roles.POLLSTER),
        "nobody": user("nobody"),
    }
    return PollWorld(election, stations, users)


def registered(pw: PollWorld, name: str = "Sayasat Exit Poll") -> Poll:
    return polls.register(
        pw.users["pollster"],
        pw.election,
        CONTEST,
        name,
        "Qogam Research",
        "Every k-th voter leaving the sampled stations is asked.",
    )


ASKED = sampling.Asked(margin=0.2, response_rate=0.7, quota=20, seed="lottery 2026-06-07")


def designed(pw: PollWorld, asked: sampling.Asked = ASKED) -> Poll:
    poll = registered(pw)
    sampling.design(pw.users["pollster"], poll, asked, timezone.now())
    return poll


def interviewer_for(pw: PollWorld, poll: Poll, name: str, sampled_ids: list[int]) -> Any:
    made = interviewers.add(
        pw.users["pollster"],
        poll,
        username=name,
        full_name=f"Interviewer {name}",
        password=PASSWORD,
        phone="+7 701 555 12 34",
    )
    interviewers.assign(pw.users["pollster"], made, sampled_ids)
    return made


def official_protocol(station: Station, votes: list[int], invalid: int = 2) -> Protocol:
    """An accepted first count of the contest at `station` with these votes per option."""
    valid = sum(votes)
    cast = valid + invalid
    counts = {
        "voters_on_list": cast + 50,
        "ballots_received": cast + 50,
        "ballots_issued": cast,
        "ballots_cancelled": 50,
        "ballots_spoiled": 0,
        "ballots_lost": 0,
        "ballots_in_boxes": cast,
        "invalid": invalid,
        "valid": valid,
    }
    return Protocol.objects.create(
        election=station.election,
        station=station,
        contest=CONTEST,
        status=Protocol.Status.ACCEPTED,
        counts=counts,
        options=dict(zip(OPTIONS, votes, strict=True)),
        scan_sha256=hashlib.sha256(station.code.encode()).hexdigest(),
        accepted_at=timezone.now(),
    )


def synthetic_answers(n: int, seed: int = 1) -> np.ndarray:
    """Per station the answers per option (n, 4) of a plausible electorate, plus a column of
    "refused to say" and the refusals and non-contacts: (n, 7)."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        p = rng.dirichlet([8, 5, 2, 1])
        answers = rng.multinomial(12, p)
        out.append([*answers, rng.integers(0, 3), rng.integers(0, 4), rng.integers(0, 3)])
    return np.array(out, np.int64)


@pytest.fixture
def pw(db) -> PollWorld:
    return build_poll_world()
