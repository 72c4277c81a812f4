"""The printable voter list as PDF (reportlab), set in DejaVu Sans for Cyrillic and Kazakh.

The font is Debian's fonts-dejavu-core (`make setup` installs it), looked for in the setting
or environment variable SAYLAU_PDF_FONT_DIR, else /usr/share/fonts/truetype/dejavu. The same
list gives the same bytes (reportlab's invariant mode: no clock, no random id).
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from saylau.stations.errors import FontMissing
from saylau.stations.models import Station
from saylau.stations.voter_list import VoterList, voter_list

DEFAULT_FONT_DIR = "/usr/share/fonts/truetype/dejavu"
FONTS = {"SaylauSans": "DejaVuSans.ttf", "SaylauSans-Bold": "DejaVuSans-Bold.ttf"}
MARGIN = 15 * mm
COLUMN_WIDTHS = (12 * mm, 82 * mm, 32 * mm, 54 * mm)


def font_dir() -> Path:
    configured = getattr(settings, "SAYLAU_PDF_FONT_DIR", None)
    return Path(configured or os.environ.get("SAYLAU_PDF_FONT_DIR") or DEFAULT_FONT_DIR)


def register_fonts() -> None:
    """Register DejaVu Sans with reportlab once; FontMissing names the file and the package."""
    directory = font_dir()
    for name, filename in FONTS.items():
        path = directory / filename
        registered = name in pdfmetrics.getRegisteredFontNames()
        if registered and getattr(pdfmetrics.getFont(name).face, "filename", "") == str(path):
            continue
        if not path.is_file():
            raise FontMissing(
                _(
                    "The font file %(path)s is missing, so the voter list cannot be printed. "
                    "Install the Debian package fonts-dejavu-core (or set SAYLAU_PDF_FONT_DIR "
                    "to a folder with DejaVuSans.ttf and DejaVuSans-Bold.ttf)."
                )
                % {"path": path}
            )
        pdfmetrics.registerFont(TTFont(name, str(path)))


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName="SaylauSans", fontSize=10, leading=13)
    return {
        "base": base,
        "title": ParagraphStyle("title", base, fontName="SaylauSans-Bold", fontSize=14, leading=18),
        "heading": ParagraphStyle("heading", base, fontName="SaylauSans-Bold", fontSize=12),
        "cell": ParagraphStyle("cell", base, fontSize=9, leading=11),
        "head": ParagraphStyle("head", base, fontName="SaylauSans-Bold", fontSize=9, leading=11),
    }


def _header(document: VoterList, styles: dict[str, ParagraphStyle]) -> list[Any]:
    lines = [
        (document.title, "title"),
        (_("Voter list"), "heading"),
        (
            _("Polling station No. %(number)d (code %(code)s)")
            % {"number": document.station_number, "code": document.station_code},
            "base",
        ),
        (_("Address: %(address)s") % {"address": document.address}, "base"),
        (_("District: %(district)s") % {"district": document.district}, "base"),
    ]
    flow: list[Any] = [Paragraph(escape(text), styles[style]) for text, style in lines]
    flow.append(Spacer(1, 5 * mm))
    return flow


def _table(document: VoterList, styles: dict[str, ParagraphStyle]) -> Table:
    head = [_("No."), _("Full name"), _("IIN"), _("Signature")]
    rows: list[list[Any]] = [[Paragraph(escape(text), styles["head"]) for text in head]]
    for voter in document.voters:
        rows.append(
            [
                str(voter.number),
                Paragraph(escape(voter.full_name), styles["cell"]),
                voter.masked_iin,
                "",
            ]
        )
    table = Table(rows, colWidths=COLUMN_WIDTHS, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), "SaylauSans", 9),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8e8e8")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 1), (-1, -1), 5),
                ("BOTTOMPADDING", (0, 1), (-1, -1), 5),
            ]
        )
    )
    return table


def _signatures(document: VoterList, styles: dict[str, ParagraphStyle]) -> list[Any]:
    blank = "____________________"
    lines = [
        _("Voters on the list: %(count)d") % {"count": len(document.voters)},
        _("Chair of the commission: %(name)s") % {"name": document.chair or blank},
        _("Secretary of the commission: %(name)s") % {"name": document.secretary or blank},
    ]
    flow: list[Any] = [Spacer(1, 8 * mm)]
    for text in lines:
        flow.append(Paragraph(escape(text), styles["base"]))
        flow.append(Spacer(1, 4 * mm))
    return flow


def _numbered_canvas(station_number: int) -> type[Canvas]:
    """A canvas that writes "page N of M" on every page once it knows M."""

    class NumberedCanvas(Canvas):  # type: ignore[misc]  # reportlab has no type hints
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._saved: list[dict[str, Any]] = []

        def showPage(self) -> None:  # reportlab's name
            self._saved.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._saved)
            for state in self._saved:
                self.__dict__.update(state)
                self.setFont("SaylauSans", 8)
                text = _("Polling station No. %(number)d, page %(page)d of %(pages)d") % {
                    "number": station_number,
                    "page": self._pageNumber,
                    "pages": total,
                }
                self.drawCentredString(A4[0] / 2, 8 * mm, text)
                super().showPage()
            super().save()

    return NumberedCanvas


def render(document: VoterList) -> bytes:
    """The list as PDF bytes, its fixed texts in the active language."""
    register_fonts()
    styles = _styles()
    buffer = io.BytesIO()
    pdf = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=f"{document.title}: {document.station_code}",
        author="saylau",
        invariant=1,
    )
    flow = [*_header(document, styles), _table(document, styles), *_signatures(document, styles)]
    pdf.build(flow, canvasmaker=_numbered_canvas(document.station_number))
    return buffer.getvalue()


def voter_list_pdf(election: Any, station: Station, language: str) -> bytes:
    """The station's printable voter list in `language` (kk or ru) as PDF bytes."""
    document = voter_list(election, station, language)
    with translation.override(language):
        return render(document)
