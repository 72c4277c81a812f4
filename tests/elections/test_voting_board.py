"""The same election with the voting app's real board (saylau.voting.services) instead of the
in-memory one: the open transition starts the board, ballots are cast through the voting
service, the close transition closes it, and the record verifies."""

from __future__ import annotations

import importlib
import random

import pytest

from saylau.crypto.rand import DeterministicRng
from saylau.demo import play as demo
from saylau.elections import services
from saylau.elections.models import Status
from saylau.protocol.ballot import encrypt_ballot
from saylau.protocol.credentials import derive
from saylau.record.verify import verify_record
from tests.elections.conftest import SLUG, close_roll, through_stage

pytestmark = pytest.mark.django_db
NEEDED = (
    "open_board",
    "close_board",
    "cast_ballot",
    "counted_ballots",
    "board_leaves",
    "board_heads",
)


def voting_services():
    try:
        module = importlib.import_module("saylau.voting.services")
    except ImportError:
        pytest.skip("saylau.voting.services does not exist yet")
    missing = [name for name in NEEDED if not hasattr(module, name)]
    if missing:
        pytest.skip(f"saylau.voting.services lacks {', '.join(missing)}")
    return module


def test_election_on_the_voting_apps_board(election):
    voting = voting_services()
    close_roll(SLUG, {"KZ-75": 2, "KZ-71": 2})
    election, info = through_stage(election, Status.CREDENTIALS_ISSUED)
    election = services.transition(election, Status.OPEN, actor="test")
    ctx = services.election_context(election)
    rnd = random.Random(5)
    expected: dict = {}
    for k, row in enumerate(info["ca"].credentials):
        selections = {}
        for contest in ctx.manifest.contests_for(row["district"]):
            marks = [0] * len(contest.options)
            marks[rnd.randrange(len(contest.options))] = 1
            selections[contest.id] = marks
            counts = expected.setdefault(row["district"], {}).setdefault(contest.id, {})
            for option, mark in zip(contest.options, marks, strict=True):
                counts[option.id] = counts.get(option.id, 0) + mark
        ballot = encrypt_ballot(
            ctx, row["district"], selections, derive(SLUG, row["code"]), DeterministicRng(f"v{k}")
        )
        voting.cast_ballot(election, row["member"], ballot.raw)
    election = services.transition(election, Status.CLOSED, actor="test")
    services.prepare_tally(election, actor="test")
    demo.decrypt_in_process(election, info["keyfiles"], [1, 3])
    election = services.transition(election, Status.TALLIED, actor="test")
    election = services.transition(election, Status.PUBLISHED, actor="test")
    report = verify_record(services.record_path(election), workers=1)
    assert report.ok, report.failures
    for district, contests in expected.items():
        assert report.results[district]["contests"] == contests
