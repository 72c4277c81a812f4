"""Writing a report's files into DIR: report.json, the figures (PNG and SVG), report.html and
report.pdf (matplotlib's PdfPages). Each file is written to NAME.partial and renamed."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from saylau.analysis.plots import figures, title_of
from saylau.analysis.report_html import WORDS, render_html
from saylau.analysis.texts import CAVEATS, NAMES
from saylau.forensics.precincts import Precincts
from saylau.forensics.result import TestResult


def _replace(path: Path, write: Callable[[Path], object]) -> None:
    partial = path.with_name(path.name + ".partial")
    try:
        write(partial)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def write_json(out: Path, report: dict[str, Any]) -> Path:
    path = out / "report.json"
    text = json.dumps(report, ensure_ascii=False, indent=1) + "\n"
    _replace(path, lambda p: p.write_text(text, encoding="utf-8"))
    return path


def _summary_page(report: dict[str, Any], _: Callable[[str], str]) -> Figure:
    fig = Figure(figsize=(8.27, 11.69))
    lines = [_(WORDS["title"]), ""]
    lines.append(_(WORDS["stations"]) % {"count": report["stations"]})
    lines.append(_(WORDS["left_out"]) % {"count": report["left_out_count"]})
    lines.append("")
    for entry in report["tests"]:
        mark = _(WORDS["yes"] if entry["flagged"] else WORDS["no"])
        p = entry.get("p_value")
        lines.append(
            _(NAMES[entry["test"]])
            + (f" ({entry['contest']})" if entry.get("contest") else "")
            + f": {entry['statistic']:.4g}"
            + (f", p = {p:.3g}" if p is not None else "")
            + f" — {_(WORDS['flagged'])}: {mark}"
        )
        lines.append("   " + _(CAVEATS[entry["test"]]))
    fig.text(0.05, 0.97, "\n".join(_wrap(lines)), va="top", fontsize=8, family="DejaVu Sans")
    return fig


def _wrap(lines: list[str], width: int = 110) -> list[str]:
    out = []
    for line in lines:
        while len(line) > width:
            cut = line.rfind(" ", 0, width)
            cut = cut if cut > 0 else width
            out.append(line[:cut])
            line = "   " + line[cut:].lstrip()
        out.append(line)
    return out


def _saver(fig: Figure, ext: str) -> Callable[[Path], None]:
    def save(target: Path) -> None:
        fig.savefig(target, format=ext)

    return save


def write_report(
    out: Path,
    p: Precincts,
    results: Sequence[TestResult],
    report: dict[str, Any],
    lang: str,
    _: Callable[[str], str],
) -> list[Path]:
    """report.json, NAME.png/.svg for each figure, report.html and report.pdf in `out`."""
    out.mkdir(parents=True, exist_ok=True)
    return [write_json(out, report), *write_figures(out, figures(p, results, _), report, lang, _)]


def write_figures(
    out: Path,
    figs: Sequence[tuple[str, Figure]],
    report: dict[str, Any],
    lang: str,
    _: Callable[[str], str],
    *,
    html: str = "report.html",
    pdf: str = "report.pdf",
) -> list[Path]:
    """NAME.png/.svg for each figure, then the HTML and PDF of `report` (named as given)."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, fig in figs:
        fig.suptitle(_(title_of(name)))
        for ext in ("png", "svg"):
            path = out / f"{name}.{ext}"
            _replace(path, _saver(fig, ext))
            written.append(path)
    text = render_html(report, [name for name, _f in figs], lang, _)
    html_path = out / html
    _replace(html_path, lambda target: target.write_text(text, encoding="utf-8"))
    pdf_path = out / pdf

    def write_pdf(target: Path) -> None:
        with PdfPages(target) as pages:
            pages.savefig(_summary_page(report, _))
            for _name, fig in figs:
                pages.savefig(fig)

    _replace(pdf_path, write_pdf)
    return [*written, html_path, pdf_path]
