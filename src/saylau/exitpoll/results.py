"""What the results page and its CSV show: per option the estimate with its analytic and
bootstrap 95 % intervals, the stations and interviews in, and, once the official protocols
exist, the comparison. Before the polls close only the poll's pollsters see the numbers
(publishing an exit poll while voting runs is not allowed).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from saylau.exitpoll import estimates, official
from saylau.exitpoll.models import Poll
from saylau.exitpoll.polls import options, polls_closed
from saylau.exitpoll.roles import runs
from saylau.exitpoll.survey_errors import survey_message
from saylau.survey.errors import SurveyError
from saylau.web.spreadsheet import neutral


@dataclass(frozen=True)
class OptionRow:
    name: str
    share: float
    se: float
    low: float
    high: float
    boot_se: float | None
    boot_low: float | None
    boot_high: float | None
    official: float | None = None
    difference: float | None = None  # official − estimate
    inside: bool | None = None  # the official share inside the analytic interval


@dataclass
class Results:
    poll: Poll
    closed: bool  # the polls have closed
    visible: bool  # the numbers may be shown to this user
    sampled: int = 0
    stations: int = 0  # sampled stations with a respondent
    respondents: int = 0
    refused_to_say: int = 0
    refusals: int = 0
    non_contacts: int = 0
    response_rate: float = 0.0
    rows: list[OptionRow] = field(default_factory=list)
    problem: str = ""  # why there is no estimate yet (a survey error, in the user's language)
    comparison: official.Comparison | None = None
    pair: tuple[str, str] = ("", "")


def results(user: Any, poll: Poll, now: dt.datetime, language: str) -> Results:
    closed = polls_closed(poll.election, now)
    out = Results(poll, closed, closed or runs(user, poll))
    if not out.visible:
        return out
    rows = estimates.tallies(poll)
    out.sampled = len(rows)
    out.respondents = sum(r.respondents for r in rows)
    out.refused_to_say = sum(r.refused_to_say for r in rows)
    out.refusals = sum(r.refusals for r in rows)
    out.non_contacts = sum(r.non_contacts for r in rows)
    if not estimates.reporting(rows):
        out.problem = _("No sampled station has a respondent who named an option yet.")
        return out
    try:
        found = estimates.estimate(poll, rows)
    except SurveyError as e:
        out.problem = survey_message(e)
        return out
    try:
        out.comparison = official.compare(poll, rows, found)
    except SurveyError:  # e.g. fewer than two stations with both respondents and valid votes
        out.comparison = None
    out.stations = found.stations
    out.response_rate = found.response_rate
    names = [o.name for o in options(poll, language)]
    out.rows = _rows(found, names, out.comparison)
    if out.comparison is not None:
        a, b = out.comparison.pair
        out.pair = (names[a], names[b])
    return out


def _rows(found: Any, names: list[str], comparison: official.Comparison | None) -> list[OptionRow]:
    s = found.shares
    out = []
    for j, name in enumerate(names):
        c = comparison.comparisons[j] if comparison is not None else None
        out.append(
            OptionRow(
                name,
                float(s.estimate[j]),
                float(s.se[j]),
                float(s.low[j]),
                float(s.high[j]),
                float(s.boot_se[j]) if s.boot_se is not None else None,
                float(s.boot_low[j]) if s.boot_low is not None else None,
                float(s.boot_high[j]) if s.boot_high is not None else None,
                c.official if c else None,
                c.difference if c else None,
                c.inside_analytic if c else None,
            )
        )
    return out


def results_csv(found: Results) -> bytes:
    """The estimates (and the comparison) as CSV for a spreadsheet: one row per option, then
    one per station's within-precinct error and their mean. No interviewer is named."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        [
            _("Row"),
            _("Option or station"),
            _("Estimate"),
            _("Standard error"),
            _("95% interval, low"),
            _("95% interval, high"),
            _("Bootstrap standard error"),
            _("Bootstrap interval, low"),
            _("Bootstrap interval, high"),
            _("Official"),
            _("Difference (official − estimate)"),
        ]
    )
    for r in found.rows:
        writer.writerow(
            [
                "option",
                neutral(r.name),
                *(_num(v) for v in (r.share, r.se, r.low, r.high)),
                *(_num(v) for v in (r.boot_se, r.boot_low, r.boot_high, r.official, r.difference)),
            ]
        )
    if found.comparison is not None:
        for s in found.comparison.per_station:
            writer.writerow(["wpe", neutral(s.code), _num(s.wpe), *[""] * 8])
        wpe = found.comparison.wpe
        pair = " − ".join(found.pair)
        writer.writerow(["wpe_mean", neutral(pair), _num(wpe.mean), _num(wpe.se), *[""] * 7])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:.6f}"
