"""Fixtures for the elections tests: a closed roll, staff users, an in-memory board, and a
helper that takes an election through its lifecycle with the demo's in-process roles."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.contrib.auth.models import Group, User

from saylau.crypto.rand import DeterministicRng
from saylau.demo import play as demo
from saylau.elections import services
from saylau.elections.models import Status
from saylau.protocol.ballot import encrypt_ballot
from saylau.protocol.credentials import derive
from saylau.registry import services as registry
from saylau.registry import synth
from saylau.registry.models import Member
from tests.elections.memory_board import MemoryBoard

SLUG = "primaries-2026"
FREEZE = dt.date(2020, 9, 11)


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path):
    """Records, demo key files and secrets go to a temporary directory."""
    settings.VAR_DIR = tmp_path / "var"
    return settings.VAR_DIR


@pytest.fixture(autouse=True)
def reset_language():
    """The CLIs activate a language for the thread; leave the default for the next test."""
    yield
    from django.utils import translation

    translation.deactivate()


@pytest.fixture
def memory_board(settings):
    settings.SAYLAU_BOARD_SOURCE = MemoryBoard
    MemoryBoard.reset()
    yield MemoryBoard
    MemoryBoard.reset()


def add_members(per_district: dict[str, int], seed: int = 1) -> list[Member]:
    """Members with valid IINs and phones, in the given districts, joined before FREEZE."""
    total = sum(per_district.values())
    people = list(synth.generate(total, seed=seed))
    codes = [code for code, n in per_district.items() for _ in range(n)]
    return [
        Member.objects.create(
            iin=p.iin,
            full_name=p.full_name,
            phone=p.phone,
            district_id=code,
            join_date=dt.date(2010, 1, 1),
        )
        for p, code in zip(people, codes, strict=True)
    ]


def close_roll(slug: str, per_district: dict[str, int], seed: int = 1) -> list[Member]:
    members = add_members(per_district, seed)
    registry.open_roll(slug, FREEZE)
    registry.close_roll(slug)
    return members


@pytest.fixture
def manifest():
    return demo.sample_manifest(SLUG)


@pytest.fixture
def election(db, manifest):
    return services.create_election(manifest, actor="test", trustees=3, threshold=2)


def staff(client, role: str) -> User:
    user = User.objects.create_user(f"{role}-user", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    client.force_login(user)
    return user


def vote(
    election,
    secrets_file,
    rnd: random.Random,
    voters: int | None = None,
    *,
    voting_board: bool = False,
) -> dict:
    """Encrypt and cast a random ballot for the first `voters` credential holders (on the
    memory board, or with `voting_board` through the voting app's cast and its real board);
    returns the expected plaintext counts per district/contest/option id."""
    ctx = services.election_context(election)
    expected: dict = {}
    rows = secrets_file.credentials[:voters] if voters else secrets_file.credentials
    for k, row in enumerate(rows):
        district = row["district"]
        selections = {}
        for contest in ctx.manifest.contests_for(district):
            marks = [0] * len(contest.options)
            if contest.min_marks or rnd.random() < 0.8:
                marks[rnd.randrange(len(contest.options))] = 1
            selections[contest.id] = marks
            counts = expected.setdefault(district, {}).setdefault(contest.id, {})
            for option, mark in zip(contest.options, marks, strict=True):
                counts[option.id] = counts.get(option.id, 0) + mark
        credential = derive(election.slug, row["code"])
        ballot = encrypt_ballot(ctx, district, selections, credential, DeterministicRng(f"b{k}"))
        if voting_board:
            from saylau.voting import services as voting

            voting.cast_ballot(election, row["member"], ballot.raw)
        else:
            MemoryBoard.cast(election, ballot)
    return expected


def through_stage(election, stage: str, *, absent: tuple[int, ...] = (), start: str = ""):
    """Take a draft election (whose roll is closed) up to `stage` with the demo roles and
    the memory board; returns (election, context dict with key files and CA secrets)."""
    order = [
        Status.ROLL_CLOSED,
        Status.KEYS_READY,
        Status.CREDENTIALS_ISSUED,
        Status.OPEN,
        Status.CLOSED,
        Status.TALLIED,
        Status.PUBLISHED,
    ]
    info: dict = {}
    first = order.index(start) + 1 if start else 0
    for target in order[first : order.index(stage) + 1]:
        if target == Status.KEYS_READY:
            info["keyfiles"] = demo.run_ceremony_in_process(election, DeterministicRng("dkg"))
        if target == Status.CREDENTIALS_ISSUED:
            info["ca"] = demo.issue_credentials_in_process(election, DeterministicRng("ca"))
        if target == Status.CLOSED:
            info["expected"] = vote(election, info["ca"], random.Random(7))
        if target == Status.TALLIED:
            services.prepare_tally(election, actor="test")
            present = [j for j in sorted(info["keyfiles"]) if j not in absent]
            demo.decrypt_in_process(election, info["keyfiles"], present, DeterministicRng("shares"))
        election = services.transition(election, target, actor="test")
    return election, info
