"""`saylau verify RECORD`: the universal verifier.

Failures are shown in the chosen language: each has a code (saylau.protocol.failures) whose
English template is a msgid of the site's catalogues; a code without a template, or a
translation that does not fit its parameters, shows the English message. `--json` prints the
report as JSON (schema `saylau-verify-report/2`): codes and parameters for programs, messages
in the chosen language and in English (docs/decisions/0007, 0023).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from saylau.cli.language import Lang, local_name
from saylau.cli.progress import StageProgress
from saylau.i18n import _, activate, gettext_noop
from saylau.protocol.failures import MESSAGES, Failure
from saylau.record.verify import Report, verify_record

REPORT_SCHEMA = "saylau-verify-report/2"

STATS = {
    "leaves": gettext_noop("leaves on the board"),
    "ballots": gettext_noop("ballots on the board"),
    "counted": gettext_noop("ballots that count"),
    "paper_overrides": gettext_noop("paper overrides"),
    "credentials": gettext_noop("published credentials"),
    "paper_stations": gettext_noop("paper polling stations"),
    "paper_protocols": gettext_noop("paper protocol lines"),
    "paper_recounted": gettext_noop("protocols revised by a recount"),
    "recount_flags": gettext_noop("contests flagged for a recount"),
    "sanctions": gettext_noop("sanctions in the record"),
}

# The checks of a record's paper part (docs/protocol.md §12.10), named in the report.
PAPER_CHECKS = {
    "paper.stations": gettext_noop("polling stations"),
    "paper.protocols": gettext_noop("protocols and their revisions"),
    "paper.relations": gettext_noop("control relations of every protocol"),
    "paper.overrides": gettext_noop("paper overrides against the stations"),
    "consolidation": gettext_noop("consolidated results re-derived"),
    "sanctions": gettext_noop("sanctions against the election, applied to the results"),
}


def verify(
    record: Annotated[Path, typer.Argument(help="Record directory or .zip")],
    workers: Annotated[int, typer.Option(help="Processes (default: all cores)")] = 0,
    progress: Annotated[bool, typer.Option(help="Show a progress bar")] = True,
    as_json: Annotated[
        bool, typer.Option("--json", help=f"Print a JSON report ({REPORT_SCHEMA}) instead")
    ] = False,
    lang: Lang = None,
) -> None:
    """Re-derive and check the whole result from a public election record."""
    lang = activate(lang)
    console = Console(stderr=False)
    if as_json:
        report = verify_record(record, workers or os.cpu_count() or 1)
        doc = report_json(report, lang)
        sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=1) + "\n")
        raise typer.Exit(0 if report.ok else 1)
    with StageProgress(console, enabled=progress and sys.stdout.isatty()) as bar:
        report = verify_record(record, workers or os.cpu_count() or 1, bar)
    print_report(console, report, lang)
    raise typer.Exit(0 if report.ok else 1)


def failure_message(failure: Failure) -> str:
    """The failure's message in the active language (English when its code is unknown)."""
    template = MESSAGES.get(failure.code)
    if template is None:
        return failure.message
    try:
        return _(template) % failure.params
    except (KeyError, ValueError, TypeError):  # a translation that does not fit: say it in English
        return failure.message


def report_json(report: Report, lang: str = "en") -> dict[str, Any]:
    """The machine-readable report: codes, parameters and English messages are the same in
    every language; `message` is in `lang` (the active language)."""
    failures = []
    for f in report.failures:
        doc = f.to_json()
        doc["message_en"] = doc["message"]
        doc["message"] = failure_message(f)
        failures.append(doc)
    return {
        "schema": REPORT_SCHEMA,
        "language": lang,
        "ok": report.ok,
        "failures": failures,
        "stats": report.stats,
        "results": report.results,
        "consolidation": report.consolidation,
    }


def print_report(console: Console, report: Report, lang: str = "en") -> None:
    if report.results and report.manifest is not None:
        print_results(console, report, lang)
    if report.consolidation is not None and report.manifest is not None:
        print_consolidation(console, report, lang)
    stats = Table(title=_("Record"), show_header=False)
    for k, v in report.stats.items():
        stats.add_row(_(STATS[k]) if k in STATS else k.replace("_", " "), str(v))
    if report.stats:
        console.print(stats)
    if report.consolidation is not None:
        shown = [k for k in PAPER_CHECKS if k != "sanctions" or "sanctions" in report.stats]
        checks = "; ".join(_(PAPER_CHECKS[k]) for k in shown)
        console.print(escape(_("Paper voting checked: %(checks)s.") % {"checks": checks}))
    if report.ok:
        console.print(
            f"[bold green]{escape(_('VERIFIED'))}[/]: "
            + escape(_("every check holds; the results above are re-derived from the record."))
        )
        return
    console.print(
        f"[bold red]{escape(_('FAILED'))}[/]: "
        + escape(_("problems found: %(count)s") % {"count": len(report.failures)})
    )
    fail = _("FAIL")
    for f in report.failures:
        console.print(
            f"  {fail} [{f.check}] {f.item}: {failure_message(f)}",
            markup=False,
            highlight=False,
            soft_wrap=True,  # one line per failure, however long
        )


def print_results(console: Console, report: Report, lang: str = "en") -> None:
    assert report.manifest is not None and report.results is not None
    manifest = report.manifest
    for d in manifest.districts:
        dres = report.results.get(d.id)
        if dres is None:
            continue
        for contest in manifest.contests_for(d.id):
            counts = dres["contests"].get(contest.id, {})
            title = _("%(district)s — %(contest)s (ballots counted: %(count)s)") % {
                "district": local_name(d.name, lang),
                "contest": local_name(contest.name, lang),
                "count": dres["ballots_counted"],
            }
            t = Table(title=escape(title))
            t.add_column(_("option"))
            t.add_column(_("votes"), justify="right")
            for opt in contest.options:
                t.add_row(escape(local_name(opt.name, lang)), str(counts.get(opt.id, "?")))
            console.print(t)


def print_consolidation(console: Console, report: Report, lang: str = "en") -> None:
    """Online + paper = total per option, the winners (*) and the recount flag."""
    assert report.manifest is not None and report.consolidation is not None
    for d in report.manifest.districts:
        contests = report.consolidation["districts"][d.id]["contests"]
        for contest in report.manifest.contests_for(d.id):
            entry = contests[contest.id]
            title = _("%(district)s — %(contest)s: online and paper") % {
                "district": local_name(d.name, lang),
                "contest": local_name(contest.name, lang),
            }
            if entry.get("annulled"):
                title += " — " + _("annulled — re-vote")
            elif entry["recount"]:
                title += " — " + _("recount (margin %(margin)s)") % {"margin": entry["margin"]}
            t = Table(title=escape(title))
            t.add_column(_("option"))
            for heading in (_("online"), _("paper"), _("total")):
                t.add_column(heading, justify="right")
            excluded = entry.get("excluded", {})
            for opt in contest.options:
                won = " *" if opt.id in entry["winners"] else ""
                if opt.id in excluded:
                    won = " — " + _("deregistered, %(votes)s votes excluded") % {
                        "votes": excluded[opt.id]
                    }
                t.add_row(
                    escape(local_name(opt.name, lang) + won),
                    str(entry["online"][opt.id]),
                    str(entry["paper"][opt.id]),
                    str(entry["total"][opt.id]),
                )
            console.print(t)
