"""The committee's dashboard: complaints by category, region (district) and status, the time
from receipt to decision, and complaints per day as a small server-side SVG bar chart."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from saylau.complaints.models import Complaint, Decision
from saylau.elections.models import Election


@dataclass(frozen=True)
class Summary:
    total: int
    by_category: list[tuple[str, int]]
    by_district: list[tuple[str, int]]
    by_status: list[tuple[str, int]]
    per_day: list[tuple[dt.date, int]]
    decided: int
    median_hours: float | None


def _counts(election: Election, field: str) -> list[tuple[str, int]]:
    rows = (
        Complaint.objects.filed()
        .filter(election=election)
        .values(field)
        .annotate(n=Count("id"))
        .order_by("-n", field)
    )
    return [(str(r[field]), int(r["n"])) for r in rows]


def summary(election: Election) -> Summary:
    complaints = Complaint.objects.filed().filter(election=election)
    days = (
        complaints.annotate(day=TruncDate("created_at"))
        .values("day")
        .annotate(n=Count("id"))
        .order_by("day")
    )
    decisions = Decision.objects.filter(complaint__election=election).select_related("complaint")
    hours = [(d.decided_at - d.complaint.created_at).total_seconds() / 3600 for d in decisions]
    return Summary(
        total=complaints.count(),
        by_category=_counts(election, "category"),
        by_district=_counts(election, "district"),
        by_status=_counts(election, "status"),
        per_day=[(r["day"], int(r["n"])) for r in days],
        decided=len(hours),
        median_hours=round(statistics.median(hours), 1) if hours else None,
    )


def day_chart(per_day: list[tuple[dt.date, int]], title: str) -> SafeString:
    """Bars per day (the days between the first and the last included, empty ones at 0)."""
    if not per_day:
        return mark_safe("")
    counts = Counter(dict(per_day))
    first, last = per_day[0][0], per_day[-1][0]
    days = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    top = max(counts.values())
    width, height, bar = max(320, 24 * len(days)), 160, 24
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height + 30}"'
        f' width="100%" aria-labelledby="day-chart-title"><title id="day-chart-title">'
        f"{escape(title)}</title>"
    ]
    for i, day in enumerate(days):
        n = counts.get(day, 0)
        h = round(height * n / top)
        x = i * bar
        parts.append(
            f'<rect x="{x + 2}" y="{height - h}" width="{bar - 4}" height="{h}" fill="#2456a6">'
            f"<title>{day.isoformat()}: {n}</title></rect>"
            f'<text x="{x + bar / 2}" y="{height + 14}" font-size="9" text-anchor="middle">'
            f"{day:%d.%m}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  # numbers, dates and escaped text only
