"""The official per-station result the observers' copies are held against, per contest.

By default saylau's own: the accepted protocols that count (paper.counting, the highest
accepted revision). Or a commission's CSV with its column map (MAP.yaml, as for
`saylau paper check-protocols`), uploaded by the HQ for one contest: the map's `options`
columns are the contest's options in the manifest's order, and the station key is the
station's code. The file is read through paper.results_table (csv_check.read_rows); one
that cannot be used — a bad map, a file that is not CSV, a row that cannot be read — is
refused whole with the rows and reasons listed, and nothing stored before is changed. A
stored upload keeps its bytes and SHA-256, and the lines read from it (read once, at the
upload: decision 0046); the latest one not withdrawn counts.
"""

from __future__ import annotations

import hashlib
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from saylau.elections.audit import audit
from saylau.elections.models import Election
from saylau.observation.discrepancies import Where
from saylau.observation.errors import OfficialRefused
from saylau.observation.models import OfficialUpload
from saylau.observation.roles import require_hq_account
from saylau.paper.column_map import ColumnMapError, parse_map, render
from saylau.paper.counting import counting_protocols
from saylau.paper.csv_check import FILE_MESSAGES, CsvFileError
from saylau.paper.entry import Key
from saylau.paper.results_table import ResultsTable, read_results
from saylau.protocol.manifest import Contest, manifest_from_json
from saylau.protocol.paper_protocol import FIELDS
from saylau.web import stored_files
from saylau.web.uploads import MAX_UPLOAD_BYTES

#: unreadable rows named in a refusal (the count says how many more)
LISTED_ROWS = 50
Values = dict[Key, int]


@dataclass(frozen=True)
class OfficialResults:
    """Each (station, contest)'s official lines, and per contest the upload they come from
    (absent: saylau's accepted protocols)."""

    values: dict[Where, Values] = field(default_factory=dict)
    uploads: dict[str, OfficialUpload] = field(default_factory=dict)


def current_uploads(election: Election) -> dict[str, OfficialUpload]:
    """The upload that counts per contest: the latest one not withdrawn."""
    found: dict[str, OfficialUpload] = {}
    rows = OfficialUpload.objects.filter(election=election, withdrawn_at__isnull=True)
    for upload in rows.order_by("uploaded_at", "pk"):
        found[upload.contest] = upload
    return found


def _from_protocols(election: Election) -> dict[Where, Values]:
    out: dict[Where, Values] = {}
    for line in counting_protocols(election):
        values = {("counts", k): int(v) for k, v in line["counts"].items()}
        values |= {("options", k): int(v) for k, v in line["options"].items()}
        out[(line["station"], line["contest"])] = values
    return out


def _table_values(table: ResultsTable, contest: Contest) -> dict[str, Values]:
    ids = [o.id for o in contest.options]
    out: dict[str, Values] = {}
    for i, station in enumerate(table.stations):
        values = {("counts", name): 0 for name in FIELDS}
        values |= {("counts", name): int(column[i]) for name, column in table.lines.items()}
        values |= {("options", oid): int(n) for oid, n in zip(ids, table.options[i], strict=True)}
        out[station] = values
    return out


def _as_json(values: dict[str, Values]) -> dict[str, dict[str, dict[str, int]]]:
    out: dict[str, dict[str, dict[str, int]]] = {}
    for station, lines in values.items():
        out[station] = {"counts": {}, "options": {}}
        for (kind, name), n in lines.items():
            out[station][kind][name] = n
    return out


def _from_json(doc: dict[str, dict[str, dict[str, int]]]) -> dict[str, Values]:
    return {
        station: {
            (kind, name): int(n) for kind in ("counts", "options") for name, n in v[kind].items()
        }
        for station, v in doc.items()
    }


def _upload_values(upload: OfficialUpload, contest: Contest) -> dict[str, Values]:
    """The upload's lines as stored when it was uploaded; an upload stored before they were
    (observation migration 0006) is read once, and its lines stored."""
    if upload.parsed is None:
        columns = parse_map(yaml.safe_load(upload.column_map))
        table = read_results(Path(upload.file.path), columns)
        upload.parsed = _as_json(_table_values(table, contest))
        upload.save(update_fields=["parsed"])
    return _from_json(upload.parsed)


