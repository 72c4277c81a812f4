"""The two versions of a station's numbers as a PDF, for a complaint's evidence: every line
of the protocol, the official number, each observer's copy, and the difference (reportlab,
DejaVu Sans; the same numbers give the same bytes)."""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from saylau.observation.discrepancies import Row
from saylau.paper.entry import Key
from saylau.paper.forms import label_of
from saylau.protocol.manifest import Contest
from saylau.stations.pdf import register_fonts

MARGIN = 15 * mm


def _cell(value: int | None) -> str:
    return "—" if value is None else str(value)


def _table(row: Row, contest: Contest, keys: list[Key], language: str, cell: Any) -> Table:
    head = [_("Line"), _("Official"), *[c.who for c in row.copies], _("Difference")]
    rows: list[list[Any]] = [[Paragraph(escape(text), cell) for text in head]]
    marked = []
    for i, key in enumerate(keys, start=1):
        official = None if row.official is None else row.official.get(key)
        copies = [c.values.get(key) for c in row.copies]
        diffs = [v - official for v in copies if v is not None and official is not None]
        shown = " / ".join(f"{d:+d}" for d in diffs if d) or ""
        if shown or len(set(copies)) > 1:
            marked.append(i)
        label = Paragraph(escape(str(label_of(contest, key, language))), cell)
        rows.append([label, _cell(official), *[_cell(v) for v in copies], shown])
    table = Table(rows, repeatRows=1)
    style = [
        ("FONT", (0, 0), (-1, -1), "SaylauSans", 9),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8e8e8")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]
    style += [("BACKGROUND", (0, i), (-1, i), colors.HexColor("#ffe0e0")) for i in marked]
    table.setStyle(TableStyle(style))
    return table


def numbers_pdf(row: Row, contest: Contest, keys: list[Key], source: str, language: str) -> bytes:
    """`row`'s numbers as PDF bytes; `source` says where the official result comes from."""
    register_fonts()
    base = ParagraphStyle("base", fontName="SaylauSans", fontSize=10, leading=13)
    title = ParagraphStyle("title", base, fontName="SaylauSans-Bold", fontSize=14, leading=18)
    cell = ParagraphStyle("cell", base, fontSize=9, leading=11)
    heading = _("The observers' copy and the official result")
    flow: list[Any] = [
        Paragraph(escape(heading), title),
        Paragraph(escape(_("Station %(station)s") % {"station": row.station}), base),
        Paragraph(escape(_("Contest: %(contest)s") % {"contest": row.contest}), base),
        Paragraph(escape(_("Official result: %(source)s") % {"source": source}), base),
        Spacer(1, 5 * mm),
        _table(row, contest, keys, language, cell),
    ]
    buffer = io.BytesIO()
    pdf = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=heading,
        author="saylau",
        invariant=1,
    )
    pdf.build(flow)
    return buffer.getvalue()
