"""The paper part of a record against the rest of it (docs/protocol.md §12.10, §13), pure.

`check_paper` takes the parsed paper/stations.json, the lines of paper/protocols.jsonl, the
parsed consolidation.json, the verified online counts and the board's paper overrides (leaf
index, precinct), and reports every failure: the stations' shape; each protocol line's shape,
station, district, contest, revision, reason, counts and scan digest; every control relation
(paper_protocol.check_relations) of every line; revisions 1, 2, … per station and contest;
overrides that name no station or more voters than the station issued ballots; and every
field where consolidation.json differs from the consolidation re-derived from the verified
online counts and the counting revisions, with the sanctions of sanctions.json when the
record has one (§14.4; verify_sanctions.py checks that document first).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from saylau.protocol.canonical import canonical_json, strict_loads
from saylau.protocol.consolidation import CONSOLIDATION_SCHEMA
from saylau.protocol.documents import (
    CONSOLIDATION,
    PROTOCOL_KEYS,
    PROTOCOLS,
    STATION_KEYS,
    STATIONS,
    STATIONS_SCHEMA,
    check_revision,
    check_scan_sha256,
    consolidation_document,
)
from saylau.protocol.errors import InvalidRecord
from saylau.protocol.failures import CodedError, Failure, code_of
from saylau.protocol.manifest import Manifest
from saylau.protocol.paper_protocol import (
    InvalidProtocolCounts,
    check_relations,
    counts_from_json,
)
from saylau.protocol.sanctions import SET_ASIDE, Sanction
from saylau.protocol.verify_sanctions import check_sanctions

#: check_paper's `sanctions_doc` for a record without sanctions.json
NO_SANCTIONS = object()

STATIONS_CHECK = "paper.stations"
PROTOCOLS_CHECK = "paper.protocols"
RELATIONS_CHECK = "paper.relations"
OVERRIDES_CHECK = "paper.overrides"
CONSOLIDATION_CHECK = "consolidation"


@dataclass
class PaperCheck:
    """Every failure found, the consolidation re-derived from the record (None if the
    stations could not be read) and counts for the report."""

    failures: list[Failure] = field(default_factory=list)
    consolidation: dict[str, Any] | None = None
    stats: dict[str, int] = field(default_factory=dict)

    def fail(self, check: str, item: str, code: str, **params: str | int) -> None:
        self.failures.append(Failure(check, item, code, params))


def _text(value: Any, key: str) -> str:
    if not isinstance(value, str) or not value:
        raise CodedError("leaf.string", key=repr(key))
    return value


def check_stations(doc: Any, manifest: Manifest, out: PaperCheck) -> dict[str, str] | None:
    """paper/stations.json → station code → district (the well-formed entries), or None when
    the document itself cannot be read (a STOP for the paper checks)."""
    if not isinstance(doc, dict) or doc.get("schema") != STATIONS_SCHEMA:
        out.fail(STATIONS_CHECK, STATIONS, "document.schema", schema=repr(STATIONS_SCHEMA))
        return None
    for key in sorted(set(doc) - {"schema", "stations"}):
        out.fail(STATIONS_CHECK, STATIONS, "results.extra_key", key=repr(key))
    rows = doc.get("stations")
    if not isinstance(rows, list):
        out.fail(STATIONS_CHECK, STATIONS, "stations.not_list")
        return None
    districts = {d.id for d in manifest.districts}
    stations: dict[str, str] = {}
    codes: list[str] = []
    for i, row in enumerate(rows):
        item = f"station {i}"
        try:
            if not isinstance(row, dict) or set(row) != STATION_KEYS:
                raise CodedError("stations.keys", keys=", ".join(sorted(STATION_KEYS)))
            code = row["code"]
            if not isinstance(code, str) or not code:
                raise CodedError("stations.code")
            item = f"station {code}"
            codes.append(code)
            if type(row["number"]) is not int or row["number"] < 1:
                raise CodedError("stations.number")
            if not isinstance(row["address"], str):
                raise CodedError("stations.address")
            if row["district"] not in districts:
                raise CodedError("stations.district", district=repr(row["district"]))
            if code in stations:
                raise CodedError("stations.duplicate", station=repr(code))
        except CodedError as e:
            out.failures.append(Failure(STATIONS_CHECK, item, *code_of(e)))
            continue
        stations[code] = row["district"]
    if codes != sorted(codes):
        out.fail(STATIONS_CHECK, STATIONS, "stations.order")
    return stations


@dataclass
class _Line:
    station: str
    district: str
    contest: str
    revision: int
    doc: dict[str, Any]
    issued: int


def _parse_line(
    raw: bytes, index: int, manifest: Manifest, stations: Mapping[str, str], out: PaperCheck
) -> _Line | None:
    """One protocol line checked; its relations reported; None if it cannot count."""
    item = f"line {index}"
    try:
        doc = strict_loads(raw, f"{PROTOCOLS} line {index}")
        if not isinstance(doc, dict) or set(doc) != PROTOCOL_KEYS:
            raise CodedError("protocols.keys", keys=", ".join(sorted(PROTOCOL_KEYS)))
        station = _text(doc["station"], "station")
        contest_id = _text(doc["contest"], "contest")
        district = _text(doc["district"], "district")
        revision = doc["revision"]
        item = f"{station}/{contest_id} revision {revision}"
        check_revision(revision, doc["reason"])
        if station not in stations:
            raise CodedError("protocols.unknown_station", station=repr(station))
        if stations[station] != district:
            raise CodedError(
                "protocols.district",
                station=repr(station),
                expected=repr(stations[station]),
                district=repr(district),
            )
        contest = next((c for c in manifest.contests_for(district) if c.id == contest_id), None)
        if contest is None:
            raise CodedError("protocols.contest", contest=repr(contest_id), district=repr(district))
        check_scan_sha256(doc["scan_sha256"])
        option_ids = [o.id for o in contest.options]
        counts = counts_from_json(doc["counts"], doc["options"], option_ids, item)
    except InvalidProtocolCounts as e:
        out.fail(PROTOCOLS_CHECK, item, e.code, **e.params)
        return None
    except (InvalidRecord, ValueError) as e:
        out.failures.append(Failure(PROTOCOLS_CHECK, item, *code_of(e)))
        return None
    for broken in check_relations(counts, min_marks=contest.min_marks, max_marks=contest.max_marks):
        out.fail(RELATIONS_CHECK, item, f"relation.{broken.code}", **broken.params)
    return _Line(station, district, contest_id, revision, doc, counts.ballots_issued)


def check_protocols(
    lines: Sequence[bytes], manifest: Manifest, stations: Mapping[str, str], out: PaperCheck
) -> list[_Line]:
    """Every line of paper/protocols.jsonl; the ones that can count."""
    parsed: list[_Line] = []
    previous: tuple[str, str, int] | None = None
    for index, raw in enumerate(lines):
        line = _parse_line(raw, index, manifest, stations, out)
        if line is None:
            continue
        key = (line.station, line.contest, line.revision)
        if previous is not None and key <= previous:
            out.fail(
                PROTOCOLS_CHECK,
                f"line {index}",
                "protocols.order",
                previous=f"{previous[0]}/{previous[1]} revision {previous[2]}",
            )
        previous = key
        parsed.append(line)
    revisions: dict[tuple[str, str], list[int]] = {}
    for line in parsed:
        revisions.setdefault((line.station, line.contest), []).append(line.revision)
    for (station, contest), found in sorted(revisions.items()):
        if sorted(found) != list(range(1, len(found) + 1)):
            out.fail(
                PROTOCOLS_CHECK,
                f"{station}/{contest}",
                "protocols.revisions",
                found=", ".join(map(str, sorted(found))),
            )
    return parsed


def check_overrides(
    overrides: Sequence[tuple[int, str]],
    stations: Mapping[str, str],
    lines: Sequence[_Line],
    out: PaperCheck,
) -> None:
    """Every override names a station, and no station more voters than it issued ballots."""
    issued: dict[str, int] = {}
    for line in lines:
        issued[line.station] = max(issued.get(line.station, 0), line.issued)
    per_station: Counter[str] = Counter()
    for leaf, precinct in overrides:
        if precinct not in stations:
            out.fail(
                OVERRIDES_CHECK,
                f"leaf {leaf}",
                "overrides.unknown_station",
                precinct=repr(precinct),
            )
        else:
            per_station[precinct] += 1
    for station, n in sorted(per_station.items()):
        if n > issued.get(station, 0):
            out.fail(
                OVERRIDES_CHECK,
                f"station {station}",
                "overrides.too_many",
                overrides=n,
                issued=issued.get(station, 0),
            )


def _show(value: Any) -> str:
    return canonical_json(value).decode()


def _where(path: tuple[str, ...]) -> tuple[str, str]:
    """(item, field) of a path in the consolidation document."""
    if len(path) >= 4 and path[0] == "districts" and path[2] == "contests":
        return f"{path[1]}/{path[3]}", ".".join(path[4:]) or "contest"
    if len(path) >= 2 and path[0] == "districts":
        return f"district {path[1]}", ".".join(path[2:]) or "district"
    return CONSOLIDATION, ".".join(path)


def _diff(expected: Any, found: Any, path: tuple[str, ...], out: PaperCheck) -> None:
    if isinstance(expected, dict) and isinstance(found, dict):
        for key, value in expected.items():
            if key in found:
                _diff(value, found[key], (*path, key), out)
            else:
                item, name = _where((*path, key))
                out.fail(CONSOLIDATION_CHECK, item, "consolidation.missing", field=name)
        for key in sorted(set(found) - set(expected), key=str):
            item, name = _where((*path, str(key)))
            out.fail(CONSOLIDATION_CHECK, item, "consolidation.extra", field=name)
    elif canonical_json(expected) != canonical_json(found):
        item, name = _where(path)
        out.fail(
            CONSOLIDATION_CHECK,
            item,
            "consolidation.differs",
            field=name,
            announced=_show(found),
            value=_show(expected),
        )


def check_consolidation(
    doc: Any,
    manifest: Manifest,
    online: Mapping[str, Mapping[str, Any]],
    lines: Sequence[_Line],
    out: PaperCheck,
    sanctions: tuple[str, tuple[Sanction, ...]] = (SET_ASIDE, ()),
) -> None:
    """consolidation.json is exactly the consolidation of the verified online counts and the
    highest revision of each station and contest, with the document's own recount_margin and
    the (vote rule, sanctions) of sanctions.json."""
    if not isinstance(doc, dict) or doc.get("schema") != CONSOLIDATION_SCHEMA:
        out.fail(
            CONSOLIDATION_CHECK, CONSOLIDATION, "document.schema", schema=repr(CONSOLIDATION_SCHEMA)
        )
        return
    margin = doc.get("recount_margin")
    if type(margin) is not int or margin < 0:
        out.fail(CONSOLIDATION_CHECK, CONSOLIDATION, "consolidation.margin")
        return
    rule, applied = sanctions
    expected = consolidation_document(
        manifest, online, [ln.doc for ln in lines], margin, applied, rule
    )
    out.consolidation = expected
    _diff(expected, doc, (), out)


def check_paper(
    manifest: Manifest,
    stations_doc: Any,
    protocol_lines: Sequence[bytes],
    consolidation_doc: Any,
    online: Mapping[str, Mapping[str, Any]],
    overrides: Sequence[tuple[int, str]],
    sanctions_doc: Any = NO_SANCTIONS,
) -> PaperCheck:
    """Every check of §12.10 and §14.4 over the paper files and sanctions.json (already
    read) and the verified online counts (district → {"ballots_counted", "contests"}); never
    raises on bad input."""
    out = PaperCheck()
    stations = check_stations(stations_doc, manifest, out)
    if stations is None:
        return out
    lines = check_protocols(protocol_lines, manifest, stations, out)
    check_overrides(overrides, stations, lines, out)
    applied: tuple[str, tuple[Sanction, ...]] | None = (SET_ASIDE, ())
    if sanctions_doc is not NO_SANCTIONS:
        checked = check_sanctions(sanctions_doc, manifest, stations)
        out.failures += checked.failures
        applied = checked.applied
        out.stats["sanctions"] = len(applied[1]) if applied else 0
    if applied is not None:  # broken sanctions: nothing sound to re-derive (STOP)
        check_consolidation(consolidation_doc, manifest, online, lines, out, applied)
    recounts = 0
    if out.consolidation is not None:
        recounts = sum(
            c["recount"]
            for d in out.consolidation["districts"].values()
            for c in d["contests"].values()
        )
    out.stats |= {
        "paper_stations": len(stations),
        "paper_protocols": len(protocol_lines),
        "paper_recounted": sum(1 for ln in lines if ln.revision > 1),
        "recount_flags": recounts,
    }
    return out
