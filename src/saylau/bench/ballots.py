"""Ballots for the load benchmark, made before the timed phases (encryption is the voter's
device's work, not the server's), and the per-ballot verification time the floor is made of."""

from __future__ import annotations

import statistics
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from saylau.crypto.group import Element
from saylau.crypto.rand import SystemRng
from saylau.protocol.ballot import Ballot, ElectionContext, encrypt_ballot, verify_ballot
from saylau.protocol.credentials import derive
from saylau.protocol.manifest import manifest_from_json

_context: ElectionContext | None = None


def election_context(manifest: dict[str, Any], joint_public_key: str) -> ElectionContext:
    return ElectionContext.make(
        manifest_from_json(manifest), Element(bytes.fromhex(joint_public_key))
    )


def _init(manifest: dict[str, Any], joint_public_key: str) -> None:
    global _context
    _context = election_context(manifest, joint_public_key)


def selections(ctx: ElectionContext, district: str, choice: int) -> dict[str, list[int]]:
    """One mark per contest (the minimum allowed, at least one), on option `choice`."""
    marks = {}
    for contest in ctx.manifest.contests_for(district):
        row = [0] * len(contest.options)
        for k in range(max(1, contest.min_marks)):
            row[(choice + k) % len(row)] = 1
        marks[contest.id] = row
    return marks


def _encrypt(args: tuple[str, str, str, int]) -> Ballot:
    slug, district, code, choice = args
    assert _context is not None
    return encrypt_ballot(
        _context, district, selections(_context, district, choice), derive(slug, code), SystemRng()
    )


def encrypt_all(
    manifest: dict[str, Any],
    joint_public_key: str,
    voters: Sequence[dict[str, Any]],
    processes: int,
) -> list[Ballot]:
    """Each voter's ballot (a choice that depends on their member id), in a process pool."""
    slug = manifest["election_id"]
    jobs = [(slug, v["district"], v["code"], int(v["member"])) for v in voters]
    with ProcessPoolExecutor(
        processes, initializer=_init, initargs=(manifest, joint_public_key)
    ) as pool:
        return list(pool.map(_encrypt, jobs, chunksize=32))


def verify_samples(
    ctx: ElectionContext, ballots: Sequence[Ballot], repeat: int = 30
) -> list[float]:
    """CPU seconds of `repeat` verify_ballot calls (the server's check), one ballot after
    another. CPU time of this thread, so a preemption by another process does not count."""
    times = []
    for k in range(repeat):
        ballot = ballots[k % len(ballots)]
        started = time.thread_time()
        verify_ballot(ctx, ballot, None)
        times.append(time.thread_time() - started)
    return times


def verify_seconds(ctx: ElectionContext, ballots: Sequence[Ballot], repeat: int = 30) -> float:
    """Median CPU seconds of one verify_ballot over `repeat` ballots."""
    return statistics.median(verify_samples(ctx, ballots, repeat))
