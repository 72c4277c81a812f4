"""saylau.survey's named errors in the user's language (their templates are msgids of the
site's catalogues, as the CLI uses them)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from saylau.paper.column_map import render
from saylau.survey.errors import MESSAGES, SurveyError


def survey_message(error: SurveyError) -> str:
    return render(MESSAGES[error.code], error.params, _)