def official_results(election: Election) -> OfficialResults:
    """The official lines of every station and contest that has them."""
    manifest = manifest_from_json(election.manifest)
    uploads = current_uploads(election)
    values = {where: v for where, v in _from_protocols(election).items() if where[1] not in uploads}
    for contest_id, upload in uploads.items():
        contest = manifest.contest(contest_id)
        for station, v in _upload_values(upload, contest).items():
            values[(station, contest_id)] = v
    return OfficialResults(values, uploads)


def _columns(map_text: str, name: str) -> Any:
    try:
        doc = yaml.safe_load(map_text)
    except yaml.YAMLError as e:
        raise ColumnMapError("map.not_yaml", path=name, detail=str(e)) from None
    return parse_map(doc)


def _contest(election: Election, contest_id: str) -> Contest:
    manifest = manifest_from_json(election.manifest)
    for contest in manifest.contests:
        if contest.id == contest_id:
            return contest
    raise OfficialRefused(_("Choose a contest of this election."))


def read_upload(contest: Contest, data: bytes, map_text: str, name: str) -> ResultsTable:
    """The table of an uploaded CSV; OfficialRefused says what is wrong, row by row."""
    if not data:
        raise OfficialRefused(_("The file is empty."))
    if len(data) > MAX_UPLOAD_BYTES * 5:
        raise OfficialRefused(_("The file is too large."))
    try:
        columns = _columns(map_text, "MAP.yaml")
        if len(columns.options) != len(contest.options):
            raise OfficialRefused(
                _(
                    "The column map names %(columns)d options columns; the contest has "
                    "%(options)d options (in the manifest's order)."
                )
                % {"columns": len(columns.options), "options": len(contest.options)}
            )
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "upload.csv"
            path.write_bytes(data)
            table = read_results(path, columns)
    except ColumnMapError as e:
        raise OfficialRefused(e.message_in(_)) from None
    except CsvFileError as e:
        raise OfficialRefused(
            render(FILE_MESSAGES[e.code], {**e.params, "path": name}, _)
        ) from None
    if table.unreadable:
        rows = [
            _("Row %(row)d: %(reasons)s")
            % {"row": bad.row, "reasons": "; ".join(r.message(_) for r in bad.reasons)}
            for bad in table.unreadable[:LISTED_ROWS]
        ]
        raise OfficialRefused(
            _("%(count)d rows of the file cannot be read; nothing was stored.")
            % {"count": len(table.unreadable)},
            rows=rows,
        )
    if not table.stations:
        raise OfficialRefused(_("The file has no station's results."))
    return table


def upload(
    election: Election, contest_id: str, user: Any, data: bytes, map_text: str, name: str
) -> OfficialUpload:
    """Check and store a commission's CSV of `contest_id`: from now on its official result."""
    require_hq_account(user)
    contest = _contest(election, contest_id)
    table = read_upload(contest, data, map_text, name)
    digest = hashlib.sha256(data).hexdigest()
    with transaction.atomic():
        stored = OfficialUpload(
            election=election,
            contest=contest.id,
            sha256=digest,
            column_map=map_text,
            stations=len(table.stations),
            parsed=_as_json(_table_values(table, contest)),
            uploaded_by=user,
        )
        stored_files.save(stored.file, f"{election.slug}/{digest[:24]}.csv", data)
        stored.save()
        audit(
            election,
            user.get_username(),
            "observation.official_uploaded",
            upload=stored.pk,
            contest=contest.id,
            sha256=digest,
            stations=stored.stations,
        )
    return stored


def use_protocols(election: Election, user: Any) -> int:
    """Back to saylau's accepted protocols: every upload of the election is withdrawn (kept)."""
    require_hq_account(user)
    with transaction.atomic():
        count = OfficialUpload.objects.filter(election=election, withdrawn_at__isnull=True).update(
            withdrawn_at=timezone.now()
        )
        if count:
            audit(election, user.get_username(), "observation.official_withdrawn", uploads=count)
    return count
