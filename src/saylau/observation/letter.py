"""The credential letter an observer shows the station commission (PDF, reportlab, DejaVu
Sans for Kazakh, the same accreditation gives the same bytes)."""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from saylau.observation.models import Accreditation
from saylau.stations.pdf import register_fonts

MARGIN = 20 * mm


def _when(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def _lines(a: Accreditation) -> list[tuple[str, str]]:
    station = a.station
    return [
        (_("Observer's credential letter"), "title"),
        (a.organisation.name, "heading"),
        (
            _(
                "%(name)s is accredited as an observer of %(organisation)s at polling station "
                "No. %(number)d (code %(code)s)."
            )
            % {
                "name": a.observer.full_name,
                "organisation": a.organisation.name,
                "number": station.number,
                "code": station.code,
            },
            "base",
        ),
        (_("Address: %(address)s") % {"address": station.address or "—"}, "base"),
        (_("Role: %(role)s") % {"role": a.get_role_display()}, "base"),
        (
            _("Valid from %(start)s to %(end)s.")
            % {"start": _when(a.starts_at), "end": _when(a.ends_at)},
            "base",
        ),
        (_("Accreditation number: %(number)d") % {"number": a.pk}, "base"),
        (
            _(
                "The observer may be present at the opening, the voting and the count, and may "
                "photograph the signed protocol."
            ),
            "base",
        ),
        (_("Coordinator's signature: ____________________"), "base"),
    ]


def credential_letter(accreditation: Accreditation, language: str) -> bytes:
    """The letter of `accreditation` in `language` as PDF bytes."""
    register_fonts()
    base = ParagraphStyle("base", fontName="SaylauSans", fontSize=11, leading=15)
    styles = {
        "base": base,
        "title": ParagraphStyle("title", base, fontName="SaylauSans-Bold", fontSize=16, leading=20),
        "heading": ParagraphStyle("heading", base, fontName="SaylauSans-Bold", fontSize=12),
    }
    buffer = io.BytesIO()
    with translation.override(language):
        flow: list[Any] = []
        for text, style in _lines(accreditation):
            flow += [Paragraph(escape(text), styles[style]), Spacer(1, 4 * mm)]
        pdf = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=MARGIN,
            title=_("Observer's credential letter"),
            author="saylau",
            invariant=1,
        )
        pdf.build(flow)
    return buffer.getvalue()
