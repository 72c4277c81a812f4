"""Run a whole synthetic election and write its public record.

Every role is played here: the organiser (manifest, roll counts), the trustees (DKG and
decryption), the credential authority, the voters (encrypting on their "devices", in a process
pool) and the server (verifying each ballot, appending it to the board, signing tree heads and
handing out receipts). Randomness comes from one seed, so a run is reproducible.
"""

from __future__ import annotations

import random
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from saylau.crypto import dkg, dkg_json
from saylau.crypto.rand import DeterministicRng
from saylau.protocol import board, events
from saylau.protocol.ballot import (
    ElectionContext,
)
from saylau.protocol.canonical import canonical_json
from saylau.protocol.credentials import CredentialList, SecretCredential, issue
from saylau.protocol.documents import (
    PROTOCOLS,
    SANCTIONS,
    credentials_document,
    election_document,
    roll_document,
)
from saylau.protocol.keyceremony import dkg_context
from saylau.protocol.manifest import Manifest, manifest_from_json
from saylau.protocol.receipt import Receipt, receipt_to_json
from saylau.protocol.tally import decrypt_tally, results_from_tally
from saylau.record.disk import RecordWriter
from saylau.simulate.manifest_gen import make_manifest
from saylau.simulate.paper import PaperStations, paper_files
from saylau.simulate.sanctions import SanctionPlan
from saylau.simulate.workers import Progress, choose_marks, init_worker, parallel_aggregate, vote


@dataclass
class SimConfig:
    voters: int = 1000
    districts: int = 3
    trustees: int = 3
    threshold: int = 2
    revote_rate: float = 0.05
    paper_rate: float = 0.01
    absent_trustees: int = 1
    out: Path = Path("record")
    seed: str = "saylau-simulation"
    workers: int = 2
    head_every: int = 256
    receipts: int = 1000
    election_id: str = "primaries-sim"
    #: paper polling stations (0: no one votes on paper, the board has no paper override and
    #: the record no paper files unless there are sanctions); paper voters of a district
    #: without a station vote online
    paper_stations: int = 0
    #: dealers who send one trustee a wrong share: it complains, the share is disclosed, and
    #: the dealer is left out of QUAL (docs/protocol.md §6.5)
    faulty_trustees: frozenset[int] = frozenset()
    #: qualified trustees who send nothing in phase 2: the others disclose their shares and
    #: the key is reconstructed (§6.7)
    silent_trustees: frozenset[int] = frozenset()
    #: sanctions of the party control committee (simulate/sanctions.py): the record gets
    #: sanctions.json and a consolidation with them applied, paper stations or not
    sanctions: SanctionPlan = field(default_factory=SanctionPlan)


@dataclass
class SimResult:
    results: dict[str, Any]
    timings: dict[str, float] = field(default_factory=dict)
    stats: dict[str, int] = field(default_factory=dict)
    #: the CA's secret codes per voter (never in the record; tests use them to forge ballots)
    secret_codes: list[str] = field(default_factory=list)
    #: the board's signing-key seed (never in the record; tests re-sign a tampered log)
    board_seed: bytes = b""


@dataclass
class _Setup:
    """What the organiser, the trustees and the CA produce before voting."""

    manifest_raw: dict[str, Any]
    manifest: Manifest
    roll: dict[str, int]
    voter_district: list[str]
    transcript: dkg.Transcript
    shares: dict[int, int]
    ctx: ElectionContext
    public: CredentialList
    voter_code: list[SecretCredential]
    cred_map: dict[bytes, str]


@dataclass
class _Board:
    seed: bytes
    key: board.BoardKey
    leaves: list[bytes]
    heads: list[board.TreeHead]
    receipts: list[Receipt]
    latest: dict[int, str]


T_OPEN = 1_600_000_000_000
T_CLOSE = T_OPEN + 3 * 86_400_000

Task = tuple[int, tuple[int, int, str, str]]  # (time, (voter, attempt, district, code))


