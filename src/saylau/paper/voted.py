"""Who voted on paper: a station's commission uploads the IINs of the members who voted there.

Each IIN must be a member on the closed roll and on that station's paper list
(stations.PaperAssignment); each is marked by a `paper_override` leaf on the board
(voting.record_paper_vote), which takes that member's online ballots out of the tally.
Marking a member again is a no-op. Refused lines are listed by line number and reason, the
others are marked; nothing names an IIN outside this module's own reading of the file.
Each mark commits on its own, so the board's lock is held for one leaf at a time.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from saylau.board import services as board
from saylau.board.errors import BoardError, VotingClosed, VotingNotOpen
from saylau.elections import services as elections
from saylau.elections.audit import audit
from saylau.elections.models import Election
from saylau.paper import roles
from saylau.paper.entry_errors import VotedRefused
from saylau.registry import services as registry
from saylau.registry.iin import IINError, parse
from saylau.stations.models import PaperAssignment, Station
from saylau.voting import services as voting
from saylau.voting.errors import NoCredential

MAX_LINES = 200_000
MAX_BYTES = 8 * 1024 * 1024  # 200,000 IINs with a name beside each fit easily


@dataclass(frozen=True)
class RefusedLine:
    line: int
    reason: str


@dataclass
class VotedReport:
    """What an upload did: members marked now, marked before (no-op), lines refused."""

    marked: int = 0
    already: int = 0
    refused: list[RefusedLine] = field(default_factory=list)


def read_upload(chunks: Iterable[bytes]) -> bytes:
    """The uploaded file's bytes, refused as soon as they pass MAX_BYTES."""
    out = bytearray()
    for chunk in chunks:
        out += chunk
        if len(out) > MAX_BYTES:
            raise VotedRefused(_("The file is larger than 8 MB: split it and upload each part."))
    return bytes(out)


def read_lines(data: bytes) -> list[tuple[int, str]]:
    """(line number, first column) of each non-empty line; a first line without a digit is
    a header and is skipped. A text file (one IIN a line) or a CSV (, ; or tab)."""
    read_upload([data])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise VotedRefused(
            _("The file is not UTF-8 text: upload a text or CSV file with one IIN a line.")
        ) from error
    out: list[tuple[int, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if number > MAX_LINES:
            raise VotedRefused(_("The file has more than %(n)s lines.") % {"n": MAX_LINES})
        if not line.strip():
            continue
        delimiter = next((d for d in ",;\t" if d in line), ",")
        first = next(csv.reader(io.StringIO(line), delimiter=delimiter), [""])
        value = first[0].strip() if first else ""
        if number == 1 and not any(c.isdigit() for c in value):
            continue
        out.append((number, value))
    return out


def paper_list(election: Election, member_ids: list[int]) -> dict[int, str]:
    """member id → the code of the paper station whose list they are on (for those who are).

    Read from stations.PaperAssignment here until the stations app offers it as a service."""
    found: dict[int, str] = {}
    for start in range(0, len(member_ids), 1000):
        rows = PaperAssignment.objects.filter(
            election_id=election.pk, member_id__in=member_ids[start : start + 1000]
        ).values_list("member_id", "station")
        found.update(rows)
    return found


def roll_ids(election: Election, iins: list[str]) -> dict[str, int]:
    """IIN → member id of the members on the election's closed roll."""
    found: dict[str, int] = {}
    members = registry.roll_members(election.slug)
    for start in range(0, len(iins), 1000):
        found.update(members.filter(iin__in=iins[start : start + 1000]).values_list("iin", "pk"))
    return found


def _check_board(election: Election) -> None:
    state = board.info(election)
    if not state.size:
        raise VotedRefused(_("Voting in this election has not opened yet."))
    if state.closed:
        raise VotedRefused(
            _("The bulletin board is closed: who voted on paper can no longer be marked.")
        )


def _candidates(
    election: Election, station: Station, lines: list[tuple[int, str]], report: VotedReport
) -> list[tuple[int, int]]:
    """(line, member id) of the lines naming a member of this station's list, once each."""
    seen: dict[str, int] = {}
    valid: list[tuple[int, str]] = []
    for line, value in lines:
        try:
            iin = parse(value).value
        except IINError:
            report.refused.append(RefusedLine(line, _("This is not a valid IIN.")))
            continue
        if iin in seen:
            reason = _("The same IIN is on line %(line)s.") % {"line": seen[iin]}
            report.refused.append(RefusedLine(line, reason))
            continue
        seen[iin] = line
        valid.append((line, iin))
    ids = roll_ids(election, [iin for _line, iin in valid])
    stations = paper_list(election, list(ids.values()))
    out: list[tuple[int, int]] = []
    for line, iin in valid:
        member = ids.get(iin)
        if member is None:
            reason = _("No member on this election's roll has this IIN.")
        elif member not in stations:
            reason = _("This member is not on the list of any paper station.")
        elif stations[member] != station.code:
            reason = _("This member is on the list of another paper station.")
        else:
            out.append((line, member))
            continue
        report.refused.append(RefusedLine(line, reason))
    return out


def _mark(election: Election, station: Station, member: int, now: dt.datetime | None) -> bool:
    """Mark one member; False if their paper vote at this station was already marked."""
    credential = elections.credential_of_member(election, member)
    precinct = None if credential is None else board.paper_vote_precinct(election, credential)
    if precinct == station.code:
        return False
    if precinct is not None:
        raise VotedRefused(_("This member's paper vote is already marked at another station."))
    with transaction.atomic():
        voting.record_paper_vote(election, member, station.code, now=now)
    return True


def mark_voted(
    election: Election, station: Station, user: Any, data: bytes, *, now: dt.datetime | None = None
) -> VotedReport:
    """Mark the members the file names as having voted on paper at `station`."""
    roles.require(user, roles.MARK_VOTED, station)
    _check_board(election)
    report = VotedReport()
    for line, member in _candidates(election, station, read_lines(data), report):
        try:
            marked = _mark(election, station, member, now)
        except NoCredential:
            reason = _("This member has no voting credential for this election.")
            report.refused.append(RefusedLine(line, reason))
            continue
        except (VotingClosed, VotingNotOpen, VotedRefused) as error:
            report.refused.append(RefusedLine(line, str(error)))
            continue
        except BoardError:
            marked = False  # marked by a simultaneous upload
        if marked:
            report.marked += 1
        else:
            report.already += 1
    report.refused.sort(key=lambda r: r.line)
    with transaction.atomic():
        audit(
            election,
            user.get_username(),
            "paper.voted_uploaded",
            station=station.code,
            marked=report.marked,
            already=report.already,
            refused=len(report.refused),
        )
    return report
