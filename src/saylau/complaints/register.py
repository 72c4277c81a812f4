"""The public register of decisions: reference, category, region, decision, reasoning,
sanctions, evidence SHA-256 hashes and dates. Never a complainant's name or contacts, nor a
member's id: the rows are built from an allow-list of fields."""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass
from typing import Any

from saylau.complaints.models import Decision
from saylau.complaints.sanction_specs import published, utc_text
from saylau.elections.models import Election
from saylau.web.spreadsheet import neutral

CSV_COLUMNS = (
    "decision",
    "complaint",
    "category",
    "district",
    "station",
    "substantiated",
    "reasoning",
    "sanctions",
    "appeal",
    "final",
    "received_at",
    "decided_at",
    "final_at",
    "evidence_sha256",
)


@dataclass(frozen=True)
class Row:
    decision: str
    complaint: str
    category: str
    district: str
    station: str
    substantiated: bool
    reasoning: str
    sanctions: list[dict[str, Any]]
    appeal: str
    appeal_reasoning: str
    final: bool
    received_at: str
    decided_at: str
    final_at: str
    evidence_sha256: list[str]


def rows(election: Election) -> list[Row]:
    decisions = (
        Decision.objects.filter(complaint__election=election)
        .select_related("complaint")
        .prefetch_related("sanctions", "complaint__evidence")
        .order_by("number")
    )
    out = []
    for d in decisions:
        c = d.complaint
        sanctions = [
            {**published(s, d, i).to_json(), "withdrawn": s.withdrawn}
            for i, s in enumerate(d.sanctions.all(), start=1)
        ]
        out.append(
            Row(
                decision=d.reference,
                complaint=c.reference,
                category=c.category,
                district=c.district,
                station=c.station,
                substantiated=d.substantiated,
                reasoning=d.reasoning,
                sanctions=sanctions,
                appeal=d.appeal,
                appeal_reasoning=d.appeal_reasoning,
                final=d.final_at is not None,
                received_at=utc_text(c.created_at),
                decided_at=utc_text(d.decided_at),
                final_at=utc_text(d.final_at) if d.final_at else "",
                evidence_sha256=[e.sha256 for e in c.evidence.all()],
            )
        )
    return out


def as_json(election: Election) -> dict[str, Any]:
    return {
        "schema": "saylau-complaints-register/1",
        "election": election.slug,
        "decisions": [asdict(r) for r in rows(election)],
    }


def as_csv(election: Election) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for r in rows(election):
        kinds = " ".join(
            s["kind"] + (" (withdrawn)" if s["withdrawn"] else "") for s in r.sanctions
        )
        writer.writerow(
            neutral(v)
            for v in [
                r.decision,
                r.complaint,
                r.category,
                r.district,
                r.station,
                "yes" if r.substantiated else "no",
                r.reasoning,
                kinds,
                r.appeal,
                "yes" if r.final else "no",
                r.received_at,
                r.decided_at,
                r.final_at,
                " ".join(r.evidence_sha256),
            ]
        )
    return out.getvalue()
