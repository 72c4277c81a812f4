"""Named errors of the survey statistics: a stable code, parameters and an English template.

`MESSAGES[code] % params` is the English message; the templates are msgids of the site's
catalogues, so the CLI translates them (this package stays free of gettext, like protocol/).
"""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    "survey.margin": (
        "The margin must be more than 0 and less than 0.5 (0.01 is ±1 point); got %(margin)s."
    ),
    "survey.confidence": (
        "The confidence must be between 0.5 and 1 (e.g. 0.95); got %(confidence)s."
    ),
    "survey.sd": (
        "The planning standard deviation of a share between stations must be more than 0 and "
        "at most 0.5; got %(sd)s."
    ),
    "survey.bootstrap": (
        "The number of bootstrap replicates must be 0 (none) or at least 100; got %(count)s."
    ),
    "survey.no_stations": (
        "No usable station is left: every row was left out, or the file has none."
    ),
    "survey.stratum_empty": (
        "No sampled station reported in %(strata)s: each region of the design needs at least two."
    ),
    "survey.stratum_single": (
        "Only one sampled station reported in %(strata)s: a variance needs at least two per region."
    ),
    "survey.stratum_unknown": "Stations reported in %(strata)s, a region the design does not have.",
    "survey.stratum_over": "More stations reported than the design has in %(strata)s.",
    "survey.no_valid": "The sampled stations report no valid votes.",
    "survey.options": (
        "The official result has %(official)s options and the sample %(sample)s: they must be "
        "the same options in the same order."
    ),
    "survey.quota": "The number of interviews per station must be at least 1; got %(quota)s.",
    "survey.turnout": "The expected turnout must be more than 0 and at most 1; got %(turnout)s.",
    "survey.response_rate": (
        "The expected response rate must be more than 0 and at most 1; got %(rate)s."
    ),
}


class SurveyError(ValueError):
    """Input the statistics cannot use: a code of `MESSAGES` and its parameters."""

    def __init__(self, code: str, **params: str | int | float) -> None:
        self.code = code
        self.params = params
        super().__init__(MESSAGES[code] % params)


def listed(names: list[str], limit: int = 10) -> str:
    """The first `limit` names, joined, for an error's parameter."""
    more = f", … (+{len(names) - limit})" if len(names) > limit else ""
    return ", ".join(names[:limit]) + more
