"""`saylau bench …`: speed against a floor measured in the same run.

The floor of an operation is the libsodium work it cannot avoid: the number of variable-base
scalar multiplications, fixed-base multiplications and point additions/subtractions it
performs (counted by instrumenting saylau.crypto.group while it runs once), each multiplied by
that primitive's time measured here, now. The ratio measured / floor is what to watch: it
is insensitive to how loaded this shared machine is.
"""

from __future__ import annotations

import os
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import pysodium
import typer
from rich.console import Console
from rich.table import Table

from saylau.cli.bench_load import load
from saylau.cli.language import Lang
from saylau.crypto import group
from saylau.crypto.rand import DeterministicRng
from saylau.i18n import _, activate

app = typer.Typer(
    help="Benchmarks (ratios against a floor measured in the same run).", no_args_is_help=True
)
app.command("load")(load)


def _time_per_call(fn: Callable[[], object], n: int) -> float:
    best = float("inf")
    for _batch in range(5):
        t = time.perf_counter()
        for _call in range(n):
            fn()
        best = min(best, (time.perf_counter() - t) / n)
    return best


def measure_primitives(n: int = 400) -> dict[str, float]:
    """Seconds per raw libsodium call (best of 5 batches)."""
    s = DeterministicRng("bench").scalar().to_bytes(32, "little")
    p = pysodium.crypto_scalarmult_ristretto255_base(s)
    return {
        "mul": _time_per_call(lambda: pysodium.crypto_scalarmult_ristretto255(s, p), n),
        "base": _time_per_call(lambda: pysodium.crypto_scalarmult_ristretto255_base(s), n),
        "add": _time_per_call(lambda: pysodium.crypto_core_ristretto255_add(p, p), n),
    }


@contextmanager
def count_ops() -> Iterator[dict[str, int]]:
    counts = {"mul": 0, "base": 0, "add": 0}
    saved = (group._scalarmult, group._scalarmult_base, group._add, group._sub)

    def wrap(fn: Callable[..., Any], key: str) -> Callable[..., Any]:
        def inner(*a: Any) -> Any:
            counts[key] += 1
            return fn(*a)

        return inner

    group._scalarmult = wrap(saved[0], "mul")
    group._scalarmult_base = wrap(saved[1], "base")
    group._add = wrap(saved[2], "add")
    group._sub = wrap(saved[3], "add")
    try:
        yield counts
    finally:
        group._scalarmult, group._scalarmult_base, group._add, group._sub = saved


def floor_seconds(counts: dict[str, int], prim: dict[str, float]) -> float:
    return sum(counts[k] * prim[k] for k in counts)


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


@app.command("crypto")
def crypto(
    ballots: Annotated[int, typer.Option(help="Ballots in the tally benchmark")] = 20000,
    record_voters: Annotated[int, typer.Option(help="Voters in the verify benchmark")] = 2000,
    repeat: Annotated[int, typer.Option(help="Ballots timed for encrypt/verify")] = 30,
    lang: Lang = None,
) -> None:
    """Encrypt/verify one 12-option ballot, tally+decrypt N ballots, and verify throughput."""
    from saylau.protocol.ballot import ballot_from_json, encrypt_ballot, verify_ballot

    activate(lang)
    console = Console()
    cores = os.cpu_count() or 1
    prim = measure_primitives()
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
    ctx, cred, rng = _ballot_setup()
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
    table = Table(title="saylau bench crypto")
    for col in (_("operation"), _("measured"), _("floor"), _("ratio")):
        table.add_column(col, justify="right")
    table.columns[0].justify = "left"
    enc_floor, ver_floor = floor_seconds(enc_ops, prim), floor_seconds(ver_ops, prim)
    _row(
        table,
        _("encrypt a 12-option ballot (%(ops)s)") % {"ops": enc_ops},
        statistics.median(enc_times),
        enc_floor,
    )
    _row(
        table,
        _("verify a 12-option ballot (%(ops)s)") % {"ops": ver_ops},
        statistics.median(ver_times),
        ver_floor,
    )
    tally_row = _bench_tally(ctx, cred, rng, ballots, cores, prim)
    _row(table, *tally_row, unit="s")
    for row in _bench_verify(record_voters, cores, prim):
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
    from saylau.simulate.run import parallel_aggregate

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


def _bench_verify(voters: int, cores: int, prim: dict[str, float]) -> list[tuple[str, ...]]:
    from saylau.protocol.verify import verify_record
    from saylau.simulate.run import SimConfig, run

    tmp = Path(tempfile.mkdtemp(prefix="saylau-bench-"))
    try:
        run(SimConfig(voters=voters, out=tmp / "rec", workers=cores, receipts=100))
        rows: list[tuple[str, ...]] = []
        rates = {}
        for w in sorted({1, cores}):
            t = time.perf_counter()
            report = verify_record(tmp / "rec", workers=w)
            elapsed = time.perf_counter() - t
            if not report.ok:
                problems = "; ".join(str(f) for f in report.failures[:3])
                Console(stderr=True).print(
                    _("error: the benchmark record did not verify: %(problems)s")
                    % {"problems": problems},
                    markup=False,
                    style="red",
                )
                raise typer.Exit(1)
            rates[w] = report.stats["ballots"] / elapsed
            rows.append(
                (
                    _("verify a record of %(ballots)s ballots (processes: %(workers)s)")
                    % {"ballots": report.stats["ballots"], "workers": w},
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
