"""A report directory made by `saylau analyze` on a commission's CSV, uploaded by staff as a
ZIP so observers' analyses of the official results can be published in the app.

Checked by content: report.json must be a saylau-forensics-report/1 with known tests and
numbers where numbers belong; figures are kept only as PNG that Pillow opens
(web.uploads), report.pdf only if it is a PDF; anything else in the ZIP (the HTML, the SVGs:
a foreign SVG could carry script) is left out and listed. Stored, content-addressed, under
VAR_DIR/analysis/uploads/<id>/: the same ZIP is the same id.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from saylau.analysis.run import SCHEMA
from saylau.analysis.texts import NAMES
from saylau.errors import UserError
from saylau.web.uploads import DOCUMENTS, IMAGES, MAX_UPLOAD_BYTES, UploadRefused, kind_of

MAX_MEMBERS = 200
NAME = re.compile(r"^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,99}$")
ID = re.compile(r"^[0-9a-f]{16}$")


class ReportRefused(UserError):
    """An uploaded report that cannot be published; the message says what is wrong."""

    code = "analysis.upload_refused"


@dataclass(frozen=True)
class Uploaded:
    id: str
    title: str
    uploaded_at: str
    report: dict[str, Any]
    figures: list[str]  # PNG file names
    pdf: bool
    left_out: list[str]


def root() -> Path:
    return Path(settings.VAR_DIR) / "analysis" / "uploads"


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def check_report(data: bytes) -> dict[str, Any]:
    """report.json's content, or ReportRefused naming the first thing wrong."""
    try:
        report = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise ReportRefused(_("report.json is not JSON in UTF-8.")) from None
    if not isinstance(report, dict) or report.get("schema") != SCHEMA:
        raise ReportRefused(
            _("report.json is not a report of saylau analyze (schema %(schema)s).")
            % {"schema": SCHEMA}
        )
    tests = report.get("tests")
    if not isinstance(tests, list) or not tests:
        raise ReportRefused(_("report.json lists no tests."))
    for n, entry in enumerate(tests, start=1):
        where = {"n": n}
        if not isinstance(entry, dict) or entry.get("test") not in NAMES:
            raise ReportRefused(_("Test %(n)s of report.json is not one saylau knows.") % where)
        interval = entry.get("interval")
        regions = entry.get("regions")
        good = (
            _number(entry.get("statistic"))
            and isinstance(entry.get("flagged"), bool)
            and (entry.get("p_value") is None or _number(entry.get("p_value")))
            and (interval is None or (isinstance(interval, list) and len(interval) == 2))
            and (interval is None or all(_number(x) for x in interval))
            and isinstance(regions, list)
            and all(_region_ok(r) for r in regions)
        )
        if not good:
            raise ReportRefused(
                _("Test %(n)s of report.json has a value that is not a number or a flag.") % where
            )
    return report


def _region_ok(r: Any) -> bool:
    return (
        isinstance(r, dict)
        and isinstance(r.get("region"), str)
        and _number(r.get("statistic"))
        and all(r.get(k) is None or _number(r.get(k)) for k in ("p_value", "q_value"))
        and isinstance(r.get("flagged"), bool)
        and isinstance(r.get("stations", 0), int)
    )


def _members(data: bytes) -> dict[str, bytes]:
    """The ZIP's files by their base name, refused when it is no ZIP or too large."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = [i for i in archive.infolist() if not i.is_dir()]
        if len(infos) > MAX_MEMBERS or sum(i.file_size for i in infos) > MAX_UPLOAD_BYTES:
            raise ReportRefused(_("The ZIP holds too much: at most 200 files and 20 MB."))
        return {i.filename.rsplit("/", 1)[-1]: archive.read(i) for i in infos}
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, OSError):
        raise ReportRefused(_("The file is not a ZIP archive.")) from None


def accept(data: bytes, title: str) -> Uploaded:
    """Check the ZIP and store what may be shown; ReportRefused if it cannot be published."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise ReportRefused(_("The file is larger than %(mb)d MB.") % {"mb": 20})
    members = _members(data)
    if "report.json" not in members:
        raise ReportRefused(_("The ZIP has no report.json."))
    report = check_report(members.pop("report.json"))
    keep: dict[str, bytes] = {}
    left_out = []
    for name, content in sorted(members.items()):
        try:
            if name == "report.pdf":
                kind_of(content, DOCUMENTS)
            elif NAME.match(name) and name.endswith(".png"):
                if kind_of(content, IMAGES) != "png":
                    raise UploadRefused("", "kind")
            else:
                left_out.append(name)
                continue
        except UploadRefused:
            raise ReportRefused(
                _("%(name)s in the ZIP is not what its name says.") % {"name": name}
            ) from None
        keep[name] = content
    digest = hashlib.sha256(data).hexdigest()[:16]
    out = root() / digest
    out.mkdir(parents=True, exist_ok=True)
    for name, content in keep.items():
        (out / name).write_bytes(content)
    meta: dict[str, Any] = {
        "title": title.strip()[:200],
        "uploaded_at": timezone.now().isoformat(),
        "left_out": left_out,
    }
    (out / "report.json").write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")
    (out / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    stored = load(digest)
    assert stored is not None
    return stored


def load(upload_id: str) -> Uploaded | None:
    """A stored upload, or None."""
    if not ID.match(upload_id):
        return None
    folder = root() / upload_id
    if not (folder / "meta.json").exists():
        return None
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    report = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    figures = sorted(p.name for p in folder.glob("*.png"))
    return Uploaded(
        upload_id,
        meta["title"],
        meta["uploaded_at"],
        report,
        figures,
        (folder / "report.pdf").exists(),
        meta.get("left_out", []),
    )


def file_path(upload_id: str, name: str) -> Path | None:
    """The path of one stored file of an upload (report.json, report.pdf, a PNG), or None."""
    if not ID.match(upload_id) or not NAME.match(name):
        return None
    path = root() / upload_id / name
    if name == "meta.json" or not path.is_file():
        return None
    return path
