"""What each kind of submission must carry, checked before anything is stored.

check_in / check_out: nothing. checklist: {"phase", "answers": {item id: "yes"|"no"|"na"},
"note"?}, every item of the phase's checklist answered. incident: {"category", "description"}.
protocol_copy: {"contest", "counts": {line: n}, "options": {option id: n}}, read like a
commission's protocol (protocol.paper_protocol); a copy that breaks a control relation is
kept (it is evidence) with the relations it breaks under "failures".
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from saylau.observation.errors import InvalidSubmission
from saylau.observation.incidents import CATEGORIES
from saylau.observation.models import Checklist, Submission
from saylau.paper.entry import Typed, contest_of, read_counts
from saylau.paper.entry_errors import PaperError
from saylau.protocol.paper_protocol import check_relations
from saylau.stations.models import Station

ANSWERS = frozenset({"yes", "no", "na"})
MAX_TEXT = 4000
Kind = Submission.Kind


def _text(payload: dict[str, Any], name: str, required: bool) -> str:
    value = payload.get(name, "")
    if not isinstance(value, str) or len(value) > MAX_TEXT:
        raise InvalidSubmission(
            _("%(field)s must be a text of at most %(n)d characters.")
            % {"field": name, "n": MAX_TEXT},
            field=name,
        )
    if required and not value.strip():
        raise InvalidSubmission(_("Describe what happened."), field=name)
    return value.strip()


def _checklist(station: Station, payload: dict[str, Any]) -> dict[str, Any]:
    phase = payload.get("phase")
    checklist = Checklist.objects.filter(election_id=station.election_id, phase=phase).first()
    if checklist is None:
        raise InvalidSubmission(_("There is no checklist for this phase."), field="phase")
    answers = payload.get("answers")
    ids = [str(item["id"]) for item in checklist.items]
    if not isinstance(answers, dict) or set(answers) != set(ids):
        raise InvalidSubmission(_("Answer every question of the checklist."), field="answers")
    if any(value not in ANSWERS for value in answers.values()):
        raise InvalidSubmission(
            _("Each answer must be yes, no or not applicable."), field="answers"
        )
    return {"phase": phase, "answers": answers, "note": _text(payload, "note", False)}


def _incident(payload: dict[str, Any]) -> dict[str, Any]:
    category = payload.get("category")
    if category not in CATEGORIES:
        raise InvalidSubmission(_("Choose the kind of incident."), field="category")
    return {"category": category, "description": _text(payload, "description", True)}


def _protocol_copy(station: Station, payload: dict[str, Any]) -> dict[str, Any]:
    counts, options = payload.get("counts"), payload.get("options")
    if not isinstance(counts, dict) or not isinstance(options, dict):
        raise InvalidSubmission(_("Type every line of the protocol."), field="counts")
    try:
        contest = contest_of(station.election, station, str(payload.get("contest", "")))
        read = read_counts(Typed(counts, options), contest)
    except PaperError as error:
        raise InvalidSubmission(error.message, field="counts") from error
    broken = check_relations(read, min_marks=contest.min_marks, max_marks=contest.max_marks)
    return {
        "contest": contest.id,
        "counts": counts,
        "options": options,
        "failures": [{"code": f.code, "params": f.params} for f in broken],
    }


def clean(kind: str, station: Station, payload: Any) -> dict[str, Any]:
    """The payload as stored; InvalidSubmission says what is wrong."""
    if not isinstance(payload, dict):
        raise InvalidSubmission(_("The report is not readable."))
    if kind in (Kind.CHECK_IN, Kind.CHECK_OUT):
        return {}
    if kind == Kind.CHECKLIST:
        return _checklist(station, payload)
    if kind == Kind.INCIDENT:
        return _incident(payload)
    if kind == Kind.PROTOCOL_COPY:
        return _protocol_copy(station, payload)
    raise InvalidSubmission(_("Unknown kind of report."), field="kind")
