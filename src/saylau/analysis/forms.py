"""The staff's upload of a report directory (a ZIP made from `saylau analyze`'s output)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class UploadForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("Who made the analysis and of which file, as the page should say."),
    )
    report = forms.FileField(
        label=_("Report (ZIP)"),
        help_text=_("The folder saylau analyze wrote, as a ZIP: report.json and the PNG figures."),
    )
