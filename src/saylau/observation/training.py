"""What an applicant sees of their training: the organisation's online modules with their
last result, the quiz of one module in the page's language, and the offline sessions of
their region's headquarters."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from saylau.observation.errors import NotFound
from saylau.observation.models import Observer, QuizAttempt, TrainingModule, TrainingSession
from saylau.voting.public import in_language


@dataclass(frozen=True)
class ModuleRow:
    pk: int
    title: str
    questions: int
    pass_mark: int
    passed: bool
    last: QuizAttempt | None


@dataclass(frozen=True)
class Question:
    name: str
    text: str
    choices: list[tuple[str, str]]


def modules(observer: Observer, language: str) -> list[ModuleRow]:
    attempts: dict[int, QuizAttempt] = {}
    passed: set[int] = set()
    for attempt in QuizAttempt.objects.filter(observer=observer).order_by("at", "pk"):
        attempts[attempt.module_id] = attempt
        if attempt.passed:
            passed.add(attempt.module_id)
    return [
        ModuleRow(
            m.pk,
            in_language(m.title, language, fallback=str(m.pk)),
            len(m.questions),
            m.pass_mark,
            m.pk in passed,
            attempts.get(m.pk),
        )
        for m in TrainingModule.objects.filter(organisation_id=observer.organisation_id)
    ]


def module_of(observer: Observer, pk: int) -> TrainingModule:
    found = TrainingModule.objects.filter(organisation_id=observer.organisation_id, pk=pk).first()
    if found is None:
        raise NotFound(_("There is no such training module."))
    return found


def title_of(module: TrainingModule, language: str) -> str:
    return in_language(module.title, language, fallback=str(module.pk))


def questions(module: TrainingModule, language: str) -> list[Question]:
    """The module's questions in `language`; a choice's value is its index."""
    return [
        Question(
            f"q-{q['id']}",
            in_language(q.get("text"), language, fallback=str(q["id"])),
            [(str(i), in_language(c, language)) for i, c in enumerate(q.get("choices", []))],
        )
        for q in module.questions
    ]


def answers_from(module: TrainingModule, data: dict[str, Any]) -> dict[str, int]:
    """The submitted choices (form field q-<id> → index), as take_quiz reads them."""
    answers = {}
    for q in module.questions:
        value = data.get(f"q-{q['id']}")
        if isinstance(value, str) and value.isdigit():
            answers[str(q["id"])] = int(value)
    return answers


def sessions(observer: Observer) -> list[TrainingSession]:
    return list(
        TrainingSession.objects.filter(
            hq__organisation_id=observer.organisation_id, hq__region=observer.region
        ).order_by("starts_at")
    )
