"""sanctions.json against the manifest and the stations (docs/protocol.md §14.4), pure.

`check_sanctions` reports every failure of the document's shape and of each sanction, and
gives back the vote rule and the sanctions only when there is none: the consolidation is
re-derived with them (verify_paper.check_consolidation), and with broken sanctions that
comparison would have nothing sound to work on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from saylau.protocol.documents import SANCTIONS
from saylau.protocol.failures import Failure
from saylau.protocol.manifest import Manifest
from saylau.protocol.sanctions import (
    DOCUMENT_KEYS,
    SANCTIONS_SCHEMA,
    VOTE_RULES,
    Sanction,
    SanctionProblem,
    problems,
)

SANCTIONS_CHECK = "sanctions"


@dataclass
class SanctionsCheck:
    failures: list[Failure] = field(default_factory=list)
    #: (vote rule, sanctions) when sanctions.json passed every check, else None
    applied: tuple[str, tuple[Sanction, ...]] | None = None

    def fail(self, item: str, code: str, **params: str | int) -> None:
        self.failures.append(Failure(SANCTIONS_CHECK, item, code, params))


def _document(doc: Any, out: SanctionsCheck) -> tuple[str, list[Any]] | None:
    """(vote rule, raw sanctions) of a well-shaped document; None after reporting why not."""
    if not isinstance(doc, dict) or doc.get("schema") != SANCTIONS_SCHEMA:
        out.fail(SANCTIONS, "sanction.schema", schema=repr(SANCTIONS_SCHEMA))
        return None
    if set(doc) != DOCUMENT_KEYS:
        out.fail(SANCTIONS, "sanctions.keys", keys=", ".join(sorted(DOCUMENT_KEYS)))
        return None
    rule, items = doc["deregistered_votes"], doc["sanctions"]
    if rule not in VOTE_RULES:
        shown = repr(rule) if isinstance(rule, str) else "?"
        out.fail(SANCTIONS, "sanction.rule", rule=shown, rules=", ".join(VOTE_RULES))
        return None
    if not isinstance(items, list):
        out.fail(SANCTIONS, "sanctions.not_list")
        return None
    return rule, items


def check_sanctions(doc: Any, manifest: Manifest, stations: dict[str, str]) -> SanctionsCheck:
    """Every check of §14.4 step 28 over the parsed sanctions.json; never raises on bad input.
    `stations`: the well-formed stations of paper/stations.json (code → district)."""
    out = SanctionsCheck()
    shaped = _document(doc, out)
    if shaped is None:
        return out
    rule, items = shaped
    parsed: list[Sanction] = []
    for i, item in enumerate(items):
        try:
            parsed.append(Sanction.from_json(item))
        except SanctionProblem as e:
            out.fail(f"sanction {i}", e.code, **e.params)
    for problem in problems(manifest, parsed, stations):
        out.fail(problem.item, problem.code, **problem.params)
    if not out.failures:
        out.applied = (rule, tuple(parsed))
    return out
