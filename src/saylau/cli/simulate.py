"""`saylau simulate`: a whole election in one process, then its record."""

from __future__ import annotations

import os
import shutil
import sys
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from saylau.cli.language import Lang
from saylau.cli.progress import StageProgress
from saylau.i18n import _, activate, gettext_noop
from saylau.protocol.sanctions import VOTE_RULES
from saylau.simulate.run import SimConfig, SimResult, run
from saylau.simulate.sanctions import PlanDoesNotFit, SanctionPlan

# The phases and statistics saylau.simulate.run reports, for the catalogue.
PHASES = (
    gettext_noop("manifest + roll"),
    gettext_noop("key ceremony"),
    gettext_noop("credentials"),
    gettext_noop("voting (encrypt + server verify)"),
    gettext_noop("board (log, heads, receipts)"),
    gettext_noop("tally (homomorphic sums)"),
    gettext_noop("decryption (trustees)"),
    gettext_noop("paper protocols + consolidation"),
    gettext_noop("record written"),
)
STATS = {
    "leaves": gettext_noop("leaves on the board"),
    "ballots": gettext_noop("ballots on the board"),
    "counted": gettext_noop("ballots that count"),
    "paper_overrides": gettext_noop("paper overrides"),
    "heads": gettext_noop("signed tree heads"),
    "receipts": gettext_noop("receipts"),
    "paper_stations": gettext_noop("paper polling stations"),
    "paper_protocols": gettext_noop("paper protocol lines"),
    "sanctions": gettext_noop("sanctions in the record"),
}


def plan_message(error: PlanDoesNotFit) -> str:
    """What the sanctions asked for that the simulated election does not have."""
    params = {"wanted": error.wanted, "available": error.available}
    if error.what == "stations":
        return (
            _("--annul-stations %(wanted)s: the election has %(available)s paper stations") % params
        )
    if error.what == "districts":
        return (
            _("--annul-districts %(wanted)s: at most %(available)s, one district must stay")
            % params
        )
    return (
        _("--deregister %(wanted)s: only %(available)s contests have a winner to deregister")
        % params
    )


def ceremony_problem(
    trustees: int, threshold: int, faulty: frozenset[int], silent: frozenset[int]
) -> str | None:
    """Why the faulty and silent trustees asked for leave no sound ceremony (None if they do)."""
    outside = sorted(j for j in faulty | silent if not 1 <= j <= trustees)
    if outside:
        return _("trustees are numbered 1 to %(n)s, not %(ids)s") % {
            "n": trustees,
            "ids": ", ".join(map(str, outside)),
        }
    if trustees - len(faulty) < threshold or trustees - len(silent - faulty) < threshold:
        return _(
            "with these faulty and silent trustees fewer than the threshold %(threshold)s "
            "remain to make the key"
        ) % {"threshold": threshold}
    return None


def _trustees_problem(trustees: int, threshold: int, absent_trustees: int) -> str | None:
    """Why these numbers of trustees, threshold and absent trustees cannot count (or None)."""
    if threshold > trustees:
        return _("--threshold cannot exceed --trustees")
    if trustees - absent_trustees < threshold:
        return _(
            "with %(absent)s absent trustees only %(left)s remain, "
            "fewer than the threshold %(threshold)s"
        ) % {
            "absent": absent_trustees,
            "left": trustees - absent_trustees,
            "threshold": threshold,
        }
    return None


def _print_result(console: Console, result: SimResult, total: float) -> None:
    """The phases' times, each district's counts and the record's statistics."""
    table = Table(title=_("Phases"))
    table.add_column(_("phase"))
    table.add_column(_("seconds"), justify="right")
    for phase, seconds in result.timings.items():
        table.add_row(escape(_(phase)), f"{seconds:.2f}")
    table.add_row(f"[bold]{escape(_('total'))}", f"[bold]{total:.2f}")
    console.print(table)
    for d, dres in result.results["districts"].items():
        t = Table(
            title=escape(
                _("%(district)s: ballots counted: %(count)s")
                % {"district": d, "count": dres["ballots_counted"]}
            )
        )
        t.add_column(_("contest"))
        t.add_column(_("option"))
        t.add_column(_("votes"), justify="right")
        for cid, opts in dres["contests"].items():
            for oid, n in opts.items():
                t.add_row(cid, oid, str(n))
        console.print(t)
    stats = Table(title=_("Record"), show_header=False)
    for k, v in result.stats.items():
        stats.add_row(escape(_(STATS[k]) if k in STATS else k.replace("_", " ")), str(v))
    console.print(stats)


