"""The headquarters' exports: the station table as CSV or XLSX, and a station's evidence
bundle for a court claim (a ZIP of every accepted submission, its photos and videos, and a
manifest of their SHA-256 hashes and timestamps).

No IIN or phone leaves in an export: observers are named by name and organisation.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from typing import Any

from django.utils.translation import gettext as _

from saylau.observation.dashboard import StationRow, organisations
from saylau.observation.models import Media, Submission
from saylau.stations.models import Station
from saylau.web.spreadsheet import neutral


def _header() -> list[str]:
    return [
        _("Station"),
        _("Number"),
        _("Region"),
        _("Observers"),
        _("Checked in"),
        _("Missing check-ins"),
        _("Incidents"),
        _("Protocol copies"),
    ]


def _cells(row: StationRow) -> list[Any]:
    s = row.station
    return [
        neutral(s.code),
        s.number,
        neutral(s.district),
        row.observers,
        row.checked_in,
        row.missing_check_in,
        row.incidents,
        row.copies,
    ]


def stations_csv(rows: list[StationRow]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(_header())
    writer.writerows(_cells(r) for r in rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def stations_xlsx(rows: list[StationRow]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Stations"))
    sheet.append(_header())
    for row in rows:
        sheet.append(_cells(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _record(s: Submission) -> dict[str, Any]:
    return {
        "client_uuid": str(s.client_uuid),
        "kind": s.kind,
        "station": s.station_code,
        "observer": s.observer.full_name,
        "organisation": s.observer.organisation.name,
        "occurred_at": s.occurred_at.isoformat(),
        "received_at": s.received_at.isoformat(),
        "payload": s.payload,
        "digest": s.digest,
        "media": [m.sha256 for m in s.media.all()],
    }


def evidence_bundle(user: Any, station: Station) -> bytes:
    """The station's evidence as ZIP bytes: submissions.json, media/<sha256>.<kind>, and
    MANIFEST.txt listing each file's SHA-256 (checked against the bytes as written)."""
    rows = (
        Submission.objects.filter(
            station=station,
            status=Submission.Status.ACCEPTED,
            observer__organisation__in=organisations(user),
        )
        .select_related("observer__organisation")
        .prefetch_related("media")
        .order_by("received_at", "pk")
    )
    records = [_record(s) for s in rows]
    files: dict[str, bytes] = {
        "submissions.json": json.dumps(records, ensure_ascii=False, indent=1).encode("utf-8")
    }
    for media in Media.objects.filter(submission__in=rows).order_by("pk"):
        with media.file.open("rb") as source:
            files[f"media/{media.sha256}.{media.kind}"] = source.read()
    manifest = "".join(
        f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in sorted(files.items())
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in sorted(files.items()):
            archive.writestr(name, data)
        archive.writestr("MANIFEST.txt", manifest)
    return out.getvalue()
