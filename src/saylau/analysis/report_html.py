"""report.html: every test's statistic, p-value or interval, flag, caveat and flagged
regions, with the figures, in one language."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape
from typing import Any

from saylau.analysis.plots import title_of
from saylau.analysis.texts import CAVEATS, NAMES, SIGNAL, STATISTICS
from saylau.i18n import gettext_noop

WORDS = {
    "title": gettext_noop("Election forensics report"),
    "stations": gettext_noop("Stations analysed: %(count)s"),
    "left_out": gettext_noop("Rows left out: %(count)s"),
    "test": gettext_noop("test"),
    "statistic": gettext_noop("statistic"),
    "p_value": gettext_noop("p-value"),
    "interval": gettext_noop("95 % interval"),
    "flagged": gettext_noop("flagged"),
    "yes": gettext_noop("yes"),
    "no": gettext_noop("no"),
    "regions": gettext_noop(
        "Regions flagged after false-discovery-rate control: %(count)s of %(total)s"
    ),
    "region": gettext_noop("region"),
    "q_value": gettext_noop("q-value"),
    "seed": gettext_noop("Seed %(seed)s; the same seed gives the same report."),
}
STYLE = (
    "body{font-family:'DejaVu Sans',sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}"
    "table{border-collapse:collapse}td,th{border:1px solid #bbb;padding:.2rem .5rem}"
    ".flag{color:#b00;font-weight:bold}img{max-width:100%}"
)


def _fmt(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def _test_section(entry: dict[str, Any], _: Callable[[str], str]) -> str:
    test = entry["test"]
    flagged = entry["flagged"]
    contest = entry.get("contest")
    anchor = f"{contest}.{test}" if contest else test
    title = _(NAMES[test]) + (f" — {contest}" if contest else "")
    rows = [
        f"<h2 id='{escape(anchor)}'>{escape(title)}</h2>",
        f"<p><code>{escape(test)}</code> — {escape(_(STATISTICS[test]))}</p>",
        "<table>",
        f"<tr><th>{escape(_(WORDS['statistic']))}</th><td>{_fmt(entry['statistic'])}</td></tr>",
    ]
    if "p_value" in entry:
        rows.append(
            f"<tr><th>{escape(_(WORDS['p_value']))}</th><td>{_fmt(entry['p_value'])}</td></tr>"
        )
    if "interval" in entry:
        lo, hi = entry["interval"]
        rows.append(
            f"<tr><th>{escape(_(WORDS['interval']))}</th><td>{_fmt(lo)} – {_fmt(hi)}</td></tr>"
        )
    word = _(WORDS["yes"] if flagged else WORDS["no"])
    css = " class='flag'" if flagged else ""
    rows.append(f"<tr><th>{escape(_(WORDS['flagged']))}</th><td{css}>{escape(word)}</td></tr>")
    rows.append("</table>")
    rows.append(f"<p><em>{escape(_(CAVEATS[test]))}</em></p>")
    regions = entry["regions"]
    flagged_regions = [r for r in regions if r["flagged"]]
    if regions:
        count = {"count": len(flagged_regions), "total": len(regions)}
        rows.append(f"<p>{escape(_(WORDS['regions']) % count)}</p>")
    if flagged_regions:
        rows.append(
            f"<table><tr><th>{escape(_(WORDS['region']))}</th>"
            f"<th>{escape(_(WORDS['statistic']))}</th><th>{escape(_(WORDS['q_value']))}</th></tr>"
        )
        for r in flagged_regions:
            rows.append(
                f"<tr><td>{escape(r['region'])}</td><td>{_fmt(r['statistic'])}</td>"
                f"<td>{_fmt(r['q_value'])}</td></tr>"
            )
        rows.append("</table>")
    return "\n".join(rows)


def render_html(
    report: dict[str, Any], figures: Sequence[str], lang: str, _: Callable[[str], str]
) -> str:
    """The page; `figures` are the names of the PNG/SVG files beside it."""
    head = [
        "<!doctype html>",
        f"<html lang='{escape(lang)}'><head><meta charset='utf-8'>",
        f"<title>{escape(_(WORDS['title']))}</title><style>{STYLE}</style></head><body>",
        f"<h1>{escape(_(WORDS['title']))}</h1>",
        f"<p>{escape(_(SIGNAL))}</p>",
        f"<p>{escape(_(WORDS['stations']) % {'count': report['stations']})}<br>",
        f"{escape(_(WORDS['left_out']) % {'count': report['left_out_count']})}<br>",
        f"{escape(_(WORDS['seed']) % {'seed': report['settings']['seed']})}</p>",
    ]
    body = [_test_section(entry, _) for entry in report["tests"]]
    images = [
        f"<figure><img src='{escape(name)}.svg' alt='{escape(_(title_of(name)))}'>"
        f"<figcaption>{escape(_(title_of(name)))} (<a href='{escape(name)}.png'>PNG</a>)"
        "</figcaption></figure>"
        for name in figures
    ]
    return "\n".join([*head, *body, *images, "</body></html>"]) + "\n"