def simulate(
    voters: Annotated[int, typer.Option(min=1, help="Number of voters on the roll")] = 1000,
    districts: Annotated[int, typer.Option(min=1, max=20, help="Districts (≥ 3 typical)")] = 3,
    trustees: Annotated[int, typer.Option(min=1, max=20)] = 3,
    threshold: Annotated[int, typer.Option(min=1)] = 2,
    revote_rate: Annotated[float, typer.Option(min=0.0, max=1.0)] = 0.05,
    paper_rate: Annotated[float, typer.Option(min=0.0, max=1.0)] = 0.01,
    absent_trustees: Annotated[int, typer.Option(min=0)] = 1,
    out: Annotated[Path, typer.Option(help="Record directory to write")] = Path("record"),
    seed: Annotated[str, typer.Option(help="Seed for reproducible runs")] = "saylau-simulation",
    workers: Annotated[int, typer.Option(help="Processes (default: all cores)")] = 0,
    zip_record: Annotated[bool, typer.Option("--zip/--no-zip", help="Also write OUT.zip")] = True,
    faulty_trustee: Annotated[
        list[int] | None,
        typer.Option(
            help="Trustee who sends a wrong share in the key ceremony: it gets a complaint, the"
            " share is disclosed and the trustee is left out of the joint key (repeatable)"
        ),
    ] = None,
    silent_trustee: Annotated[
        list[int] | None,
        typer.Option(
            help="Trustee who falls silent after the deals: the others disclose its shares and"
            " its part of the key is reconstructed (repeatable)"
        ),
    ] = None,
    paper_stations: Annotated[
        int,
        typer.Option(
            min=0,
            help="Paper polling stations: the paper voters vote there; the record gets their"
            " protocols, one recount and the consolidated results",
        ),
    ] = 0,
    annul_stations: Annotated[
        int,
        typer.Option(min=0, help="Sanctions: annul this many paper stations (the first by code)"),
    ] = 0,
    deregister: Annotated[
        int,
        typer.Option(
            min=0, help="Sanctions: deregister the winner of this many contests (the first ones)"
        ),
    ] = 0,
    annul_districts: Annotated[
        int,
        typer.Option(min=0, help="Sanctions: annul this many districts (the last ones): re-vote"),
    ] = 0,
    deregistered_votes: Annotated[
        str,
        typer.Option(help="What becomes of a deregistered candidate's votes: set_aside or invalid"),
    ] = "set_aside",
    lang: Lang = None,
) -> None:
    """Simulate an election end to end and write its public record (with --annul-stations,
    --deregister or --annul-districts, a warning and those sanctions too)."""
    activate(lang)
    console = Console()

    def error(message: str) -> typer.Exit:
        console.print(f"[red]{escape(_('error'))}[/]: {escape(message)}")
        return typer.Exit(2)

    problem = _trustees_problem(trustees, threshold, absent_trustees)
    if problem:
        raise error(problem)
    faulty, silent = frozenset(faulty_trustee or ()), frozenset(silent_trustee or ())
    problem = ceremony_problem(trustees, threshold, faulty, silent)
    if problem:
        raise error(problem)
    if annul_stations > paper_stations:
        raise error(plan_message(PlanDoesNotFit("stations", annul_stations, paper_stations)))
    if annul_districts and annul_districts >= districts:
        raise error(plan_message(PlanDoesNotFit("districts", annul_districts, districts - 1)))
    if deregistered_votes not in VOTE_RULES:
        raise error(
            _("--deregistered-votes must be one of %(rules)s") % {"rules": ", ".join(VOTE_RULES)}
        )
    if out.exists():
        if not (out / "record.json").exists() and any(out.iterdir()):
            raise error(
                _("%(path)s exists and is not a saylau record; refusing to overwrite it")
                % {"path": out}
            )
        shutil.rmtree(out)
    cfg = SimConfig(
        voters=voters,
        districts=districts,
        trustees=trustees,
        threshold=threshold,
        revote_rate=revote_rate,
        paper_rate=paper_rate,
        absent_trustees=absent_trustees,
        out=out,
        seed=seed,
        workers=workers or os.cpu_count() or 1,
        faulty_trustees=faulty,
        silent_trustees=silent,
        paper_stations=paper_stations,
        sanctions=SanctionPlan(annul_stations, deregister, annul_districts, deregistered_votes),
    )
    start = time.perf_counter()
    try:
        with StageProgress(console, enabled=sys.stdout.isatty()) as bar:
            result = run(cfg, bar)
    except PlanDoesNotFit as e:
        shutil.rmtree(out, ignore_errors=True)
        raise error(plan_message(e)) from None
    if zip_record:
        from saylau.record.disk import zip_record as make_zip

        make_zip(out, out.with_suffix(".zip"))
    total = time.perf_counter() - start
    _print_result(console, result, total)
    if zip_record:
        written = _("Record written to %(path)s and %(zip)s.") % {
            "path": out,
            "zip": out.with_suffix(".zip"),
        }
    else:
        written = _("Record written to %(path)s.") % {"path": out}
    console.print(escape(written))