def _setup(
    cfg: SimConfig, rnd: random.Random, rng: DeterministicRng, timings: dict[str, float]
) -> _Setup:
    t0 = time.perf_counter()
    manifest_raw = make_manifest(cfg.election_id, cfg.districts)
    manifest = manifest_from_json(manifest_raw)
    district_ids = [d.id for d in manifest.districts]
    roll = {d: 0 for d in district_ids}
    voter_district = [district_ids[rnd.randrange(len(district_ids))] for _ in range(cfg.voters)]
    for d in voter_district:
        roll[d] += 1
    timings["manifest + roll"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    context = dkg_context(cfg.election_id, cfg.trustees, cfg.threshold)
    transcript, shares = dkg.run_ceremony(
        cfg.trustees,
        cfg.threshold,
        context,
        rng,
        bad_dealers=cfg.faulty_trustees,
        silent_in_phase2=cfg.silent_trustees,
    )
    dkg_result = dkg.verify_transcript(transcript, context)
    ctx = ElectionContext.make(manifest, dkg_result.joint_public_key)
    timings["key ceremony"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    secrets, public = issue(cfg.election_id, roll, rng)
    cursor = {d: 0 for d in district_ids}
    voter_code = []
    for d in voter_district:
        voter_code.append(secrets[d][cursor[d]])
        cursor[d] += 1
    cred_map = {bytes(c): d for c, d in public.district_of().items()}
    timings["credentials"] = time.perf_counter() - t0
    return _Setup(
        manifest_raw,
        manifest,
        roll,
        voter_district,
        transcript,
        shares,
        ctx,
        public,
        voter_code,
        cred_map,
    )


def _plan(
    cfg: SimConfig, s: _Setup, rnd: random.Random, stations: PaperStations | None
) -> tuple[list[Task], list[tuple[int, int]]]:
    """Who votes online, who re-votes, whose vote is overridden by paper; and when."""
    tasks: list[Task] = []
    paper: list[tuple[int, int]] = []
    for v in range(cfg.voters):
        online_at = rnd.randrange(T_OPEN + 1, T_CLOSE - 10)
        votes_on_paper = rnd.random() < cfg.paper_rate  # drawn always: the same seed, same votes
        if votes_on_paper:  # no station in the district (or none at all): they vote online
            votes_on_paper = (
                stations is not None and stations.station_for(v, s.voter_district[v]) is not None
            )
        if not votes_on_paper or rnd.random() < 0.3:  # some paper voters had also voted online
            tasks.append((online_at, (v, 0, s.voter_district[v], s.voter_code[v].code)))
            if rnd.random() < cfg.revote_rate:
                again = rnd.randrange(online_at, T_CLOSE - 5)
                tasks.append((again, (v, 1, s.voter_district[v], s.voter_code[v].code)))
        if votes_on_paper:
            paper.append((T_CLOSE - 4, v))
    tasks.sort(key=lambda x: (x[0], x[1][0], x[1][1]))
    return tasks, paper


def _cast(
    cfg: SimConfig, s: _Setup, tasks: list[Task], progress: Progress
) -> list[tuple[bytes, str]]:
    raws: list[tuple[bytes, str]] = []
    init_args = (
        s.manifest_raw,
        bytes(s.ctx.joint_public_key),
        cfg.election_id,
        cfg.seed,
        s.cred_map,
    )
    progress("voting", 0, len(tasks))
    if cfg.workers <= 1:
        init_worker(*init_args)
        for k, (_, task) in enumerate(tasks):
            raws.append(vote(task))
            progress("voting", k + 1, len(tasks))
        return raws
    with ProcessPoolExecutor(cfg.workers, initializer=init_worker, initargs=init_args) as pool:
        for k, raw in enumerate(pool.map(vote, [t for _, t in tasks], chunksize=32)):
            raws.append(raw)
            progress("voting", k + 1, len(tasks))
    return raws


def _board(
    cfg: SimConfig,
    s: _Setup,
    tasks: list[Task],
    raws: list[tuple[bytes, str]],
    paper: list[tuple[int, int]],
    rnd: random.Random,
    rng: DeterministicRng,
    stations: PaperStations | None,
) -> _Board:
    """The server's log: open, the ballots and paper overrides in time order, close; signed
    heads every `head_every` leaves and at the close; a sample of receipts."""
    fp = s.ctx.fingerprint
    seed = rng.bytes(32)
    out = _Board(seed, board.BoardKey.from_seed(seed), [], [], [], {})
    log = board.MerkleLog()
    ballot_leaf: dict[str, int] = {}

    def append(leaf: bytes, at: int) -> None:
        out.leaves.append(leaf)
        log.append(leaf)
        if log.size % cfg.head_every == 0:
            out.heads.append(board.sign_tree_head(out.key, fp, log.size, at, log.root()))

    def paper_vote(at: int, voter: int) -> None:
        credential = s.voter_code[voter].public.hex()
        assert stations is not None  # _plan sends no one to paper without a station
        precinct = stations.mark(voter, s.voter_district[voter])
        ev = events.paper_override_event(credential, precinct, at)
        append(events.leaf_bytes(ev), at)

    append(events.leaf_bytes(events.open_event(fp, T_OPEN)), T_OPEN)
    pending = sorted(paper)
    p = 0
    for (at, (voter, _attempt, _d, _c)), (blob, code) in zip(tasks, raws, strict=True):
        while p < len(pending) and pending[p][0] <= at:
            paper_vote(*pending[p])
            p += 1
        append(events.ballot_leaf_bytes(blob, at, out.latest.get(voter)), at)
        out.latest[voter] = code
        ballot_leaf[code] = log.size - 1
    for at, voter in pending[p:]:
        paper_vote(at, voter)
    append(events.leaf_bytes(events.close_event(T_CLOSE)), T_CLOSE)
    if not out.heads or out.heads[-1].tree_size != log.size:
        out.heads.append(board.sign_tree_head(out.key, fp, log.size, T_CLOSE, log.root()))
    sample = sorted(rnd.sample(sorted(ballot_leaf), min(cfg.receipts, len(ballot_leaf))))
    for code in sample:
        index = ballot_leaf[code]
        head = next(h for h in out.heads if h.tree_size > index)
        path = tuple(log.inclusion_proof(index, head.tree_size))
        out.receipts.append(Receipt(code, head, board.InclusionProof(index, head.tree_size, path)))
    return out


def _write(
    cfg: SimConfig,
    s: _Setup,
    b: _Board,
    tally: dict[str, Any],
    results: dict[str, Any],
    paper: dict[str, Any],
) -> None:
    w = RecordWriter(cfg.out)
    if paper:
        (cfg.out / "paper").mkdir(exist_ok=True)
    for name, doc in paper.items():
        if name.endswith(".jsonl"):
            w.write_lines(name, doc)
        else:
            w.write_json(name, doc)
    w.write_json("manifest.json", s.manifest_raw)
    election = election_document(
        s.ctx.joint_public_key.hex(),
        s.ctx.fingerprint.hex(),
        b.key.public.hex(),
        cfg.trustees,
        cfg.threshold,
    )
    w.write_json("election.json", election)
    w.write_json("dkg.json", dkg_json.transcript_to_json(s.transcript))
    w.write_json("roll.json", roll_document(s.roll))
    districts = {d: [c.hex() for c in cs] for d, cs in s.public.districts.items()}
    w.write_json("credentials.json", credentials_document(districts))
    w.write_lines("board/leaves.jsonl", b.leaves)
    w.write_lines(
        "board/heads.jsonl", [canonical_json(board.tree_head_to_json(h)) for h in b.heads]
    )
    w.write_lines("receipts.jsonl", [canonical_json(receipt_to_json(r)) for r in b.receipts])
    w.write_json("tally.json", tally)
    w.write_json("results.json", results)
    w.finish(cfg.election_id, s.ctx.fingerprint)


def run(cfg: SimConfig, progress: Progress | None = None) -> SimResult:
    """Play the whole election from one seed and write its record to `cfg.out`."""
    progress = progress or (lambda stage, done, total: None)
    timings: dict[str, float] = {}
    rnd = random.Random(cfg.seed)
    rng = DeterministicRng(cfg.seed)
    s = _setup(cfg, rnd, rng, timings)
    stations = None
    if cfg.paper_stations > 0 or cfg.sanctions.any:  # no station: no paper voter either
        stations = PaperStations.spread([d.id for d in s.manifest.districts], cfg.paper_stations)
    tasks, paper = _plan(cfg, s, rnd, stations)

    t0 = time.perf_counter()
    raws = _cast(cfg, s, tasks, progress)
    timings["voting (encrypt + server verify)"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    b = _board(cfg, s, tasks, raws, paper, rnd, rng, stations)
    timings["board (log, heads, receipts)"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    overridden = {s.voter_code[v].public.hex() for _, v in paper}
    counted = [
        raws[k][0]
        for k, (_, (v, _a, _d, _c)) in enumerate(tasks)
        if b.latest.get(v) == raws[k][1] and s.voter_code[v].public.hex() not in overridden
    ]
    agg = parallel_aggregate(s.manifest_raw, s.ctx, counted, cfg.workers, progress)
    timings["tally (homomorphic sums)"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    absent = set(range(cfg.trustees - cfg.absent_trustees + 1, cfg.trustees + 1))
    present = {j: x for j, x in s.shares.items() if j not in absent}
    tally = decrypt_tally(s.ctx.fingerprint, s.manifest, agg, present, cfg.threshold, rng)
    results = results_from_tally(tally)
    timings["decryption (trustees)"] = time.perf_counter() - t0

    files: dict[str, Any] = {}
    if stations is not None:
        t0 = time.perf_counter()
        files = paper_files(
            s.manifest, stations, results["districts"], cfg.seed, choose_marks, cfg.sanctions
        )
        timings["paper protocols + consolidation"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    _write(cfg, s, b, tally, results, files)
    timings["record written"] = time.perf_counter() - t0
    stats = {
        "leaves": len(b.leaves),
        "ballots": len(raws),
        "counted": len(counted),
        "paper_overrides": len(paper),
        "heads": len(b.heads),
        "receipts": len(b.receipts),
    }
    if stations is not None:
        stats["paper_stations"] = len(stations.stations)
        stats["paper_protocols"] = len(files[PROTOCOLS])
    if SANCTIONS in files:
        stats["sanctions"] = len(files[SANCTIONS]["sanctions"])
    return SimResult(results, timings, stats, [c.code for c in s.voter_code], b.seed)
