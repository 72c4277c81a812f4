"""The report's figures (matplotlib Figure objects, no pyplot, so no display is needed): the
fingerprint, the turnout and share histograms, the digit frequencies and the votes by turnout;
each a Figure the writers save as PNG and SVG (report.html) and put in report.pdf."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np
from matplotlib.colors import LogNorm
from matplotlib.figure import Figure

from saylau.forensics.klimek import fingerprint
from saylau.forensics.precincts import Ints, Precincts
from saylau.forensics.result import TestResult
from saylau.i18n import gettext_noop

TITLES: dict[str, str] = {
    "fingerprint": gettext_noop("Turnout and the leader's share, stations per 1-point cell"),
    "histograms": gettext_noop("Stations by turnout and by the leader's share (0.1-point bins)"),
    "digits": gettext_noop("Digits of the vote counts: observed, the binomial null and the law"),
    "turnout_votes": gettext_noop("Votes by turnout: the leader and the other options"),
    "online": gettext_noop("Online sign-ins, ballots and re-votes per minute"),
}
LABELS = {
    "turnout": gettext_noop("turnout, %"),
    "share": gettext_noop("leader's share, %"),
    "stations": gettext_noop("stations"),
    "votes": gettext_noop("votes"),
    "leader": gettext_noop("leader"),
    "others": gettext_noop("other options"),
    "observed": gettext_noop("observed"),
    "null": gettext_noop("binomial null"),
    "law": gettext_noop("Benford / uniform"),
    "second": gettext_noop("second digit"),
    "last": gettext_noop("last digit"),
    "minutes": gettext_noop("minutes since %(start)s"),
    "per_minute": gettext_noop("per minute"),
    "sign-ins": gettext_noop("sign-ins"),
    "casts": gettext_noop("ballots"),
    "revotes": gettext_noop("re-votes"),
}


def _figure() -> Figure:
    return Figure(figsize=(8, 4.5), dpi=100, layout="constrained")


def fingerprint_figure(p: Precincts, _: Callable[[str], str]) -> Figure:
    fig = _figure()
    ax = fig.add_subplot()
    h = fingerprint(p.turnout().clip(0, 1), p.share(p.leader).clip(0, 1), 100).astype(float)
    image = ax.imshow(
        h.T + 0.0,
        origin="lower",
        extent=(0, 100, 0, 100),
        aspect="auto",
        cmap="viridis",
        norm=LogNorm(vmin=1, vmax=max(2.0, float(h.max()))),
    )
    fig.colorbar(image, ax=ax, label=_(LABELS["stations"]))
    ax.set_xlabel(_(LABELS["turnout"]))
    ax.set_ylabel(_(LABELS["share"]))
    return fig


def histograms_figure(p: Precincts, _: Callable[[str], str]) -> Figure:
    fig = _figure()
    edges = np.arange(-0.05, 100.1, 0.1)
    for i, (values, label) in enumerate(
        ((100 * p.turnout(), "turnout"), (100 * p.share(p.leader), "share"))
    ):
        ax = fig.add_subplot(2, 1, i + 1)
        ax.plot(edges[:-1] + 0.05, np.histogram(values, bins=edges)[0], linewidth=0.6)
        ax.set_xlabel(_(LABELS[label]))
        ax.set_ylabel(_(LABELS["stations"]))
        ax.set_xlim(0, 100)
    return fig


def digits_figure(results: Sequence[TestResult], _: Callable[[str], str]) -> Figure:
    fig = _figure()
    by_test = {r.test: r for r in results}
    for i, (test, label) in enumerate((("second_digit", "second"), ("last_digit", "last"))):
        ax = fig.add_subplot(1, 2, i + 1)
        r = by_test.get(test)
        if r is None:
            continue
        x = np.arange(10)
        ax.bar(x - 0.2, r.details["frequencies"], width=0.4, label=_(LABELS["observed"]))
        ax.bar(x + 0.2, r.details["expected_null"], width=0.4, label=_(LABELS["null"]))
        ax.plot(x, r.details["law"], "k.", label=_(LABELS["law"]))
        ax.set_xticks(x)
        ax.set_xlabel(_(LABELS[label]))
        ax.legend(fontsize="small")
    return fig


def turnout_votes_figure(p: Precincts, _: Callable[[str], str]) -> Figure:
    fig = _figure()
    ax = fig.add_subplot()
    bins = np.clip((100 * p.turnout()).astype(np.int64), 0, 100)
    leader = np.bincount(bins, weights=p.options[:, p.leader], minlength=101)
    others = np.bincount(bins, weights=p.valid - p.options[:, p.leader], minlength=101)
    ax.plot(np.arange(101), leader, label=_(LABELS["leader"]))
    ax.plot(np.arange(101), others, label=_(LABELS["others"]))
    ax.set_xlabel(_(LABELS["turnout"]))
    ax.set_ylabel(_(LABELS["votes"]))
    ax.legend()
    return fig


def figures(
    p: Precincts, results: Sequence[TestResult], _: Callable[[str], str]
) -> list[tuple[str, Figure]]:
    """(name, figure) in the report's order."""
    return [
        ("fingerprint", fingerprint_figure(p, _)),
        ("histograms", histograms_figure(p, _)),
        ("digits", digits_figure(results, _)),
        ("turnout_votes", turnout_votes_figure(p, _)),
    ]


def online_figure(
    minutes: Sequence[str], series: Mapping[str, Ints], _: Callable[[str], str]
) -> Figure:
    """Each series (keys of LABELS: sign-ins, casts, revotes) per minute."""
    fig = _figure()
    ax = fig.add_subplot()
    for name, values in series.items():
        ax.plot(np.arange(len(values)), values, linewidth=0.7, label=_(LABELS[name]))
    start = minutes[0] if minutes else "–"
    ax.set_xlabel(_(LABELS["minutes"]) % {"start": start})
    ax.set_ylabel(_(LABELS["per_minute"]))
    ax.legend()
    return fig


def title_of(name: str) -> str:
    """A figure's title msgid; a contest's figures are named "<contest>.<kind>"."""
    return TITLES[name.rsplit(".", 1)[-1]]
