"""`saylau bench crypto`: encrypt and verify one 12-option ballot, tally and decrypt N
ballots, and the verifier's throughput, each against its floor measured in the same run."""

from __future__ import annotations

import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from saylau.bench.floor import count_ops, floor_seconds, measure_primitives
from saylau.crypto import group
from saylau.crypto.rand import DeterministicRng
from saylau.i18n import _


class RecordDidNotVerify(Exception):
    """The verify benchmark's own record failed `verify_record` (a bug, not a slow run)."""

    def __init__(self, problems: str) -> None:
        super().__init__(problems)
        self.problems = problems


def _bench_manifest() -> dict[str, Any]:
    from saylau.simulate.manifest_gen import make_manifest

    m = make_manifest("bench", 1)
    style = m["ballot_styles"][0]
    style["contests"] = style["contests"][:1]  # the 12-option vote-for-1 contest only
    m["contests"] = m["contests"][:1]
    return m


def _ballot_setup() -> tuple[Any, Any, Any]:
    from saylau.protocol.ballot import ElectionContext
    from saylau.protocol.credentials import generate
    from saylau.protocol.manifest import manifest_from_json

    rng = DeterministicRng("bench-ballot")
    manifest = manifest_from_json(_bench_manifest())
    ctx = ElectionContext.make(manifest, group.base_mul(rng.scalar()))
    return ctx, generate("bench", rng), rng


def _row(t: Table, name: str, measured: float, floor: float, unit: str = "ms") -> None:
    scale = 1e3 if unit == "ms" else 1.0
    t.add_row(
        name,
        f"{measured * scale:.2f} {unit}",
        f"{floor * scale:.2f} {unit}",
        f"{measured / floor:.2f}×",
    )


def _print_primitives(console: Console, prim: dict[str, float], cores: int) -> None:
    console.print(
        _(
            "libsodium here, now: mul %(mul)s µs, base mul %(base)s µs, add %(add)s µs; "
            "cores: %(cores)s"
        )
        % {
            "mul": f"{prim['mul'] * 1e6:.1f}",
            "base": f"{prim['base'] * 1e6:.1f}",
            "add": f"{prim['add'] * 1e6:.1f}",
            "cores": cores,
        },
        markup=False,
    )


def _ballot_rows(table: Table, ctx: Any, cred: Any, rng: Any, repeat: int, prim: Any) -> None:
    """Encrypt and verify: the median of `repeat` ballots against the counted floor."""
    from saylau.protocol.ballot import ballot_from_json, encrypt_ballot, verify_ballot

    contest = ctx.manifest.contests[0]
    sel = {contest.id: [1] + [0] * (len(contest.options) - 1)}
    district = ctx.manifest.districts[0].id
    with count_ops() as enc_ops:
        sample = encrypt_ballot(ctx, district, sel, cred, rng)
    with count_ops() as ver_ops:
        verify_ballot(ctx, ballot_from_json(sample.raw), {cred.public: district})
    enc_times, ver_times = [], []
    for _round in range(repeat):
        t = time.perf_counter()
        b = encrypt_ballot(ctx, district, sel, cred, rng)
        enc_times.append(time.perf_counter() - t)
        t = time.perf_counter()
        verify_ballot(ctx, ballot_from_json(b.raw), {cred.public: district})
        ver_times.append(time.perf_counter() - t)
    _row(
        table,
        _("encrypt a 12-option ballot (%(ops)s)") % {"ops": enc_ops},
        statistics.median(enc_times),
        floor_seconds(enc_ops, prim),
    )
    _row(
        table,
        _("verify a 12-option ballot (%(ops)s)") % {"ops": ver_ops},
        statistics.median(ver_times),
        floor_seconds(ver_ops, prim),
    )


