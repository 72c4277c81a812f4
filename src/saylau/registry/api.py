"""Registry API: districts and published roll counts (public), member imports (staff)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.params import P, PathEx
from ninja.security import django_auth

from saylau.errors import UserError
from saylau.registry import rolls, services
from saylau.registry.forms import MAX_UPLOAD_BYTES
from saylau.registry.models import District

router = Router(tags=["registry"])


class DistrictOut(Schema):
    code: str
    name: str
    name_kk: str
    name_ru: str
    name_en: str
    is_city: bool


class DistrictCountOut(Schema):
    code: str
    name: str
    count: int


class RollSummaryOut(Schema):
    election: str
    freeze_date: dt.date
    closed_at: dt.datetime | None
    total: int


class RollOut(Schema):
    election: str
    freeze_date: dt.date
    status: str
    closed_at: dt.datetime | None
    total: int
    digest: str
    districts: list[DistrictCountOut]


class ProblemOut(Schema):
    field: str
    code: str
    message: str
    other_line: int | None = None


class RejectedLineOut(Schema):
    line: int
    problems: list[ProblemOut]


class ImportReportOut(Schema):
    source_name: str
    dry_run: bool
    applied: bool
    total_lines: int
    accepted: int
    rejected_count: int
    counts_by_code: dict[str, int]
    rejected: list[RejectedLineOut]
    rejected_truncated: bool


@router.get("/districts", response=list[DistrictOut], summary="The 17 regions and 3 cities")
def list_districts(request: HttpRequest) -> Any:
    return [
        {
            "code": d.code,
            "name": d.name,
            "name_kk": d.name_kk,
            "name_ru": d.name_ru,
            "name_en": d.name_en,
            "is_city": d.is_city,
        }
        for d in District.objects.all()
    ]


@router.get("/rolls", response=list[RollSummaryOut], summary="Closed (published) election rolls")
def list_rolls(request: HttpRequest) -> Any:
    return [
        {
            "election": r.election,
            "freeze_date": r.freeze_date,
            "closed_at": r.closed_at,
            "total": r.total or 0,
        }
        for r in services.published_rolls()
    ]


@router.get(
    "/rolls/{election}",
    response=RollOut,
    summary="A closed roll's per-district member counts",
)
def get_roll(
    request: HttpRequest, election: PathEx[str, P(pattern=rolls.ELECTION_RE.pattern)]
) -> Any:
    counts = services.published_counts(election)
    return {
        "election": counts.election,
        "freeze_date": counts.freeze_date,
        "status": counts.status,
        "closed_at": counts.closed_at,
        "total": counts.total,
        "digest": counts.digest,
        "districts": [{"code": d.code, "name": d.name, "count": d.count} for d in counts.districts],
    }


def report_payload(report: services.ImportReport, limit: int) -> dict[str, Any]:
    return {
        "source_name": report.source_name,
        "dry_run": report.dry_run,
        "applied": report.applied,
        "total_lines": report.total_lines,
        "accepted": report.accepted,
        "rejected_count": report.rejected_count,
        "counts_by_code": report.counts_by_code,
        "rejected": [
            {
                "line": rejected.line,
                "problems": [
                    {
                        "field": p.field,
                        "code": p.code,
                        "message": p.message,
                        "other_line": p.other_line,
                    }
                    for p in rejected.problems
                ],
            }
            for rejected in report.rejected[:limit]
        ],
        "rejected_truncated": report.rejected_count > limit,
    }


@router.post(
    "/imports",
    response=ImportReportOut,
    auth=django_auth,
    summary="Import members from a CSV or XLSX file (staff)",
    description=(
        "Checks every line; with `dry_run` nothing is written. Otherwise the accepted "
        "lines are inserted in one transaction and the rejected ones listed (up to "
        "`limit`). Needs the `registry.add_member` permission."
    ),
)
def import_file(
    request: HttpRequest,
    file: File[UploadedFile],
    dry_run: Form[bool] = True,
    limit: Form[int] = 1000,
) -> Any:
    if not request.user.has_perm("registry.add_member"):
        raise PermissionDenied
    if file.size and file.size > MAX_UPLOAD_BYTES:
        from django.utils.translation import gettext as _

        raise UserError(_("The file is larger than 200 MB."), code="too_large", field="file")
    report = services.import_members(
        file.read(), source_name=file.name or "", dry_run=dry_run, user=request.user
    )
    return report_payload(report, max(0, limit))
