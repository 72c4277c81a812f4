"""What `saylau pvt` prints: the design, the estimate against the official result, the rows
left out. Every text in the user's language."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from saylau.i18n import _
from saylau.paper.csv_check import UnreadableRow
from saylau.survey.design import Design

SHOWN = 20  # rows listed before "… and N more"


def _pct(value: float) -> str:
    return f"{100 * value:.2f}%"


def print_design(console: Console, chosen: Design, doc: dict[str, Any], out: Path) -> None:
    """The sample size, the allocation per region, the margin expected and the seed."""
    table = Table(title=_("Sample per region"))
    table.add_column(_("region"))
    table.add_column(_("stations"), justify="right")
    table.add_column(_("sampled"), justify="right")
    for region in sorted(chosen.sizes):
        table.add_row(escape(region), str(chosen.sizes[region]), str(chosen.sample[region]))
    console.print(table)
    facts = {
        "n": chosen.n,
        "stations": doc["stations_in_frame"],
        "margin": _pct(chosen.expected_margin),
        "confidence": _pct(chosen.confidence),
        "deff": f"{chosen.deff:.1f}",
    }
    console.print(
        _("Sample: %(n)s of %(stations)s stations; expected margin ±%(margin)s at %(confidence)s")
        % facts,
        markup=False,
    )
    console.print(_("Design effect: %(deff)s") % facts, markup=False)
    if doc["planning"] == "sd":
        console.print(
            _("Planned with a spread of %(sd)s between stations (no past results in the map).")
            % {"sd": doc["sd"]},
            markup=False,
        )
    else:
        console.print(_("Planned with the past results in the stations file."), markup=False)
    console.print(
        _("Seed: %(seed)s; stations file SHA-256: %(sha)s")
        % {"seed": doc["seed"], "sha": doc["frame_sha256"]},
        markup=False,
    )
    console.print(_("The sample is in %(path)s") % {"path": out}, markup=False)


def _interval(pair: list[float]) -> str:
    return f"{100 * pair[0]:.2f}–{100 * pair[1]:.2f}%"


def print_estimate(console: Console, doc: dict[str, Any], title: str | None = None) -> None:
    """One line per option (and the turnout): estimate, intervals, official, inside or not."""
    table = Table(title=title or _("Parallel vote tabulation"))
    for name in (_("option"), _("estimate"), _("analytic interval"), _("bootstrap interval")):
        table.add_column(name)
    compared = any("official" in entry for entry in doc["options"])
    if compared:
        for name in (_("official"), _("inside"), "z"):
            table.add_column(name)
    turnout = doc.get("turnout")
    rows = list(doc["options"]) + ([turnout] if turnout else [])
    for entry in rows:
        name = _("turnout") if entry is turnout else entry["option"]
        cells = [escape(name), _pct(entry["estimate"]), _interval(entry["interval"])]
        cells.append(
            _interval(entry["bootstrap_interval"]) if "bootstrap_interval" in entry else ""
        )
        if "official" in entry:
            inside = _("yes") if entry["official_inside"] else "[bold red]" + _("no") + "[/]"
            z = "∞" if entry["z"] is None else f"{entry['z']:+.2f}"
            cells += [_pct(entry["official"]), inside, z]
        elif compared:
            cells += ["", "", ""]
        table.add_row(*cells)
    console.print(table)
    if "strata" in doc:
        facts = {"stations": doc["stations"], "strata": doc["strata"]}
        console.print(_("Stations: %(stations)s in %(strata)s regions") % facts, markup=False)
    _print_sample_gaps(console, doc)


def _print_sample_gaps(console: Console, doc: dict[str, Any]) -> None:
    if doc["not_in_sample_rows"]:
        rows_text = ", ".join(str(r) for r in doc["not_in_sample_rows"][:SHOWN])
        console.print(
            _("Rows left out, their station is not in the sample: %(rows)s") % {"rows": rows_text},
            markup=False,
        )
    if doc["sampled_without_results"]:
        missing = doc["sampled_without_results"]
        console.print(
            _("Sampled stations without results: %(count)s (%(stations)s)")
            % {"count": len(missing), "stations": ", ".join(missing[:SHOWN])},
            markup=False,
        )


def print_exitpoll(console: Console, doc: dict[str, Any]) -> None:
    """The estimate per option, the interviews and refusals, and the within-precinct error."""
    print_estimate(console, doc, _("Exit poll"))
    facts = {
        "stations": doc["stations"],
        "respondents": doc["respondents"],
        "refusals": doc["refusals"],
        "rate": _pct(doc["response_rate"]),
    }
    console.print(
        _(
            "Stations: %(stations)s; respondents: %(respondents)s; refusals: %(refusals)s "
            "(response rate %(rate)s)"
        )
        % facts,
        markup=False,
    )
    if doc["dropped"]:
        console.print(
            _("Stations where nobody answered (left out): %(count)s") % {"count": doc["dropped"]},
            markup=False,
        )
    wpe = doc.get("wpe")
    if wpe:
        console.print(
            _(
                "Within-precinct error of the margin %(first)s − %(second)s: mean %(mean)s "
                "± %(se)s (standard error) over %(stations)s stations"
            )
            % {
                "first": wpe["pair"][0],
                "second": wpe["pair"][1],
                "mean": f"{100 * wpe['mean']:+.2f}%",
                "se": f"{100 * wpe['se']:.2f}%",
                "stations": wpe["stations"],
            },
            markup=False,
        )


def print_unreadable(console: Console, unreadable: list[UnreadableRow]) -> None:
    """The rows that could not be read and why (the rest were used)."""
    if not unreadable:
        return
    console.print(
        "[bold red]"
        + escape(_("Rows left out (numbered as in a spreadsheet: the header is row 1):"))
        + "[/]"
    )
    for bad in unreadable[:SHOWN]:
        reasons = "; ".join(r.message(_) for r in bad.reasons)
        line = _("row %(row)s: %(reasons)s") % {"row": bad.row, "reasons": reasons}
        console.print("  " + line, markup=False, highlight=False)
    if len(unreadable) > SHOWN:
        console.print(
            "  " + _("… and %(count)s more") % {"count": len(unreadable) - SHOWN}, markup=False
        )
