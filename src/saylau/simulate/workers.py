"""The voters' and the server's work of a simulated election, run in a process pool: a
plausible selection, the device's encryption and the server's check per ballot, and the
homomorphic sums of verified ballots (also used by `saylau bench crypto`)."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from saylau.crypto.group import Element
from saylau.crypto.rand import DeterministicRng
from saylau.protocol.ballot import (
    ElectionContext,
    ballot_from_json,
    encrypt_ballot,
    tracking_code_of,
    verify_ballot,
)
from saylau.protocol.canonical import canonical_json
from saylau.protocol.credentials import derive
from saylau.protocol.manifest import Contest, manifest_from_json
from saylau.protocol.tally import Aggregator

Progress = Callable[[str, int, int], None]


def choose_marks(contest: Contest, rnd: random.Random) -> list[int]:
    """A plausible selection: popular candidates get more votes, some vote 'against all'."""
    n = len(contest.options)
    aa = contest.against_all_index
    marks = [0] * n
    if aa is not None and rnd.random() < 0.06:
        marks[aa] = 1
        return marks
    candidates = [i for i in range(n) if i != aa]
    weights = [1.0 / (1 + 0.35 * k) for k in range(len(candidates))]
    k = (
        contest.max_marks
        if contest.min_marks == contest.max_marks
        else rnd.randint(max(contest.min_marks, 0), contest.max_marks)
    )
    chosen: set[int] = set()
    while len(chosen) < k:
        chosen.add(rnd.choices(candidates, weights)[0])
    for i in chosen:
        marks[i] = 1
    return marks


#: the worker process's election (set by init_worker)
_P: dict[str, Any] = {}


def init_worker(
    manifest_raw: dict[str, Any],
    joint_key: bytes,
    election_id: str,
    seed: str,
    cred_map: dict[bytes, str],
) -> None:
    _P["ctx"] = ElectionContext.make(manifest_from_json(manifest_raw), Element(joint_key))
    _P["election_id"] = election_id
    _P["seed"] = seed
    _P["creds"] = cred_map


def vote(task: tuple[int, int, str, str]) -> tuple[bytes, str]:
    """One voter's device encrypts; the server verifies. Returns the ballot's canonical JSON
    and its tracking code."""
    voter, attempt, district, code = task
    ctx: ElectionContext = _P["ctx"]
    rnd = random.Random(f"{_P['seed']}/choice/{voter}/{attempt}")
    selections = {c.id: choose_marks(c, rnd) for c in ctx.manifest.contests_for(district)}
    cred = derive(_P["election_id"], code)
    rng = DeterministicRng(f"{_P['seed']}/ballot/{voter}/{attempt}")
    ballot = encrypt_ballot(ctx, district, selections, cred, rng)
    blob = canonical_json(ballot.raw)
    # The server's check at cast time: the same verify_ballot the verifier runs.
    verify_ballot(ctx, ballot_from_json(json.loads(blob)), _P["creds"])
    return blob, tracking_code_of(blob)


def _sum_chunk(blobs: list[bytes]) -> tuple[Any, dict[str, int]]:
    agg = Aggregator(_P["ctx"].manifest)
    for blob in blobs:
        agg.add(ballot_from_json(json.loads(blob)))
    return agg.sums, agg.counts


def parallel_aggregate(
    manifest_raw: dict[str, Any],
    ctx: ElectionContext,
    blobs: list[bytes],
    workers: int,
    progress: Progress | None = None,
    chunk: int = 500,
) -> Aggregator:
    """Homomorphic sums of already-verified ballots, split over `workers` processes."""
    progress = progress or (lambda stage, done, total: None)
    agg = Aggregator(ctx.manifest)
    chunks = [blobs[i : i + chunk] for i in range(0, len(blobs), chunk)]
    no_credentials: dict[bytes, str] = {}
    init_args = (manifest_raw, bytes(ctx.joint_public_key), "", "", no_credentials)
    done = 0
    if workers <= 1:
        init_worker(*init_args)
        parts = map(_sum_chunk, chunks)
        for (sums, counts), c in zip(parts, chunks, strict=True):
            agg.merge(sums, counts)
            done += len(c)
            progress("tally", done, len(blobs))
        return agg
    with ProcessPoolExecutor(workers, initializer=init_worker, initargs=init_args) as pool:
        for (sums, counts), c in zip(pool.map(_sum_chunk, chunks), chunks, strict=True):
            agg.merge(sums, counts)
            done += len(c)
            progress("tally", done, len(blobs))
    return agg
