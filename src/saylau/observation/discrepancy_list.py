"""The HQ's discrepancy list of one election: the observers' copies (of the user's
organisations; each observer's latest copy of a station and contest, a correction replacing
a typing slip) against the official result (observation.official), compared by
observation.discrepancies; filtered by region, sorted, and exported as CSV.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _

from saylau.elections.models import Election
from saylau.observation import discrepancies
from saylau.observation.dashboard import organisations
from saylau.observation.discrepancies import CopyValues, Row, Where
from saylau.observation.models import Submission
from saylau.observation.official import OfficialResults, official_results
from saylau.paper.entry import Key, keys_of
from saylau.paper.forms import label_of
from saylau.protocol.manifest import manifest_from_json
from saylau.stations.models import Station
from saylau.web.spreadsheet import neutral

SORTS = ("station", "region", "size")


def keys_by_contest(election: Election) -> dict[str, list[Key]]:
    manifest = manifest_from_json(election.manifest)
    return {contest.id: keys_of(contest) for contest in manifest.contests}


def latest_copies(
    user: Any, election: Election, keys: dict[str, list[Key]]
) -> dict[Where, list[CopyValues]]:
    """Per station and contest, each observer's latest accepted copy, earliest observer first."""
    rows = (
        Submission.objects.filter(
            station__election=election,
            kind=Submission.Kind.PROTOCOL_COPY,
            status=Submission.Status.ACCEPTED,
            observer__organisation__in=organisations(user),
        )
        .select_related("station", "observer__organisation")
        .order_by("received_at", "pk")
    )
    latest: dict[Where, dict[int, CopyValues]] = {}
    for s in rows:
        contest = str(s.payload.get("contest", ""))
        if s.station is None or contest not in keys:
            continue
        values = {key: int(s.payload[key[0]][key[1]]) for key in keys[contest]}
        who = f"{s.observer.full_name} ({s.observer.organisation.name})"
        by_observer = latest.setdefault((s.station.code, contest), {})
        by_observer.pop(s.observer_id, None)  # the latest goes last
        by_observer[s.observer_id] = CopyValues(s.pk, who, values)
    return {where: list(found.values()) for where, found in latest.items()}


def regions_of(election: Election) -> dict[str, str]:
    return dict(Station.objects.filter(election=election).values_list("code", "district"))


def discrepancy_rows(
    user: Any, election: Election, official: OfficialResults | None = None
) -> list[Row]:
    keys = keys_by_contest(election)
    found = official if official is not None else official_results(election)
    copies = latest_copies(user, election, keys)
    return discrepancies.discrepancies(keys, regions_of(election), copies, found.values)


def row_of(user: Any, election: Election, station: str, contest: str) -> Row | None:
    for row in discrepancy_rows(user, election):
        if row.station == station and row.contest == contest:
            return row
    return None


def shown(
    rows: Sequence[Row], *, region: str = "", sort: str = "station", every: bool = False
) -> list[Row]:
    """The rows of `region` (all: ""), without the agreeing ones unless `every`, sorted by
    station, region (then station) or the size of the difference (largest first)."""
    out = [r for r in rows if (not region or r.region == region)]
    if not every:
        out = [r for r in out if r.kind != discrepancies.AGREES or r.disagree]
    if sort == "region":
        out.sort(key=lambda r: (r.region, r.station, r.contest))
    elif sort == "size":
        out.sort(key=lambda r: (-r.size, r.station, r.contest))
    return out


def kind_labels() -> dict[str, str]:
    return {
        discrepancies.DIFFERS: _("differs from the official result"),
        discrepancies.NO_OFFICIAL: _("no official result"),
        discrepancies.NO_COPY: _("no observer's copy"),
        discrepancies.AGREES: _("agrees"),
    }


def line_label(election: Election, contest: str, key: Key, language: str) -> str:
    return label_of(manifest_from_json(election.manifest).contest(contest), key, language)


def as_csv(election: Election, rows: Sequence[Row], language: str) -> bytes:
    """One line per differing line (a station with none: one line), cells made safe."""
    labels = kind_labels()
    manifest = manifest_from_json(election.manifest)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        [
            _("Station"),
            _("Region"),
            _("Contest"),
            _("Status"),
            _("Copies disagree"),
            _("Line"),
            _("Official"),
            _("Copies"),
            _("Difference"),
        ]
    )
    for row in rows:
        head = [
            row.station,
            row.region,
            row.contest,
            labels[row.kind],
            _("yes") if row.disagree else _("no"),
        ]
        if not row.lines:
            writer.writerow([neutral(v) for v in [*head, "", "", "", ""]])
        for line in row.lines:
            label = label_of(manifest.contest(row.contest), line.key, language)
            official = "" if line.official is None else line.official
            copies = " / ".join(str(v) for v in line.copies)
            diffs = line.differences  # one copy: a number; several: "+5 / 0" (as text)
            diff: Any = diffs[0] if len(diffs) == 1 else " / ".join(f"{d:+d}" for d in diffs)
            writer.writerow([neutral(v) for v in [*head, label, official, copies, diff]])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