def run(console: Console, ballots: int, record_voters: int, repeat: int) -> None:
    """Print the primitives' times and the table of operations against their floors."""
    cores = os.cpu_count() or 1
    prim = measure_primitives()
    _print_primitives(console, prim, cores)
    ctx, cred, rng = _ballot_setup()
    table = Table(title="saylau bench crypto")
    for col in (_("operation"), _("measured"), _("floor"), _("ratio")):
        table.add_column(col, justify="right")
    table.columns[0].justify = "left"
    _ballot_rows(table, ctx, cred, rng, repeat, prim)
    _row(table, *_bench_tally(ctx, cred, rng, ballots, cores, prim), unit="s")
    for row in _bench_verify(record_voters, cores):
        table.add_row(*row)
    console.print(table)


def _bench_tally(
    ctx: Any, cred: Any, rng: Any, n: int, cores: int, prim: dict[str, float]
) -> tuple[str, float, float]:
    """Homomorphic sums of n ballots (cycled from a pool of real ones) and t-of-n decryption."""
    from saylau.crypto import dkg
    from saylau.protocol.ballot import ElectionContext, encrypt_ballot
    from saylau.protocol.canonical import canonical_json
    from saylau.protocol.keyceremony import dkg_context
    from saylau.protocol.tally import decrypt_tally
    from saylau.simulate.workers import parallel_aggregate

    transcript, shares = dkg.run_ceremony(3, 2, dkg_context("bench", 3, 2), rng)
    key = dkg.verify_transcript(transcript, dkg_context("bench", 3, 2)).joint_public_key
    ctx = ElectionContext.make(ctx.manifest, key)
    contest = ctx.manifest.contests[0]
    district = ctx.manifest.districts[0].id
    pool = []
    for k in range(min(n, 100)):
        sel = [0] * len(contest.options)
        sel[k % len(sel)] = 1
        pool.append(canonical_json(encrypt_ballot(ctx, district, {contest.id: sel}, cred, rng).raw))
    raws = [pool[k % len(pool)] for k in range(n)]
    t = time.perf_counter()
    agg = parallel_aggregate(ctx.manifest.raw, ctx, raws, cores)
    with count_ops() as dec_ops:
        decrypt_tally(ctx.fingerprint, ctx.manifest, agg, {1: shares[1], 2: shares[2]}, 2, rng)
    elapsed = time.perf_counter() - t
    adds = n * len(contest.options) * 2
    floor = adds * prim["add"] / cores + floor_seconds(dec_ops, prim)
    label = _("tally and decrypt %(ballots)s ballots (processes: %(workers)s)")
    return label % {"ballots": n, "workers": cores}, elapsed, floor


def _verify_rate(record: Path, workers: int) -> tuple[int, float]:
    """(ballots, ballots per second) of `verify_record` with `workers` processes."""
    from saylau.record.verify import verify_record

    t = time.perf_counter()
    report = verify_record(record, workers=workers)
    elapsed = time.perf_counter() - t
    if not report.ok:
        raise RecordDidNotVerify("; ".join(str(f) for f in report.failures[:3]))
    return report.stats["ballots"], report.stats["ballots"] / elapsed


def _bench_verify(voters: int, cores: int) -> list[tuple[str, ...]]:
    """The verifier's ballots per second with 1 and with every core, and the speed-up."""
    from saylau.simulate.run import SimConfig
    from saylau.simulate.run import run as simulate

    tmp = Path(tempfile.mkdtemp(prefix="saylau-bench-"))
    try:
        simulate(SimConfig(voters=voters, out=tmp / "rec", workers=cores, receipts=100))
        rows: list[tuple[str, ...]] = []
        rates = {}
        for w in sorted({1, cores}):
            ballots, rates[w] = _verify_rate(tmp / "rec", w)
            rows.append(
                (
                    _("verify a record of %(ballots)s ballots (processes: %(workers)s)")
                    % {"ballots": ballots, "workers": w},
                    _("%(rate)s ballots/s") % {"rate": f"{rates[w]:.0f}"},
                    "",
                    "",
                )
            )
        if cores > 1:
            rows.append(
                (
                    _("speed-up from 1 to %(workers)s processes") % {"workers": cores},
                    f"{rates[cores] / rates[1]:.2f}×",
                    f"{cores:.2f}×",
                    f"{rates[cores] / rates[1] / cores:.2f}",
                )
            )
        return rows
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
